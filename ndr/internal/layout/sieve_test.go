package layout

import (
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// The recipient of a Sieve reject comes from its MDN part's
// Final-Recipient before the text's "Your message to <...>", and only a
// well-formed address of bounded length counts.
func TestSieveRejectRecipient(t *testing.T) {
	const text = "Your message to <%s> was automatically rejected:\nNo attachments, please.\n\nReporting-UA: mx.example.org; Dovecot Mail Delivery Agent\nFinal-Recipient: rfc822; %s\nDisposition: automatic-action/MDN-sent-automatically; deleted\n"
	tests := []struct {
		name, inText, final, want string
	}{
		{"final recipient first", "text@example.org", "real@example.org", "real@example.org"},
		{"text when the field is not an address", "text@example.org", "nobody", "text@example.org"},
		{"utf-8-addr-xtext", "x", `\x{4F50}@example.org`, "佐@example.org"},
		{"too long for an address", strings.Repeat("a", 300) + "@example.org", strings.Repeat("b", 300) + "@example.org", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mime.Pasted(strings.Replace(strings.Replace(text, "%s", tt.inText, 1), "%s", tt.final, 1))
			rs := SieveRejectRecipients(m, Options{})
			if len(rs) != 1 || rs[0].Recipient != tt.want {
				t.Fatalf("SieveRejectRecipients = %+v, want the recipient %q", rs, tt.want)
			}
			if rs[0].Diagnostic != "No attachments, please." {
				t.Errorf("diagnostic %q", rs[0].Diagnostic)
			}
		})
	}
}
