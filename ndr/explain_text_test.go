package ndr

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/remedy"
)

func TestExplainTextPasted(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Reason
	}{
		{"<user@example.net>: host mx.example.net[192.0.2.10] said: 550 5.7.1 Delivery not authorized, message refused by the recipient's mail filter (in reply to end of DATA command)", ReasonFiltered},
		{"<user@example.net>: host mx.example.net[192.0.2.10] said: 554 5.6.0 Message content rejected: invalid MIME structure (in reply to end of DATA command)", ReasonContentError},
	} {
		rep, err := ExplainText(tc.text)
		if err != nil {
			t.Fatalf("ExplainText(%q): %v", tc.text, err)
		}
		if len(rep.Recipients) != 1 {
			t.Fatalf("ExplainText(%q): %d recipients, want 1", tc.text, len(rep.Recipients))
		}
		if got := rep.Recipients[0].Reason; got != tc.want {
			t.Errorf("ExplainText(%q): reason %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestOriginalInBody checks that reusing the copy marker found for the
// bounce text finds the returned header that a fresh search finds.
func TestOriginalInBody(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "bounces", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := read(data, false, buildOptions(nil))
		if err != nil {
			t.Fatal(err)
		}
		got, gotOK := mime.OriginalInBody(m)
		want, wantOK := mime.OriginalInText(m.Body)
		if len(m.BounceText()) == len(m.Body) {
			want, wantOK = record.Original{}, false
		}
		if diff := cmp.Diff(want, got); diff != "" || gotOK != wantOK {
			t.Errorf("%s: originalInBody (-originalInText +got, ok %v want %v):\n%s", f, gotOK, wantOK, diff)
		}
	}
}

// A pasted notice whose recipients' actions come from its wording, not
// from a layout, is a delay or a failure by those actions.
func TestExplainTextKind(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Kind
	}{
		{"delay notice", "Delivery is delayed to these recipients or groups:\n\nuser@example.net\n\n" +
			"This message hasn't been delivered yet. Delivery will continue to be attempted.\n\n" +
			"user@example.net\nRemote Server at mx.example.net (192.0.2.1) returned '400 4.4.7 Message delayed'\n", KindDelay},
		{"failure", "<user@example.net>: host mx.example.net[192.0.2.10] said: 550 5.1.1 unknown user (in reply to RCPT TO command)", KindFailure},
	} {
		rep, err := ExplainText(tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if rep.Kind != tc.want {
			t.Errorf("%s: kind %s, want %s", tc.name, rep.Kind, tc.want)
		}
	}
}

// TestPastedFragments covers what users paste from an NDR: the reply
// line alone, a masked address, an address that a narrow window wrapped.
func TestPastedFragments(t *testing.T) {
	type got struct {
		Recipient string
		Reason    Reason
		NoAddress bool // an ErrNoAddress warning
		Masked    bool
	}
	tests := []pastedCase[got]{
		{"reply line only",
			"Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n",
			[]got{{"", ReasonUserUnknown, true, false}}},
		{"reply in a note",
			"下記のエラーが返ってきました。\n\n550 5.2.2 The email account that you tried to reach is over quota.\n",
			[]got{{"", ReasonMailboxFull, true, false}}},
		{"masked domain",
			"<xxx@xxx>: host mx.example.net[192.0.2.1] said: 550 5.1.1 <xxx@xxx>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n",
			[]got{{"xxx@xxx", ReasonUserUnknown, false, true}}},
		{"address wrapped after a hyphen",
			"<nakamura.y@shizuoka-\nseimitsu.co.jp>: host mx.example.net[192.0.2.1] said: 550\n5.1.1 <nakamura.y@shizuoka-seimitsu.co.jp>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n",
			[]got{{"nakamura.y@shizuoka-seimitsu.co.jp", ReasonUserUnknown, false, false}}},
		// A sentence that ends with an address is not a wrapped one.
		{"address at the end of a sentence",
			"Your message could not be delivered to team@example.org.\nPlease check the address: 550 5.1.1 user unknown\n",
			[]got{{"team@example.org", ReasonUserUnknown, false, false}}},
		{"quoted reply keeps its own brackets",
			"Remote Server returned '550 5.1.1 User unknown (in reply to RCPT TO command)'\n",
			[]got{{"", ReasonUserUnknown, true, false}}},
		{"telnet transcript", "220 mx.example.net ESMTP\n250 2.1.0 Ok\n550 5.1.1 User unknown\n",
			[]got{{"", ReasonUserUnknown, true, false}}},
		{"text without a reply", "Please call me about the order.\n", nil},
		{"a success reply", "SMTP test result:\n250 2.0.0 OK queued as 4Xyz\n", nil},
		{"codes inside a word", "foo-550-5.1.1 released today.\n", nil},
		// A log line that quotes only an acceptance reports a delivery.
		{"a delivery log line", "Dec  4 10:00:00 mail postfix/smtp[123]: 4Xyz: to=<a@example.com>, status=sent (250 2.0.0 Ok: queued as XYZ)\n",
			[]got{{"a@example.com", ReasonDelivered, false, false}}},
		{"a code without an enhanced status", "The meeting is in room 550 at 5pm.\n", nil},
		// A mail program's error dialog introduces its outgoing
		// server's reply, which may carry no enhanced status.
		{"a dialog's reply without an enhanced status",
			"メールの送信中にエラーが発生しました。サーバーからの応答: 554 Error :found virus\n",
			[]got{{"", ReasonVirusDetected, true, false}}},
		{"a reply code in a sentence", "We returned 550 units to the store.\n", nil},
		// An application could not connect: no server retried.
		{"an application's connection failure",
			"ERROR Failed to send mail to rcpt@example.net\njavax.mail.MessagingException: Could not connect to SMTP host: mx.example.net, port: 25;\n  nested exception is:\n\tjava.net.ConnectException: Connection refused\n",
			[]got{{"rcpt@example.net", ReasonNetworkError, false, false}}},
		// The outgoing server's size limit refused the message when
		// the mail program submitted it: the sender's side's limit.
		{"a size refusal at submission",
			"メッセージの送信エラー\n送信メッセージのサイズがサーバーのサイズ制限を超えたため送信できませんでした。サーバーからの応答:\n552 5.3.4 Error: message file too big\n",
			[]got{{"", ReasonExceedLimit, true, false}}},
		// Outlook's report of its failed sending task names the user's
		// own account, never a recipient; with no reply of the server
		// quoted, the error's code decides the reason.
		{"Outlook's task error: the connection was interrupted",
			"Task 'sato@example.org - Sending' reported error (0x800CCC0F) : 'The connection to the server was interrupted. If this problem continues, contact your server administrator or Internet service provider (ISP).'\n",
			[]got{{"", ReasonNetworkError, true, false}}},
		{"Outlook's task error: no answer from the sending server",
			"Task 'sato@example.org - Sending' reported error (0x8004210B) : 'The operation timed out waiting for a response from the sending (SMTP) server. If you continue to receive this message, contact your server administrator or Internet service provider (ISP).'\n",
			[]got{{"", ReasonNetworkError, true, false}}},
		{"Outlook's task error: no authentication method in common",
			"Task 'sato@example.org - Sending' reported error (0x800CCC80) : 'None of the authentication methods supported by this client are supported by your server.'\n",
			[]got{{"", ReasonSecurityError, true, false}}},
		// The words of a dialog in another language are not read; the
		// structure and the code are.
		{"Outlook's task error in another language",
			"送信できません。\n\nタスク 'sato@example.co.jp - 送信中' がエラー (0x800CCC0E) を報告しました: '…'\n",
			[]got{{"", ReasonNetworkError, true, false}}},
		// A reply of the outgoing server that the dialog quotes decides.
		{"Outlook's task error with the server's reply",
			"Task 'sato@example.org - Sending' reported error (0x8004210b) : 'The operation timed out waiting for a response from the sending (SMTP) server.  The server responded:  550 5.1.0 <> sender rejected.'\n",
			[]got{{"", ReasonRejected, true, false}}},
		{"Outlook's task error with a quota reply",
			"Task 'sato@example.org- Sending' reported error (0x800CCC7F): 'Establishing an encrypted connection to your outgoing (SMTP) server failed. The server responded: 454 Throttling failure: Daily message quota exceeded.'\n",
			[]got{{"", ReasonSpeeding, true, false}}},
		// A task that sends nothing is no failure to send.
		{"Outlook's receiving task",
			"Task 'sato@example.org - Receiving' reported error (0x800CCC0F) : 'The connection to the server was interrupted.'\n",
			nil},
		{"Outlook's folder synchronisation",
			"Task 'Synchronizing subscribed folders for sato@example.org.' reported error (0x800CCC0E) : 'Outlook cannot synchronize subscribed folders for sato@example.org. Error: Cannot connect to the server.'\n",
			nil},
		// A read receipt pasted into a ticket: delivered, and no bounce.
		{"a pasted read receipt",
			"届いていないということでしょうか？\n\n件名: 未開封: お見積りの件\n差出人: 長谷部 <hasebe@example.com>\n\nメッセージ\n  宛先: 長谷部\n  件名: お見積りの件\nは 2026/12/08 11:48 に開封されずに削除されました。\n\n後藤 goto@example.co.jp\n",
			nil},
		{"a pasted English read receipt",
			"Subject: Not read: Quote\nFrom: Kim <kim@example.com>\n\nYour message was deleted without being read.\n",
			nil},
		// An automatic reply pasted into a ticket names the person who
		// replied, as an automatic reply.
		{"a pasted automatic reply",
			"Subject: Automatic reply: Order\nFrom: Kim <kim@example.com>\n\nI am out of the office until Monday.\n\nTaro taro@example.co.jp\n",
			[]got{{"kim@example.com", ReasonVacation, false, false}}},
	}
	runPasted(t, tests, func(rep *Report, r Recipient) got {
		g := got{Recipient: r.Recipient, Reason: r.Reason, Masked: r.Masked}
		for _, w := range rep.Warnings {
			g.NoAddress = g.NoAddress || errors.Is(w, ErrNoAddress)
		}
		return g
	}, nil)
}

// TestSubmissionRefusal checks that a temporary refusal quoted by a mail
// program, from its own outgoing server, is not told as a server that
// stopped retrying: nothing was queued.
func TestSubmissionRefusal(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       remedy.RetryCase
	}{
		{"mail program", "メールの送信中にエラーが発生しました。サーバーからの応答:\n450 4.7.1 Error: too much mail from 192.0.2.88\nメッセージの受信者 \"rcpt@example.com\" を確認し、再度試してください。\n", remedy.CasePermanent},
		{"outlook", "Task 'Sending' reported error (0x800CCC79): 'The server responded: 452 4.5.3 Error: too many recipients'\n", remedy.CasePermanent},
		{"an application's connection failure", "ERROR Failed to send mail to rcpt@example.net\njavax.mail.MessagingException: Could not connect to SMTP host: mx.example.net, port: 25;\n  nested exception is:\n\tjava.net.ConnectException: Connection refused\n", remedy.CasePermanent},
		{"outlook, no connection", "Task 'sato@example.org - Sending' reported error (0x800CCC0F) : 'The connection to the server was interrupted.'\n", remedy.CasePermanent},
		{"a server's bounce", "<rcpt@example.com>: host mx.example.com[192.0.2.1] said: 450 4.7.1 Error: too much mail from 192.0.2.88 (in reply to RCPT TO command)\n", remedy.CaseExpired},
	} {
		rep, err := ExplainText(tc.text)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		r := rep.Recipients[0]
		if len(r.Explanations) == 0 || r.Explanations[0].RetryCase != tc.want {
			t.Errorf("%s: retry case %v, want %v", tc.name, r.Explanations, tc.want)
		}
	}
}

// pastedCase is a row of a table of pasted texts: the recipients wanted,
// each as the table's test sees it, nil when the text is no bounce.
type pastedCase[G any] struct {
	name, text string
	want       []G
}

// runPasted explains the text of each case and compares its recipients,
// as see gives them, with the case's; then check, if not nil, looks at
// the report.
func runPasted[G any](t *testing.T, tests []pastedCase[G], see func(rep *Report, r Recipient) G, check func(t *testing.T, rep *Report)) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := ExplainText(tt.text)
			if tt.want == nil {
				if !errors.Is(err, ErrNotBounce) {
					t.Errorf("got %+v, %v; want ErrNotBounce", rep, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var gots []G
			for _, r := range rep.Recipients {
				gots = append(gots, see(rep, r))
			}
			if diff := cmp.Diff(tt.want, gots); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if check != nil {
				check(t, rep)
			}
		})
	}
}
