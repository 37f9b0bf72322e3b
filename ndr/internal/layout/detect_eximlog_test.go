package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The error of an Exim log line is what follows its fields and, for a
// deferral, its errno (src/src/deliver.c deferral_log, failure_log).
func TestEximLogMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"deferral with a negative errno",
			" R=dkim_lookuphost T=dkim_remote_smtp defer (-54): retry time not reached for any host for 'example.org'",
			"retry time not reached for any host for 'example.org'"},
		{"deferral with a system error and a host",
			" R=dnslookup T=remote_smtp defer (111): Connection refused H=mx.example.org [192.0.2.1]",
			"Connection refused H=mx.example.org [192.0.2.1]"},
		{"failure after the host field, spaced colon",
			" R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.1] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes : SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown",
			"SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown"},
		{"failure with the colon on the transport",
			" R=dnslookup T=remote_smtp: SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds fixed limit",
			"SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds fixed limit"},
		{"routing failure without a transport",
			" : Unrouteable address",
			"Unrouteable address"},
		{"a HELO name in parentheses",
			" R=dnslookup T=remote_smtp H=(helo.example.org) [192.0.2.1] : 451 4.7.1 Greylisted",
			"451 4.7.1 Greylisted"},
		{"a quoted field",
			` R=x T=y C="250 OK id=1" : later text`,
			"later text"},
		{"words without fields are the message",
			" mailbox is full",
			"mailbox is full"},
		{"an unclosed bracket keeps the rest",
			" H=mx [192.0.2.1",
			"[192.0.2.1"},
		{"nothing after the fields", " R=x T=y", ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, eximLogMessage(tt.in)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
