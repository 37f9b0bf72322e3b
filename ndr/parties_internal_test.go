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
	conn := func(addr, host string) Recipient {
		return Recipient{Recipient: addr, RemoteMTA: host, Command: "CONN", Reason: ReasonExpired}
	}
	a, b := conn("a@example.com", "mx.example.com"), conn("b@example.org", "mx.example.org")
	replied := b
	replied.ReplyCode = 421
	rcpt := b
	rcpt.Command = "RCPT"
	lost := b
	lost.Diagnostic = "lost connection with mx.example.org[192.0.2.25] while receiving the initial server greeting"
	to := Original{To: "a@example.com, b@example.org"}
	tests := []struct {
		name string
		rs   []Recipient
		o    Original
		want bool
	}{
		{"two domains", []Recipient{a, b}, to, true},
		{"no returned header", []Recipient{a, b}, Original{}, true},
		{"the message went to others too", []Recipient{a, b}, Original{To: "a@example.com", Header: []Field{{Name: "Cc", Value: "b@example.org, c@example.net"}}}, false},
		{"one shared server", []Recipient{a, conn("b@example.org", "mx2.example.com")}, to, false},
		{"two addresses, one registrable domain", []Recipient{conn("a@tokyo.example.co.jp", "mx.example.com"), conn("b@osaka.example.co.jp", "mx.example.org")}, Original{}, false},
		{"one recipient", []Recipient{a}, Original{}, false},
		{"a server replied", []Recipient{a, replied}, to, false},
		{"refused after the connection", []Recipient{a, rcpt}, to, false},
		{"connected, then lost the connection", []Recipient{a, lost}, to, false},
		{"no remote host", []Recipient{a, conn("b@example.org", "")}, to, false},
	}
	for _, tt := range tests {
		if got := noServerReached(tt.rs, tt.o); got != tt.want {
			t.Errorf("%s: got %t, want %t", tt.name, got, tt.want)
		}
	}
}
