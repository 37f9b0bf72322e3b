package remedy

import (
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// postfixNotice is the human-readable part of a Postfix bounce as a
// sending provider passes it on: the standard notice, the failed
// recipient and the provider's own help text below it.
var postfixNotice = postfixHeading("smtp02.mail.example.org") + `<alice.walker@example.net>: host mx1.example.net[192.0.2.41] said: 550 5.1.1
    <alice.walker@example.net>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)

-----------------------------------------------------------------------
What this message means

Your message was handed to the receiving mail server, but that server
answered that it has no mailbox for the address above. Nothing was
delivered to that recipient. Other recipients of the same message are
not affected unless they are listed in this report as well.

The most frequent causes are a typing mistake in the address, an
address that was copied from an old signature or business card, or a
person who has left the organisation and whose mailbox was removed.
Some organisations also rename addresses when they move to a new mail
service, for example from first-name.last-name to an initial and the
last name.

What you can do

  1. Compare the address letter by letter with one that worked before.
     Pay attention to dots, hyphens and the part after the @ sign.
  2. If the address came from an address book entry that fills itself
     in, delete that entry and type the address again.
  3. Ask the recipient by telephone or through a colleague for the
     current address, and send the message again to that address.
  4. Sending the same message again to the same address will fail in
     the same way. Please do not resend it until the address is fixed.

If you believe the address is correct and the recipient confirms that
they can receive mail from other senders, forward this whole report as
an attachment to our support desk. Include the time you sent the
message and the address of the recipient. Our support staff will check
the delivery logs of our outgoing servers and contact the operator of
the receiving system when needed.

Support desk opening hours are Monday to Friday, 9:00 to 18:00, except
public holidays. Reports that arrive outside these hours are answered
on the next working day. Please do not reply to this message directly;
replies to the mail system address are not read by a person.

Mail that could not be delivered is kept in the outgoing queue only
while the receiving server reports a temporary problem. A rejection
like the one above is final, so no copy of the message is kept on our
side; the attached copy is the only one.

-----------------------------------------------------------------------
Reference: queue ID 4Xk2Lm0s7Qz9, sent Tue, 3 Mar 2026 10:14:02 +0900
Outgoing server: smtp02.mail.example.org (192.0.2.10)
Customer account: example-shop-tokyo, plan: business standard
`

// m365Notice is the text of a Microsoft 365 non-delivery report in a
// Japanese tenant: the English summary, the Japanese one and the
// diagnostic block.
var m365Notice = `配信不能: 見積書の送付について

Delivery has failed to these recipients or groups:

friend@aol.com (friend@aol.com)
The server or service did not respond in time. Microsoft 365 tried to
deliver the message for some time and then gave up.

次の受信者またはグループへの配信に失敗しました:

friend@aol.com (friend@aol.com)
宛先のサーバーまたはサービスが時間内に応答しませんでした。しばらく再試行
しましたが、配信できませんでした。時間をおいて送信し直すか、受信者に別の
方法で連絡してください。問題が続く場合は、メール管理者に連絡してください。

Diagnostic information for administrators:

Generating server: TYCPR01MB8812.jpnprd01.prod.outlook.com

friend@aol.com
Remote server returned '550 5.4.300 Message expired -> 451 4.4.0 Message failed to be made redundant due to A shadow copy was required but failed to be made with an AckStatus of Timeout'

Original message headers:
`

// smallNotice is the human-readable text of a short Postfix bounce
// around a single remote reply.
func smallNotice(reply string) string {
	return postfixHeading("mail.example.jp") + reply + "\n"
}

// postfixHeading is the standard start of a Postfix bounce notice from
// host, up to the first recipient.
func postfixHeading(host string) string {
	return "This is the mail system at host " + host + ".\n\n" + `I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

`
}

// benchCases are facts as the ndr package builds them for one recipient:
// the innermost reply, the diagnostic and the human-readable text.
var benchCases = []struct {
	name  string
	facts Facts
}{
	{"postfix-user-unknown", Facts{
		Reason: "userunknown", ReplyCode: 550, Status: "5.1.1", Action: "failed",
		Recipient: "alice.walker@example.net", RemoteMTA: "mx1.example.net",
		Texts: []string{
			"Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
			"host mx1.example.net[192.0.2.41] said: 550 5.1.1 <alice.walker@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
			postfixNotice,
		},
	}},
	{"s775", Facts{
		Reason: "badreputation", ReplyCode: 451, Status: "4.7.650", Temporary: true, Action: "delayed",
		Recipient: "someone@outlook.jp", RemoteMTA: "apc.olc.protection.outlook.com",
		Texts: []string{
			"The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)",
			"host apc.olc.protection.outlook.com[203.0.113.7] said: 451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) (in reply to MAIL FROM command)",
			smallNotice("<someone@outlook.jp>: host apc.olc.protection.outlook.com[203.0.113.7] said:\n    451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited\n    due to IP reputation. For e-mail delivery information, see\n    https://postmaster.live.com (S775) (in reply to MAIL FROM command)"),
		},
	}},
	{"m365-no-response", Facts{
		Reason: "expired", Status: "5.0.947", Action: "failed",
		Recipient: "friend@aol.com",
		Texts: []string{
			"",
			"The server or service did not respond in time.",
			m365Notice,
		},
	}},
	{"gmail-5.7.26-multiline", Facts{
		Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed",
		Recipient: "friend@gmail.com", RemoteMTA: "gmail-smtp-in.l.google.com",
		Texts: []string{
			"This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.co.jp] with ip: [192.0.2.8] = did not pass For instructions on setting up authentication, go to https://support.google.com/mail/answer/81126#authentication x1-20020a170902 - gsmtp (in reply to end of DATA command)",
			"host gmail-smtp-in.l.google.com[192.0.2.27] said: 550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. 550-5.7.26 Authentication results: DKIM = did not pass SPF [example.co.jp] with ip: [192.0.2.8] = did not pass 550-5.7.26 For instructions on setting up authentication, go to 550 5.7.26 https://support.google.com/mail/answer/81126#authentication x1-20020a170902 - gsmtp (in reply to end of DATA command)",
			smallNotice("<friend@gmail.com>: host gmail-smtp-in.l.google.com[192.0.2.27] said:\n    550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n    550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.\n    550-5.7.26  Authentication results:  DKIM = did not pass  SPF [example.co.jp] with ip: [192.0.2.8] = did not pass\n    550-5.7.26  For instructions on setting up authentication, go to\n    550 5.7.26  https://support.google.com/mail/answer/81126#authentication x1-20020a170902 - gsmtp (in reply to end of DATA command)"),
		},
	}},
}

// BenchmarkMatchRealistic matches facts of the size the ndr package
// passes for every recipient. ns/match is the cost of one Match call.
func BenchmarkMatchRealistic(b *testing.B) {
	if n := len(postfixNotice); n < 2900 || n > 3200 {
		b.Fatalf("postfix notice is %d bytes, want about 3000", n)
	}
	c := Default()
	for _, bc := range benchCases {
		if len(c.Match(bc.facts)) == 0 {
			b.Fatalf("%s: no match", bc.name)
		}
	}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, bc := range benchCases {
				c.Match(bc.facts)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchCases)), "ns/match")
	})
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Match(bc.facts)
			}
		})
	}
}

// The benchmark facts must give the same results as the realistic
// cases they stand for.
func TestBenchCases(t *testing.T) {
	want := map[string]string{
		"postfix-user-unknown":   "reason-userunknown",
		"s775":                   "ms-s775-ip-reputation",
		"m365-no-response":       "ms365-to-yahoo-aol-no-response",
		"gmail-5.7.26-multiline": "auth-spf-dkim-none",
	}
	for _, bc := range benchCases {
		m, ok := Default().Best(bc.facts)
		got := ""
		if ok {
			got = m.Entry.ID
		}
		if got != want[bc.name] || !strings.Contains(strings.Join(m.Triggers, ";"), " ") {
			t.Errorf("%s: best %q %q, want %q", bc.name, got, m.Triggers, want[bc.name])
		}
	}
}

// BenchmarkExplainRealistic is BenchmarkMatchRealistic with the matches
// rendered in Japanese, as the ndr package asks for them.
func BenchmarkExplainRealistic(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		for _, bc := range benchCases {
			c.Explain(bc.facts, language.Japanese)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchCases)), "ns/explain")
}
