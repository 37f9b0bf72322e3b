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
