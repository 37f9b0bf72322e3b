package ndr

import (
	"testing"

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
		{"LOCALHOST", true},
		{"mx (127.0.0.2)", true},
		{"\u212alocalhost", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.host); got != tt.want {
			t.Errorf("isLoopback(%q) = %t, want %t", tt.host, got, tt.want)
		}
	}
}

func TestOriginalRecipient(t *testing.T) {
	tests := []struct {
		name            string
		rcpt, orig, out string
	}{
		{"another address (the DSN's, or the alias Postfix expanded)", "friend@gmail.com", "alias@example.org", "alias@example.org"},
		{"the recipient in other letter case", "Staff@example.net", "staff@EXAMPLE.net", ""},
		{"nothing", "user@example.net", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Recipient{Recipient: tt.rcpt, OriginalRecipient: tt.orig}
			if got := originalRecipient(r); got != tt.out {
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

// TestNoServerReached covers the report-wide fact that no recipient's
// mail server was reached (remedy.Facts.Unreachable).
func TestNoServerReached(t *testing.T) {
	conn := func(addr string) Recipient {
		return Recipient{Recipient: addr, Command: "CONN", Reason: ReasonExpired}
	}
	replied := conn("b@example.org")
	replied.ReplyCode = 421
	rcpt := conn("b@example.org")
	rcpt.Command = "RCPT"
	tests := []struct {
		name string
		rs   []Recipient
		want bool
	}{
		{"two domains", []Recipient{conn("a@example.com"), conn("b@example.org")}, true},
		{"two addresses, one registrable domain", []Recipient{conn("a@tokyo.example.co.jp"), conn("b@osaka.example.co.jp")}, false},
		{"one recipient", []Recipient{conn("a@example.com")}, false},
		{"a server replied", []Recipient{conn("a@example.com"), replied}, false},
		{"refused after the connection", []Recipient{conn("a@example.com"), rcpt}, false},
		{"no address", []Recipient{conn("a@example.com"), conn("")}, false},
	}
	for _, tt := range tests {
		if got := noServerReached(tt.rs); got != tt.want {
			t.Errorf("%s: got %t, want %t", tt.name, got, tt.want)
		}
	}
}
