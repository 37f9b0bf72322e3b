package layout

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// report builds a multipart/report message from a text part and the
// per-recipient blocks of a delivery-status part.
func report(t *testing.T, header, text, blocks string) *mime.Message {
	t.Helper()
	const b = "b-1772688007"
	msg := header + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=" + b + "\n\n" +
		"--" + b + "\nContent-Type: text/plain; charset=us-ascii\n\n" + text + "\n" +
		"--" + b + "\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx1.example.co.jp\n\n" + blocks + "\n" +
		"--" + b + "--\n"
	m, err := mime.Walk(string(mime.Normalize([]byte(msg))), mime.Limits{
		MaxSize: 1 << 20, MaxParts: 16, MaxDepth: 4,
		ErrTruncated: errors.New("truncated"), ErrUnknownCharset: errors.New("unknown charset"),
	})
	if err != nil {
		t.Fatal(err)
	}
	m.Prepare()
	return m
}

// TestAliasChildren checks that a DSN recipient that names the address
// the sender wrote, where the text names the address an alias or a
// forward made of it (Exim's "(generated from ...)", Sendmail's
// "(expanded from: ...)"), becomes that address, with the one the sender
// wrote as its original recipient; children of one alias pair with the
// DSN's blocks in turn.
func TestAliasChildren(t *testing.T) {
	const (
		exim = "From: Mail Delivery System <Mailer-Daemon@mx1.example.co.jp>\nSubject: Mail delivery failed: returning message to sender\n"
		head = "This message was created automatically by mail delivery software.\n\n" +
			"A message that you sent could not be delivered to one or more of its\n" +
			"recipients. This is a permanent error. The following address(es) failed:\n\n"
		sendmail = "From: Mail Delivery Subsystem <MAILER-DAEMON@mx1.example.co.jp>\nSubject: Returned mail: see transcript for details\n"
		fatal    = "   ----- The following addresses had permanent fatal errors -----\n"
	)
	type pair struct{ Recipient, Original string }
	tests := []struct {
		name, header, text, blocks string
		want                       []pair
	}{
		{"exim, generated from", exim,
			head + "  hanako@example.net\n    (generated from sales@example.co.jp)\n    host mx.example.net [198.51.100.7]\n" +
				"    SMTP error from remote mail server after RCPT TO:<hanako@example.net>:\n    550 5.1.1 unknown user\n",
			"Action: failed\nFinal-Recipient: rfc822;sales@example.co.jp\nStatus: 5.0.0\n",
			[]pair{{"hanako@example.net", "sales@example.co.jp"}}},
		{"exim, two children of one alias in turn, then an address of its own", exim,
			head + "  ken@example.net\n    (ultimately generated from team@example.co.jp)\n    SMTP error from remote mail server after RCPT TO:<ken@example.net>:\n    550 5.1.1 unknown user\n\n" +
				"  mika@example.org\n    (ultimately generated from team@example.co.jp)\n    SMTP error from remote mail server after RCPT TO:<mika@example.org>:\n    552 5.2.2 over quota\n\n" +
				"  taro@example.com\n    retry timeout exceeded\n",
			"Action: failed\nFinal-Recipient: rfc822;team@example.co.jp\nStatus: 5.0.0\n\n" +
				"Action: failed\nFinal-Recipient: rfc822;team@example.co.jp\nStatus: 5.0.0\n\n" +
				"Action: failed\nFinal-Recipient: rfc822;taro@example.com\nStatus: 5.0.0\n",
			[]pair{{"ken@example.net", "team@example.co.jp"}, {"mika@example.org", "team@example.co.jp"}, {"taro@example.com", ""}}},
		{"exim, the DSN names the failed address itself", exim,
			head + "  hanako@example.net\n    (generated from sales@example.co.jp)\n    550 5.1.1 unknown user\n",
			"Action: failed\nFinal-Recipient: rfc822;hanako@example.net\nStatus: 5.0.0\n",
			[]pair{{"hanako@example.net", "sales@example.co.jp"}}},
		{"sendmail, expanded from the final recipient", sendmail,
			fatal + "<taro@example.net>\n    (reason: 552 5.2.2 Mailbox full)\n    (expanded from: <info@example.co.jp>)\n",
			"Final-Recipient: RFC822; info@example.co.jp\nAction: failed\nStatus: 5.2.2\n",
			[]pair{{"taro@example.net", "info@example.co.jp"}}},
		{"sendmail, expanded from a local alias name", sendmail,
			fatal + "taro@example.net\n    (reason: 552 5.2.2 Mailbox full)\n    (expanded from: sales)\n",
			"Final-Recipient: RFC822; info@example.co.jp\nAction: failed\nStatus: 5.2.2\n",
			[]pair{{"info@example.co.jp", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []pair
			for _, r := range decodeAll(report(t, tt.header, tt.text, tt.blocks)) {
				got = append(got, pair{r.Recipient, r.OriginalRecipient})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("recipients (-want +got):\n%s", diff)
			}
		})
	}
}
