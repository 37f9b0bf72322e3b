package dsn

import (
	"net/mail"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

func TestParseDeliveryStatus(t *testing.T) {
	body := "Reporting-MTA: dns; a.example\nArrival-Date: Mon, 23 Nov 2026 10:00:00 +0900\n\n" +
		"Final-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1\n  user unknown\n" +
		"\n\nFinal-Recipient: rfc822; y@example.net\nAction: delayed\nStatus: 4.4.1\nbroken line without colon\n"
	ds := Parse(body, false)
	want := &DeliveryStatus{
		Message: []record.Field{{Name: "Reporting-MTA", Value: "dns; a.example"}, {Name: "Arrival-Date", Value: "Mon, 23 Nov 2026 10:00:00 +0900"}},
		Recipients: [][]record.Field{
			{{Name: "Final-Recipient", Value: "rfc822; x@example.net"}, {Name: "Action", Value: "failed"}, {Name: "Status", Value: "5.1.1"}, {Name: "Diagnostic-Code", Value: "smtp; 550 5.1.1 user unknown"}},
			{{Name: "Final-Recipient", Value: "rfc822; y@example.net"}, {Name: "Action", Value: "delayed"}, {Name: "Status", Value: "4.4.1 broken line without colon"}},
		},
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestParseGroupsWithoutBlankLines checks that recipients' groups written
// without the blank lines between them are still told apart.
func TestParseGroupsWithoutBlankLines(t *testing.T) {
	body := "Reporting-MTA: dns; a.example\n\n" +
		"Final-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\n" +
		"Original-Recipient: rfc822; alias@example.net\nFinal-Recipient: rfc822; y@example.net\nAction: failed\nStatus: 5.2.2\n" +
		"Final-Recipient: rfc822; z@example.net\nAction: delayed\nStatus: 4.4.1\n"
	var got []string
	for _, g := range Parse(body, false).Recipients {
		got = append(got, FieldOf(g, "Original-Recipient")+"|"+FieldOf(g, "Final-Recipient")+"|"+FieldOf(g, "Status"))
	}
	want := []string{"|rfc822; x@example.net|5.1.1", "rfc822; alias@example.net|rfc822; y@example.net|5.2.2", "|rfc822; z@example.net|4.4.1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMailDateForms checks that the fast path for common dates agrees
// with net/mail.
func TestMailDateForms(t *testing.T) {
	for _, s := range []string{
		"Mon, 16 Mar 2026 06:59:58 UTC",
		"Mon, 16 Mar 2026 06:59:58 GMT",
		"Tue,  3 Feb 2026 10:00:00 +0900",
		"Tue, 3 Feb 2026 10:00:00 +0900 (JST)",
		"Mon, 16 Mar 2026 06:59:58 JST",
	} {
		want, err := mail.ParseDate(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got, err := MailDate(s)
		if err != nil || !got.Equal(want) || got.Location().String() != want.Location().String() {
			t.Errorf("mailDate(%q) = %v, %v; net/mail gives %v", s, got, err, want)
		}
	}
}

func TestSplitBlocks(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a: 1\nb: 2", []string{"a: 1\nb: 2"}},
		{"\n \na: 1\n\t\nb: 2\n c\n\n", []string{"a: 1", "b: 2\n c"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, splitBlocks(tt.in)); diff != "" {
			t.Errorf("splitBlocks(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestReplyPrefixLen(t *testing.T) {
	for _, s := range replyPrefixTexts {
		want := len(replyPrefixRe.FindString(s))
		if got := replyPrefixLen(s); got != want {
			t.Errorf("replyPrefixLen(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzReplyPrefixLen(f *testing.F) {
	for _, s := range replyPrefixTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := len(replyPrefixRe.FindString(s))
		if got := replyPrefixLen(s); got != want {
			t.Errorf("replyPrefixLen(%q) = %d, want %d", s, got, want)
		}
	})
}

// replyPrefixRe is what replyPrefixLen reads, as a regular expression.
var replyPrefixRe = regexp.MustCompile(`^([245][0-5][0-9])([ -])(?:([245]\.[0-9]{1,3}\.[0-9]{1,3}) )?`)

var replyPrefixTexts = []string{
	"", "550", "550 ", "550-", "550 5.1.1 x", "550-5.1.1 x", "550 5.1.1", "550 5.1.1x", "451-4.7.0 x",
	"550 5.1234.1 x", "550 5.1.1234 x", "550 5.12.123 x", "550 6.1.1 x", "560 5.1.1 x", "550x5.1.1",
	"250 2.0.0 ok", "550 5..1 x", "550 5.1. x", "550 5.", "550 5.1", "550-5.1.1-x", "550  5.1.1 x",
}

// TestStatusComment checks the reply text read from a comment after the
// code of a Status field, which stands in for a missing Diagnostic-Code.
func TestStatusComment(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"5.1.2 (550 Domain not found)", "550 Domain not found"},
		{" 4.4.1 ( 421 Try later ) ", "421 Try later"},
		{"5.1.1", ""},
		{"5.1.1 ()", ""},
		{"5.1.1 (unclosed", ""},
		{"5.1.1 text (x)", ""},
		{"4.4.0 (other or undefined network or routing status)", ""},
		{"5.0.0 (550)", "550"},
		{"5.0.0 (5501 x)", ""},
		{"", ""},
	} {
		if got := statusComment(tt.in); got != tt.want {
			t.Errorf("statusComment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsFieldLine(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"Final-Recipient: rfc822; a@example.net", true},
		{"Final-Recipient:rfc822;a@example.net", true},
		// RFC 5322, section 4.5.3: obs-optional allows white space
		// before the colon.
		{"Final-Recipient :rfc822;<a@example.net>", true},
		{"Final-Recipient \t : x", true},
		{"Final Recipient: x", false},
		{" Final-Recipient: x", false},
		{"\tAction: failed", false},
		{": x", false},
		{" : x", false},
		{"no colon", false},
		{"X-Nul\x00Field: x", false},
		{"Nämn: x", false},
	} {
		if got := IsFieldLine(tt.in); got != tt.want {
			t.Errorf("IsFieldLine(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseFields(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []record.Field
	}{
		{
			name: "white space before the colon",
			in:   "Final-Recipient :rfc822;<s@example.net>\nACTION\t: FAILED\nSTATUS: 5.1.1",
			want: []record.Field{{Name: "Final-Recipient", Value: "rfc822;<s@example.net>"}, {Name: "ACTION", Value: "FAILED"}, {Name: "STATUS", Value: "5.1.1"}},
		},
		{
			name: "folded after white space before the colon",
			in:   "final-recipient :RFC822;\n        Jiro@Example.NE.JP",
			want: []record.Field{{Name: "final-recipient", Value: "RFC822; Jiro@Example.NE.JP"}},
		},
		{
			name: "NUL bytes after a value are dropped",
			in:   "Final-Recipient: rfc822; n@example.com\x00\x00\nAction: failed\x00\nStatus: 5.1.1",
			want: []record.Field{{Name: "Final-Recipient", Value: "rfc822; n@example.com"}, {Name: "Action", Value: "failed"}, {Name: "Status", Value: "5.1.1"}},
		},
		{
			name: "control bytes inside a value and a name are dropped",
			in:   "Diagnostic-Code: smtp; 550 5.1.1 address\x00\n    re\x01jected\x7f\nX-Nul\x00Field: value\x1f\r",
			want: []record.Field{{Name: "Diagnostic-Code", Value: "smtp; 550 5.1.1 address rejected\x7f"}, {Name: "X-NulField", Value: "value"}},
		},
		{
			name: "a line of control bytes only is blank",
			in:   "Action: failed\n\x00\x00\x00\n\x01\x02 \x03\nStatus: 5.1.1",
			want: []record.Field{{Name: "Action", Value: "failed"}, {Name: "Status", Value: "5.1.1"}},
		},
		{
			name: "escape sequences of ISO-2022-JP are kept",
			in:   "Diagnostic-Code: smtp; 550 \x1b$B%F%9%H\x1b(B",
			want: []record.Field{{Name: "Diagnostic-Code", Value: "smtp; 550 \x1b$B%F%9%H\x1b(B"}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseFields(tt.in)); diff != "" {
				t.Errorf("ParseFields(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTypedValue(t *testing.T) {
	for _, tt := range []struct{ in, typ, val string }{
		{"rfc822; a@example.net", "rfc822", "a@example.net"},
		{"RFC822;a@example.net", "rfc822", "a@example.net"},
		{"rfc822 ; a@example.net", "rfc822", "a@example.net"},
		{"  rfc822\t;\ta@example.net ", "rfc822", "a@example.net"},
		{"smtp ; 550 5.1.1 no", "smtp", "550 5.1.1 no"},
		{"rfc822;", "rfc822", ""},
		{"a@example.net", "", "a@example.net"},
		{"<a;b@example.net>", "", "<a;b@example.net>"},
		{"\"a;b\"@example.net", "", "\"a;b\"@example.net"},
		{"550 5.1.1 user; unknown", "", "550 5.1.1 user; unknown"},
		{"rfc 822; a@example.net", "", "rfc 822; a@example.net"},
		{" ; a@example.net", "", "; a@example.net"},
	} {
		typ, val := TypedValue(tt.in)
		if typ != tt.typ || val != tt.val {
			t.Errorf("TypedValue(%q) = %q, %q; want %q, %q", tt.in, typ, val, tt.typ, tt.val)
		}
	}
}

// TestRecipientsOfOddFields reads recipient blocks written with the odd
// but valid forms of real reports, and with junk bytes in them.
func TestRecipientsOfOddFields(t *testing.T) {
	type rcpt struct {
		Recipient, Original string
		Action              record.Action
		Status              string
		Diagnostic          string
	}
	for _, tt := range []struct {
		name, body string
		want       []rcpt
	}{
		{
			name: "white space before the colon, angle brackets, upper case",
			body: "reporting-mta:   dns;   mx1.example.ne.jp\n\n" +
				"final-recipient:RFC822;\n        Jiro.Tanaka@Example.NE.JP\nORIGINAL-RECIPIENT:  rfc822 ; jiro.tanaka@example.ne.jp\naction:   Failed  \nstatus:\t5.2.2   (mailbox full)\n\n" +
				"Final-Recipient :rfc822;<saburo@example.ne.jp>\nACTION: FAILED\nSTATUS: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <saburo@example.ne.jp>: Recipient address\n\trejected: User unknown\n",
			want: []rcpt{
				{Recipient: "Jiro.Tanaka@Example.NE.JP", Original: "jiro.tanaka@example.ne.jp", Action: "failed", Status: "5.2.2"},
				{Recipient: "saburo@example.ne.jp", Action: "failed", Status: "5.1.1", Diagnostic: "550 5.1.1 <saburo@example.ne.jp>: Recipient address rejected: User unknown"},
			},
		},
		{
			name: "NUL bytes after the address and the action",
			body: "Reporting-MTA: dns; mail.example.co.jp\x00\nX-Nul\x00Field: value\n\n" +
				"Final-Recipient: rfc822; nul.test@example.com\x00\x00\nAction: failed\x00\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <nul.test@example.com>: Recipient address\x00\n    rejected: User unknown\n",
			want: []rcpt{
				{Recipient: "nul.test@example.com", Action: "failed", Status: "5.1.1", Diagnostic: "550 5.1.1 <nul.test@example.com>: Recipient address rejected: User unknown"},
			},
		},
		{
			name: "a line of NUL bytes between two blocks",
			body: "Final-Recipient: rfc822; a@example.com\nAction: failed\n\x00\x00\x00\nFinal-Recipient: rfc822; b@example.com\nAction: delayed\n",
			want: []rcpt{
				{Recipient: "a@example.com", Action: "failed"},
				{Recipient: "b@example.com", Action: "delayed"},
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []rcpt
			for _, r := range RecipientsOf(Parse(tt.body, false)) {
				got = append(got, rcpt{r.Recipient, r.OriginalRecipient, r.Action, r.Status.String(), r.Diagnostic})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The Will-Retry-Until of a pasted delay notice belongs to the
// Final-Recipient of its group; a blank line ends the group, and the
// limit bounds the pairs.
func TestRetryUntilLines(t *testing.T) {
	text := "Final-Recipient: rfc822; a@example.jp\nAction: delayed\nWill-Retry-Until: Fri, 11 Dec 2026 09:00:00 +0900\n\n" +
		"Final-Recipient: rfc822; b@example.jp\n\nWill-Retry-Until: Sat, 12 Dec 2026 09:00:00 +0900\n" +
		"final-recipient: rfc822; c@example.jp\r\nwill-retry-until: Sun, 13 Dec 2026 09:00:00 +0900\r\n"
	type pair struct{ final, when string }
	var got []pair
	for f, w := range RetryUntilLines(text, 10) {
		got = append(got, pair{f, w})
	}
	want := []pair{
		{"rfc822; a@example.jp", "Fri, 11 Dec 2026 09:00:00 +0900"},
		{"rfc822; c@example.jp", "Sun, 13 Dec 2026 09:00:00 +0900"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(pair{})); diff != "" {
		t.Errorf("RetryUntilLines (-want +got):\n%s", diff)
	}
	n := 0
	for range RetryUntilLines(text, 1) {
		n++
	}
	if n != 1 {
		t.Errorf("RetryUntilLines with limit 1 gave %d pairs", n)
	}
}
