package layout

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestPostfixExpandedFrom checks that the address Postfix notes a
// recipient was expanded from becomes the recipient's original one, also
// when the note is wrapped onto the next line, and only then.
func TestPostfixExpandedFrom(t *testing.T) {
	const head = "This is the mail system at host mail.example.jp.\n\n" +
		"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
		"                   The mail system\n\n"
	tests := []struct {
		name, text string
		want       map[string]string // recipient -> original recipient
	}{
		{"none", "<a@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 unknown\n",
			map[string]string{"a@example.net": ""}},
		{"one", "<friend@gmail.com> (expanded from <info@example.jp>): host\n    gmail-smtp-in.l.google.com[192.0.2.26] said: 550 5.7.26 unauthenticated\n",
			map[string]string{"friend@gmail.com": "info@example.jp"}},
		{"wrapped onto the next line", "<friend@gmail.com> (expanded\n    from <info@example.jp>): host\n    gmail-smtp-in.l.google.com said: 550 5.7.26 unauthenticated\n",
			map[string]string{"friend@gmail.com": "info@example.jp"}},
		{"two, recipient in capitals", "<A@Example.NET> (expanded from <list@example.jp>): host x[192.0.2.1] said: 550\n    5.1.1 unknown\n\n<b@example.org> (expanded from <list@example.jp>): host y[192.0.2.2] said:\n    550 5.1.1 unknown\n",
			map[string]string{"A@Example.NET": "list@example.jp", "b@example.org": "list@example.jp"}},
		{"expanded from itself", "<a@example.net> (expanded from <A@example.net>): host x[192.0.2.1] said: 550\n    5.1.1 unknown\n",
			map[string]string{"a@example.net": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			for _, r := range decodeAll(mime.Pasted(head + tt.text)) {
				got[r.Recipient] = r.OriginalRecipient
				if !strings.HasPrefix(r.DecodedBy, "postfix") {
					t.Errorf("%s decoded by %q, want postfix", r.Recipient, r.DecodedBy)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("recipient -> original recipient (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMergeOriginalRecipient checks which original recipient a DSN
// recipient keeps when the text names the alias it was expanded from.
func TestMergeOriginalRecipient(t *testing.T) {
	tests := []struct {
		name, dsn, text, want string
	}{
		{"the DSN names none", "", "list@example.jp", "list@example.jp"},
		{"the DSN repeats the final recipient", "Friend@gmail.com", "list@example.jp", "list@example.jp"},
		{"the DSN names another address", "alias@example.org", "list@example.jp", "alias@example.org"},
		{"the text names none", "alias@example.org", "", "alias@example.org"},
	}
	for _, tt := range tests {
		r := record.Recipient{Recipient: "friend@gmail.com", OriginalRecipient: tt.dsn}
		mergeText(&r, record.Recipient{Recipient: "friend@gmail.com", OriginalRecipient: tt.text})
		if r.OriginalRecipient != tt.want {
			t.Errorf("%s: original recipient %q, want %q", tt.name, r.OriginalRecipient, tt.want)
		}
	}
}
