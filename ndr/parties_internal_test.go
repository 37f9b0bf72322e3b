package ndr

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"127.0.0.1", true},
		{"127.0.0.10", true},
		{"localhost", true},
		{"localhost.", true},
		{"LocalHost[127.0.0.1]", true},
		{"mx.example.com[127.0.0.1]", true},
		{"[::1]", true},
		{"IPv6:::1", true},
		{"mx.example.com", false},
		{"192.0.2.10", false},
		{"mx.example.com[192.0.2.10]", false},
		{"localhost.example.com", false},
		{"127.0.0.1.example.com", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.host); got != tt.want {
			t.Errorf("isLoopback(%q) = %t, want %t", tt.host, got, tt.want)
		}
	}
}

func TestExpandedFrom(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]string
	}{
		{"none", "<a@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 unknown", nil},
		{"one", "<friend@gmail.com> (expanded from <info@example.jp>): host gmail-smtp-in.l.google.com[192.0.2.26] said: 550 5.7.26",
			map[string]string{"friend@gmail.com": "info@example.jp"}},
		{"wrapped onto the next line", "<friend@gmail.com> (expanded\n    from <info@example.jp>): host\n    gmail-smtp-in.l.google.com said: 550",
			map[string]string{"friend@gmail.com": "info@example.jp"}},
		{"two, recipient in capitals", "<A@Example.NET> (expanded from <list@example.jp>): host x said: 550\n\n<b@example.org> (expanded from <list@example.jp>): host y said: 550",
			map[string]string{"a@example.net": "list@example.jp", "b@example.org": "list@example.jp"}},
		{"the word alone", "the alias was expanded from a list", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, expandedFrom(tt.text)); diff != "" {
				t.Errorf("expandedFrom (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOriginalRecipient(t *testing.T) {
	expanded := map[string]string{"friend@gmail.com": "info@example.jp"}
	tests := []struct {
		name            string
		rcpt, orig, out string
	}{
		{"DSN names another address", "friend@gmail.com", "alias@example.org", "alias@example.org"},
		{"DSN repeats the recipient; the text notes the alias", "friend@gmail.com", "friend@gmail.com", "info@example.jp"},
		{"DSN repeats it in other letter case", "Staff@example.net", "staff@EXAMPLE.net", ""},
		{"no DSN; the text notes the alias", "Friend@gmail.com", "", "info@example.jp"},
		{"nothing", "user@example.net", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Recipient{Recipient: tt.rcpt, OriginalRecipient: tt.orig}
			if got := originalRecipient(r, expanded); got != tt.out {
				t.Errorf("originalRecipient = %q, want %q", got, tt.out)
			}
		})
	}
}

func TestDecidedLocally(t *testing.T) {
	reply := enhancedcode.Reply{Code: 550, Text: "5.1.1 unknown"}
	tests := []struct {
		name string
		r    Recipient
		want bool
	}{
		{"local delivery agent", Recipient{DiagnosticType: "X-Postfix", Diagnostic: `unknown user: "a@example.jp"`}, true},
		{"text only, no server named", Recipient{Diagnostic: "Unrouteable address"}, true},
		{"local mailer with a reply code", Recipient{DiagnosticType: "X-Unix", ReplyCode: 550, Cause: reply, Diagnostic: "550 5.1.1 <a@example.jp>... User unknown"}, true},
		{"content filter on loopback", Recipient{RemoteMTA: "127.0.0.1", ReplyCode: 550, Command: "RCPT", Cause: reply}, true},
		{"remote server", Recipient{RemoteMTA: "mx.example.net", ReplyCode: 550, Command: "RCPT", Cause: reply}, false},
		{"reply without a server's name", Recipient{ReplyCode: 550, Cause: reply, Replies: []enhancedcode.Reply{reply}}, false},
		{"SMTP command without a reply", Recipient{Command: "DATA"}, false},
		{"smtp diagnostic without a code", Recipient{DiagnosticType: "smtp", Diagnostic: "lost connection"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decidedLocally(&tt.r); got != tt.want {
				t.Errorf("decidedLocally = %t, want %t", got, tt.want)
			}
		})
	}
}
