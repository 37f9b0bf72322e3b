package ndr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

// TestReportKind checks the kind a report takes from its recipients'
// actions: a mix of delivered, relayed and expanded is a delivery report.
func TestReportKind(t *testing.T) {
	dsn := func(actions ...string) string {
		var b strings.Builder
		b.WriteString("From: MAILER-DAEMON@mail.example.org\nSubject: Delivery Status Notification\nMIME-Version: 1.0\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n" +
			"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n")
		for i, a := range actions {
			st := map[string]string{"failed": "5.1.1", "delayed": "4.4.1"}[a]
			if st == "" {
				st = "2.0.0"
			}
			b.WriteString("\nFinal-Recipient: rfc822; r" + string(rune('a'+i)) + "@example.net\nAction: " + a + "\nStatus: " + st + "\n")
		}
		b.WriteString("\n--b--\n")
		return b.String()
	}
	for _, tc := range []struct {
		name    string
		actions []string
		want    ndr.Kind
	}{
		{"delivered", []string{"delivered"}, ndr.KindDelivery},
		{"delivered, relayed and expanded", []string{"delivered", "relayed", "expanded"}, ndr.KindDelivery},
		{"delayed", []string{"delayed", "delayed"}, ndr.KindDelay},
		{"one failed among deliveries", []string{"delivered", "failed"}, ndr.KindFailure},
	} {
		rep, err := ndr.Explain(strings.NewReader(dsn(tc.actions...)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, rep.Kind); diff != "" {
			t.Errorf("%s: kind (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestDelayWords checks that pasted notices without a DSN are delays when
// their words say the server goes on trying, in English or Japanese, and
// failures when they say it gave up.
func TestDelayWords(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       ndr.Kind
	}{
		{"postfix warning, translated",
			"これは警告です。メールを送り直す必要はありません。\n\n送信日から 5 日間は自動で再送を続けます。\n\n<rcpt@example.net>: connect to mx.example.net[192.0.2.8]:25: Connection timed out\n",
			ndr.KindDelay},
		{"gmail delay, japanese",
			"配信未完了\n\nrcpt@example.net へのメールの配信中に一時的な問題が発生しました。Gmail は 45 時間再試行し、配信できなかった場合はお知らせします。\n\n応答:\n\n421 4.7.0 Try again later\n",
			ndr.KindDelay},
		{"gmail delay, japanese, passive",
			"配信が完了していません\n\nrcpt@example.net へのメッセージの配信で一時的な問題が発生しました。Gmail では、あと 46 時間再試行されます。配信が完全に失敗した場合は、通知が届きます。\n\nリモート サーバーからの応答:\n\n421 4.7.0 Try again later\n",
			ndr.KindDelay},
		{"gmail delay, english",
			"Delivery incomplete\n\nThere was a temporary problem delivering your message to rcpt@example.net. Gmail will retry for 45 more hours. You'll be notified if the delivery fails permanently.\n\nThe response was:\n421 4.7.0 Try again later\n",
			ndr.KindDelay},
		{"a delay notice, then the failure that followed it",
			"下記の2通が届きました。\n\n" + eximDelay + "\n-----\n" + eximFailure, ndr.KindFailure},
		{"the failure pasted above the delay notice",
			"下記の2通が届きました。\n\n" + eximFailure + "\n-----\n" + eximDelay, ndr.KindFailure},

		{"retried and gave up, japanese",
			"rcpt@example.net へのメールは 5 日間再試行しましたが、配信できませんでした。\n\n<rcpt@example.net>: connect to mx.example.net[192.0.2.8]:25: Connection timed out\n",
			ndr.KindFailure},
		{"gave up after retrying, japanese",
			"rcpt@example.net へのメールは、再試行を続けましたが配信できませんでした。\n\n<rcpt@example.net>: connect to mx.example.net[192.0.2.8]:25: Connection timed out\n",
			ndr.KindFailure},
	} {
		rep, err := ndr.ExplainBytes([]byte(tc.text))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, rep.Kind); diff != "" {
			t.Errorf("%s: kind (-want +got):\n%s", tc.name, diff)
		}
	}
}

// eximDelay and eximFailure are Exim's delay warning and the failure
// that followed it for the same recipient (deliver.c, retry.c).
const (
	eximDelay = "Subject: Warning: message 1uQx7A-0004Zk-2K delayed 24 hours\n\n" +
		"A message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on mail.example.jp.\n\n" +
		"The address to which the message has not yet been delivered is:\n\n  rcpt@example.net\n    Delay reason: SMTP error from remote mail server after end of data:\n    421 4.7.28 Try again later\n\n" +
		"No action is required on your part. Delivery attempts will continue for\nsome time.\n"
	eximFailure = "Subject: Mail delivery failed: returning message to sender\n\n" +
		"A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n" +
		"  rcpt@example.net\n    SMTP error from remote mail server after end of data:\n    421 4.7.28 Try again later: retry timeout exceeded\n"
)

// TestDelayOfAnotherRecipient checks that a failure pasted next to a
// delay notice fails only its own recipient.
func TestDelayOfAnotherRecipient(t *testing.T) {
	text := "下記の2通が届きました。\n\n" + eximDelay + "\n-----\n" + strings.ReplaceAll(eximFailure, "rcpt@", "other@")
	rep, err := ndr.ExplainText(text)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ndr.Action{}
	for _, r := range rep.Recipients {
		got[r.Recipient] = r.Action
	}
	want := map[string]ndr.Action{"rcpt@example.net": ndr.ActionDelayed, "other@example.net": ndr.ActionFailed}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

// TestChallengeResponse checks that a challenge-response filter's request
// for confirmation is a held message of the filter's user (a delay with
// no action, not a delivered auto-reply), and that what only resembles
// one is not.
func TestChallengeResponse(t *testing.T) {
	const tmdaBody = "\nYour e-mail message was not delivered because your address was not recognized.\n" +
		"To release your message for delivery, please reply.\n\n<mailto:jane-confirm-1607302800.12345.abcdef@example.org>\n"
	type got struct {
		Kind      ndr.Kind
		Recipient string
		Action    ndr.Action
		Reason    ndr.Reason
		Entry     string
	}
	for _, tc := range []struct {
		name, msg string
		want      got
	}{
		{"TMDA request",
			"From: Jane <jane@example.org>\nTo: s@example.com\nSubject: Please confirm your message\nAuto-Submitted: auto-replied\nX-Delivery-Agent: TMDA/1.1.12 (Macallan)\n" + tmdaBody,
			got{ndr.KindDelay, "jane@example.org", "", ndr.ReasonPolicyViolation, "challenge-response-confirmation"}},
		{"TMDA request from its confirmation address",
			"From: <jane-confirm-1607302800.12345.abcdef@example.org>\nTo: s@example.com\nSubject: Please confirm your message\nAuto-Submitted: auto-replied\nX-Delivery-Agent: TMDA/1.1.12\n" + tmdaBody,
			got{ndr.KindDelay, "jane@example.org", "", ndr.ReasonPolicyViolation, "challenge-response-confirmation"}},
		{"TMDA notice that the message was released",
			"From: Jane <jane@example.org>\nTo: s@example.com\nSubject: Confirmation accepted\nAuto-Submitted: auto-replied\nX-Delivery-Agent: TMDA/1.1.12\n\nYour confirmation was accepted, and so your original message has been delivered.\n",
			got{ndr.KindAutoReply, "jane@example.org", "", ndr.ReasonVacation, "reason-vacation"}},
		{"BoxTrapper request",
			"From: Taro <taro@example.net>\nTo: s@example.com\nSubject: Your email requires verification verify#1NqB2x-0004Kd-3L\n\nThe message you sent requires verification.\n",
			got{ndr.KindDelay, "taro@example.net", "", ndr.ReasonPolicyViolation, "challenge-response-confirmation"}},
	} {
		rep, err := ndr.Explain(strings.NewReader(tc.msg))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		r := rep.Recipients[0]
		g := got{rep.Kind, r.Recipient, r.Action, r.Reason, ""}
		if len(r.Explanations) > 0 {
			g.Entry = r.Explanations[0].ID
		}
		if diff := cmp.Diff(tc.want, g); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// A user forwarding a request is no request.
	fwd := "From: User <user@example.com>\nTo: helpdesk@example.com\nSubject: Fwd: Your email requires verification verify#1NqB2x\n\nWhat is this?\n"
	if rep, err := ndr.Explain(strings.NewReader(fwd)); err == nil {
		t.Errorf("forwarded request: %s report, want none", rep.Kind)
	}
}

// TestGatewayNotices checks that a sending organisation's own gateway's
// notice about a message it holds is no bounce: Active! gate's "[配送保留]"
// (the message goes out after a short hold) and m-FILTER@Cloud's request
// to release a quarantined message, as a message and as pasted text.
func TestGatewayNotices(t *testing.T) {
	for _, tc := range []struct{ name, msg string }{
		{"Active! gate hold, message",
			"From: activegate@example.jp\nTo: user@example.jp\nSubject: [配送保留] 見積書の件\nContent-Type: text/plain; charset=utf-8\n\n以下のメールの配送を保留しています。\n宛先: client@example.com\n"},
		{"m-FILTER@Cloud release request, pasted",
			"件名: [隔離解除申請]\n\n隔離されたメールについて利用者から隔離解除申請がありました。\n宛先: user@example.jp\n"},
	} {
		if rep, err := ndr.Explain(strings.NewReader(tc.msg)); !errors.Is(err, ndr.ErrNotBounce) {
			t.Errorf("%s: got %v, %v; want ErrNotBounce", tc.name, rep, err)
		}
	}
	// A bounce of a message whose subject began with the tag is still a
	// bounce.
	bounce := "From: MAILER-DAEMON@mx.example.jp\nTo: user@example.jp\nSubject: Undelivered Mail Returned to Sender\n\n" +
		"<client@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 user unknown (in reply to RCPT TO command)\n\n" +
		"Subject: [配送保留] 見積書の件\n"
	if _, err := ndr.Explain(strings.NewReader(bounce)); err != nil {
		t.Errorf("a bounce quoting a tagged subject: %v", err)
	}
}
