package enhancedcode

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// found is a Reply as the tests write it: the codes as text, and the
// span text[Start:End] instead of the offsets.
type found struct {
	Code     int
	Enhanced string
	Text     string
	Span     string
}

// foundIn runs Find and returns its replies as found values.
func foundIn(text string) []found {
	var out []found
	for _, r := range Find(text) {
		out = append(out, found{r.Code, r.Enhanced.String(), r.Text, text[r.Start:r.End]})
	}
	return out
}

// Gmail's four-line reply for an unknown user.
const gmailLines string = "550-5.1.1 The email account that you tried to reach does not exist. Please try\n" +
	"550-5.1.1 double-checking the recipient's email address for typos or\n" +
	"550-5.1.1 unnecessary spaces. Learn more at\n" +
	"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si2345678pgb.123 - gsmtp"

const gmailText string = "The email account that you tried to reach does not exist. Please try " +
	"double-checking the recipient's email address for typos or unnecessary spaces. Learn more at " +
	"https://support.google.com/mail/?p=NoSuchUser a1si2345678pgb.123 - gsmtp"

// Exchange Online's expiry notice, which quotes the reply of the last
// attempt, which in turn quotes Yahoo's reply.
const exchangeNested string = `Remote server returned '554 4.4.7 Message expired; Attempted to deliver the message for 2 days <451 4.4.0 ` +
	`Primary target IP address responded with: "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to ` +
	`unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes." Attempted failover ` +
	`to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate ` +
	`hosts. The last endpoint attempted was 192.0.2.20:25>'`

func TestFind(t *testing.T) {
	const yahoo string = "[TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - " +
		"4.16.55.1; see https://postmaster.yahooinc.com/error-codes."
	const lastAttempt string = `Primary target IP address responded with: "421 4.7.0 ` + yahoo + `" Attempted failover ` +
		`to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate ` +
		`hosts. The last endpoint attempted was 192.0.2.20:25`
	const expired string = "Message expired; Attempted to deliver the message for 2 days <451 4.4.0 " + lastAttempt + ">"
	const s775 string = "The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation. " +
		"For e-mail delivery information, see https://postmaster.live.com (S775)"
	tests := []struct {
		name string
		in   string
		want []found
	}{
		{
			name: "postfix",
			in:   "<a@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)",
			want: []found{{550, "5.1.1", "<a@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)",
				"550 5.1.1 <a@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)"}},
		},
		{
			name: "after a full-width colon",
			in:   "エラー：550 5.7.1 送信元がブロックされています",
			want: []found{{550, "5.7.1", "送信元がブロックされています", "550 5.7.1 送信元がブロックされています"}},
		},
		{
			name: "kanji run into a number",
			in:   "番号550 5.7.1 x",
			want: []found{{0, "5.7.1", "x", "5.7.1 x"}},
		},
		{
			name: "gmail multi-line on separate lines",
			in:   gmailLines,
			want: []found{{550, "5.1.1", gmailText, gmailLines}},
		},
		{
			name: "gmail multi-line with CRLF",
			in:   strings.ReplaceAll(gmailLines, "\n", "\r\n") + "\r\n",
			want: []found{{550, "5.1.1", gmailText, strings.ReplaceAll(gmailLines, "\n", "\r\n")}},
		},
		{
			name: "gmail multi-line with CR only",
			in:   strings.ReplaceAll(gmailLines, "\n", "\r"),
			want: []found{{550, "5.1.1", gmailText, strings.ReplaceAll(gmailLines, "\n", "\r")}},
		},
		{
			name: "gmail multi-line unfolded onto one line",
			in:   "Diagnostic-Code: smtp; " + strings.ReplaceAll(gmailLines, "\n", " "),
			want: []found{{550, "5.1.1", gmailText, strings.ReplaceAll(gmailLines, "\n", " ")}},
		},
		{
			name: "gmail multi-line in an indented block",
			in:   "    " + strings.ReplaceAll(gmailLines, "\n", "\n    ") + "\n\nnext paragraph",
			want: []found{{550, "5.1.1", gmailText, strings.ReplaceAll(gmailLines, "\n", "\n    ")}},
		},
		{
			name: "exchange with ## marks",
			in:   "Generating server: mail.example.com\r\n\r\nkijitora@example.com\r\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\r\n",
			want: []found{{550, "5.1.1", "RESOLVER.ADR.RecipNotFound; not found", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"}},
		},
		{
			name: "bare reply code in quotes",
			in:   "Remote Server returned '554 Transaction failed'",
			want: []found{{554, "", "Transaction failed", "554 Transaction failed"}},
		},
		{
			name: "three nested replies",
			in:   exchangeNested,
			want: []found{
				{554, "4.4.7", expired, "554 4.4.7 " + expired},
				{451, "4.4.0", lastAttempt, "451 4.4.0 " + lastAttempt},
				{421, "4.7.0", yahoo, "421 4.7.0 " + yahoo},
			},
		},
		{
			name: "unregistered detail",
			in:   "451 4.7.650 " + s775,
			want: []found{{451, "4.7.650", s775, "451 4.7.650 " + s775}},
		},
		{
			name: "yahoo's four-part number is no code",
			in:   "421 4.7.0 " + yahoo,
			want: []found{{421, "4.7.0", yahoo, "421 4.7.0 " + yahoo}},
		},
		{
			name: "IP addresses are no codes",
			in:   "Remote-MTA: dns; 5.1.1.1\nReceived: from [192.0.2.1] (4.7.1.2) by 2001:db8::550 with 2.1.5.0",
		},
		{
			name: "IPv6 address followed by a word",
			in:   "Received-SPF: pass (domain designates 2001:db8:4002:c05::247 as permitted sender)",
		},
		{
			name: "dates, times and sizes",
			in: "Date: Mon, 12 Feb 2024 10:20:30 +0900\nSize: 250 KB\nat 12:30 550 users\n2024-02-12 451 times\n" +
				"Delay: 450 seconds\nmessage of 552 bytes\n(256 bits) bits=256 verify=NO\nfilename=500-from-y.example.com.eml\n" +
				"Retry-Until: 421 minutes\n",
		},
		{
			name: "one digit before the text",
			in:   "said: 552 1 Requested mail action aborted, mailbox full\nDelay: 450 5 minutes\n",
			want: []found{
				{552, "", "1 Requested mail action aborted, mailbox full", "552 1 Requested mail action aborted, mailbox full"},
			},
		},
		{
			name: "software versions",
			in:   "X-Mailer: PHPMailer 5.2.7 (https://github.com/PHPMailer/PHPMailer)\nX-Mailman-Version: 2.1.5\nby mx (ExampleMTA 4.0.3)",
		},
		{
			name: "the client's address before the text",
			in:   "host mx.example.org[203.0.113.70] said: 550 198.51.100.7 is not allowed to send mail from example.com.\nDelay: 450 198.51.100.7\n",
			want: []found{
				{550, "", "198.51.100.7 is not allowed to send mail from example.com.", "550 198.51.100.7 is not allowed to send mail from example.com."},
			},
		},
		{
			name: "sections of standards",
			in:   "550 HELO host must be a FQDN or address literal (RFC 5321 2.3.5)\nsee RFC5321 4.5.3 and § 4.1.2\n",
			want: []found{
				{550, "", "HELO host must be a FQDN or address literal (RFC 5321 2.3.5)", "550 HELO host must be a FQDN or address literal (RFC 5321 2.3.5)"},
			},
		},
		{
			name: "CR-only line ends",
			in:   "Reporting-MTA: dns; mx.example.jp\r550 5.1.1 <a@example.jp>... User unknown\r554 5.0.0 Service unavailable\r",
			want: []found{
				{550, "5.1.1", "<a@example.jp>... User unknown", "550 5.1.1 <a@example.jp>... User unknown"},
				{554, "5.0.0", "Service unavailable", "554 5.0.0 Service unavailable"},
			},
		},
		{
			name: "status field and diagnostic",
			in:   "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n",
			want: []found{
				{0, "5.1.1", "", "5.1.1"},
				{550, "5.1.1", "no such user", "550 5.1.1 no such user"},
			},
		},
		{
			name: "line folded between the codes",
			in:   "<a@example.jp>: host mx.example.jp[192.0.2.153] said: 550\n    5.1.1 <a@example.jp>... User Unknown (in reply to RCPT TO\n    command)\n",
			want: []found{{550, "5.1.1", "<a@example.jp>... User Unknown (in reply to RCPT TO",
				"550\n    5.1.1 <a@example.jp>... User Unknown (in reply to RCPT TO"}},
		},
		{
			name: "bare reply code with its text on the folded line",
			in:   "<a@example.jp>: host mx.example.jp[192.0.2.153] said: 550\n    Unknown user a@example.jp (in reply to RCPT TO command)\n",
			want: []found{{550, "", "Unknown user a@example.jp (in reply to RCPT TO command)",
				"550\n    Unknown user a@example.jp (in reply to RCPT TO command)"}},
		},
		{
			name: "number at the end of a line is no reply without its context",
			in:   "Total 550\n    Unknown user a@example.jp\n",
		},
		{
			name: "text on the folded line after the codes",
			in:   "<a@example.org>: host mx.example.org[192.0.2.7] said: 452 4.2.2\n    Mailbox full (in reply to RCPT TO command)\n",
			want: []found{{452, "4.2.2", "Mailbox full (in reply to RCPT TO command)", "452 4.2.2\n    Mailbox full (in reply to RCPT TO command)"}},
		},
		{
			name: "multi-line reply in a folded header field",
			in: "Diagnostic-Code: smtp; 550-5.7.1 [192.0.2.10] Our system has detected an\r\n    unusual rate of unsolicited mail. 550-5.7.1 To protect our users,\r\n" +
				"    mail has been blocked. 550 5.7.1\r\n     https://support.google.com/mail/?p=UnsolicitedRateLimitError - gsmtp\r\nNext-Field: x\r\n",
			want: []found{{550, "5.7.1", "[192.0.2.10] Our system has detected an unusual rate of unsolicited mail. To protect our users, " +
				"mail has been blocked. https://support.google.com/mail/?p=UnsolicitedRateLimitError - gsmtp",
				"550-5.7.1 [192.0.2.10] Our system has detected an\r\n    unusual rate of unsolicited mail. 550-5.7.1 To protect our users,\r\n" +
					"    mail has been blocked. 550 5.7.1\r\n     https://support.google.com/mail/?p=UnsolicitedRateLimitError - gsmtp"}},
		},
		{
			name: "reply inside parentheses after a label",
			in:   "<a@example.org>\n    (reason: 550 Host unknown)\n",
			want: []found{{550, "", "Host unknown", "550 Host unknown"}},
		},
		{
			name: "multi-line reply in a transcript",
			in:   "<<< 550-5.7.1 first line\n<<< 550 5.7.1 second line\n",
			want: []found{{550, "5.7.1", "first line second line", "550-5.7.1 first line\n<<< 550 5.7.1 second line"}},
		},
		{
			name: "enhanced code after #",
			in:   "Diagnostic-Code: smtp; 550 #5.1.0 Address rejected.",
			want: []found{{550, "5.1.0", "Address rejected.", "550 #5.1.0 Address rejected."}},
		},
		{
			name: "reply code with a colon",
			in:   "<a@example.jp>:\n550: 5.2.2 <a@example.jp>... Mailbox Full\n",
			want: []found{{550, "5.2.2", "<a@example.jp>... Mailbox Full", "550: 5.2.2 <a@example.jp>... Mailbox Full"}},
		},
		{
			name: "qmail status in parentheses",
			in:   "Sorry, no mailbox here by that name. (#5.1.1)\n",
			want: []found{{0, "5.1.1", "", "5.1.1"}},
		},
		{
			name: "qmail status after a reply's text",
			in:   "Remote host said: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n",
			want: []found{{553, "5.7.1", "sorry, that domain isn't in my list of allowed rcpthosts",
				"553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"}},
		},
		{
			name: "qmail status after a multi-line reply, on its own line",
			in:   "said: 553-Message filtered. See\n    553 the troubleshooting page.\n    (#5.7.1) (in reply to end of DATA command)\n",
			want: []found{{553, "5.7.1", "Message filtered. See the troubleshooting page.",
				"553-Message filtered. See\n    553 the troubleshooting page.\n    (#5.7.1)"}},
		},
		{
			name: "a status far after a reply is its own",
			in:   "550 rejected. More text here. Later: 5.7.1\n",
			want: []found{{550, "", "rejected. More text here. Later: 5.7.1", "550 rejected. More text here. Later: 5.7.1"}, {0, "5.7.1", "", "5.7.1"}},
		},
		{
			name: "bare multi-line reply unfolded",
			in:   "refused to talk to me: 554-mx.example.com ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 See http://postmaster.example.com",
			want: []found{{554, "", "mx.example.com ESMTP Service not available No SMTP service Bad DNS PTR resource record. See http://postmaster.example.com",
				"554-mx.example.com ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 See http://postmaster.example.com"}},
		},
		{
			name: "bare reply codes in a transcript",
			in:   ">>> RCPT To:<a@example.org>\n<<< 550 Unknown user a@example.org\n>>> DATA\n<<< 503 Error: need RCPT command\n",
			want: []found{
				{550, "", "Unknown user a@example.org", "550 Unknown user a@example.org"},
				{503, "", "Error: need RCPT command", "503 Error: need RCPT command"},
			},
		},
		{
			name: "sendmail ellipsis and said",
			in:   "550 example.org (smtp)... 550 Host unknown\n192.0.2.32 said 550 for RCPT TO response",
			want: []found{
				{550, "", "example.org (smtp)... 550 Host unknown", "550 example.org (smtp)... 550 Host unknown"},
				{550, "", "Host unknown", "550 Host unknown"},
				{550, "", "for RCPT TO response", "550 for RCPT TO response"},
			},
		},
		{
			name: "bare reply code after a hyphen and a space",
			in:   "Error message below:\n550 - Requested action not taken: no such user here",
			want: []found{{550, "", "- Requested action not taken: no such user here", "550 - Requested action not taken: no such user here"}},
		},
		{
			name: "success",
			in:   "250 2.0.0 Ok: queued as 4Q1x2y3z",
			want: []found{{250, "2.0.0", "Ok: queued as 4Q1x2y3z", "250 2.0.0 Ok: queued as 4Q1x2y3z"}},
		},
		{
			name: "codes at the end of the text",
			in:   "code 5.7.1",
			want: []found{{0, "5.7.1", "", "5.7.1"}},
		},
		{
			name: "nothing to find",
			in:   "550",
		},
		{
			name: "empty",
			in:   "",
		},
		{
			name: "no reply codes of class 1 or 3, no subject 8",
			in:   "150 Opening connection\n354 Start mail input\n5.8.1 x\n3.1.1\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := foundIn(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Find mismatch (-want +got):\n%s", diff)
			}
			checkReplies(t, tt.in, Find(tt.in))
		})
	}
}

// checkReplies checks what holds for the result of Find on any text.
func checkReplies(t *testing.T, text string, rs []Reply) {
	t.Helper()
	for k, r := range rs {
		if r.Start < 0 || r.Start >= r.End || r.End > len(text) {
			t.Fatalf("reply %d: bad span [%d:%d] in a text of %d bytes", k, r.Start, r.End, len(text))
		}
		if !isDigit(text[r.Start]) || !isDigit(text[r.End-1]) && r.Text == "" {
			t.Errorf("reply %d: span %q does not start with a code or ends after it in white space", k, text[r.Start:r.End])
		}
		if k > 0 && r.Start <= rs[k-1].Start {
			t.Errorf("reply %d starts at %d, not after reply %d at %d", k, r.Start, k-1, rs[k-1].Start)
		}
		if r.Code == 0 && r.Enhanced.IsZero() {
			t.Errorf("reply %d has no code", k)
		}
		if r.Code != 0 && (r.Code < 200 || r.Code > 559 || r.Code/100 == 3 || r.Code%100 > 59) {
			t.Errorf("reply %d: reply code %d", k, r.Code)
		}
		if !r.Enhanced.IsZero() {
			if c, err := Parse(r.Enhanced.String()); err != nil || c != r.Enhanced || r.Enhanced.Subject() > 7 {
				t.Errorf("reply %d: enhanced code %v is not valid (%v)", k, r.Enhanced, err)
			}
		}
		if strings.ContainsAny(r.Text, "\r\n") || strings.TrimSpace(r.Text) != r.Text {
			t.Errorf("reply %d: text %q has a line break or surrounding white space", k, r.Text)
		}
		if strings.HasSuffix(text[r.Start:r.End], " ") || strings.HasSuffix(text[r.Start:r.End], "\t") {
			t.Errorf("reply %d: span %q ends in white space", k, text[r.Start:r.End])
		}
		if len(r.Text) > r.End-r.Start {
			t.Errorf("reply %d: text %q is longer than the span %q", k, r.Text, text[r.Start:r.End])
		}
	}
}

func TestReplyClass(t *testing.T) {
	tests := []struct {
		in             Reply
		temporary, prm bool
	}{
		{Reply{Code: 550, Enhanced: Code{5, 1, 1}}, false, true},
		{Reply{Code: 451, Enhanced: Code{4, 7, 650}}, true, false},
		{Reply{Code: 550, Enhanced: Code{4, 2, 2}}, true, false},
		{Reply{Code: 554}, false, true},
		{Reply{Code: 421}, true, false},
		{Reply{Code: 250}, false, false},
		{Reply{Enhanced: Code{5, 7, 1}}, false, true},
		{Reply{}, false, false},
	}
	for _, tt := range tests {
		if got := tt.in.Temporary(); got != tt.temporary {
			t.Errorf("%+v.Temporary() = %v, want %v", tt.in, got, tt.temporary)
		}
		if got := tt.in.Permanent(); got != tt.prm {
			t.Errorf("%+v.Permanent() = %v, want %v", tt.in, got, tt.prm)
		}
	}
}

func TestUnfold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"no breaks", "no breaks"},
		{"a\nb", "a\nb"},
		{"a\r\n  b", "a b"},
		{"a  \n\tb\n c", "a b c"},
		{"a\r b\r\n\r\n c", "a b\r\n c"},
		{"said: 550\n    5.1.1 <a@b>... User Unknown (in reply to RCPT TO\n    command)\n", "said: 550 5.1.1 <a@b>... User Unknown (in reply to RCPT TO command)\n"},
		{"\n x", " x"},
		{"x\n ", "x "},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Unfold(tt.in)); diff != "" {
			t.Errorf("Unfold(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFindUnfolded(t *testing.T) {
	in := "<a@example.org>: host aspmx.l.example.com[192.0.2.26] said:\n" +
		"    550-5.7.1 This message is not RFC 5322 compliant. There are multiple\n" +
		"    Subject 550-5.7.1 headers. Please visit 550-5.7.1\n" +
		"    https://support.example.com/mail/?p=RfcMessageNonCompliant and review 550\n" +
		"    5.7.1 RFC 5322 specifications for more information. - gsmtp (in reply to\n" +
		"    end of DATA command)\n"
	want := []found{{550, "5.7.1", "This message is not RFC 5322 compliant. There are multiple Subject headers. " +
		"Please visit https://support.example.com/mail/?p=RfcMessageNonCompliant and review RFC 5322 specifications " +
		"for more information. - gsmtp (in reply to end of DATA command)",
		"550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject 550-5.7.1 headers. Please visit 550-5.7.1 " +
			"https://support.example.com/mail/?p=RfcMessageNonCompliant and review 550 5.7.1 RFC 5322 specifications for " +
			"more information. - gsmtp (in reply to end of DATA command)"}}
	if diff := cmp.Diff(want, foundIn(Unfold(in))); diff != "" {
		t.Errorf("Find(Unfold(...)) mismatch (-want +got):\n%s", diff)
	}
}

func BenchmarkFind(b *testing.B) {
	text := "Reporting-MTA: dns; mx.example.jp\n" +
		"X-Postfix-Queue-ID: 4Q1x2y3z\n" +
		"Arrival-Date: Mon, 12 Feb 2024 10:20:30 +0900 (JST)\n\n" +
		"Final-Recipient: rfc822; kijitora@example.com\n" +
		"Original-Recipient: rfc822;kijitora@example.com\n" +
		"Action: failed\n" +
		"Status: 5.1.1\n" +
		"Remote-MTA: dns; gmail-smtp-in.l.google.com\n" +
		"Diagnostic-Code: smtp; " + gmailLines + "\n"
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text)
	}
}

// BenchmarkFindLongInput runs Find over about 1 MiB of adversarial text:
// a long multi-line reply, and one line with many bracketed replies.
// Its time per byte should stay close to BenchmarkFind's.
func BenchmarkFindLongInput(b *testing.B) {
	for _, bc := range []struct{ name, unit string }{
		{"multiline", "550-5.1.1 line of a long reply\n"},
		{"bracketed", "<550 5.7.1 x "},
		{"quoted", "'550 5.7.1 x "},
	} {
		text := strings.Repeat(bc.unit, (1<<20)/len(bc.unit))
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Find(text)
			}
		})
	}
}
