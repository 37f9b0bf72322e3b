package dsn

import (
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// FuzzParse reads arbitrary text as a delivery-status part: it must not
// panic, no field keeps a control byte that Parse drops, and every
// recipient block gives one recipient.
func FuzzParse(f *testing.F) {
	f.Add("Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no\n")
	f.Add("Final-Recipient: rfc822;\n\n\nAction: delayed\nStatus: 4.4.1\nbroken line\n")
	f.Add("Final-Recipient :rfc822;<s@example.net>\nOriginal-Recipient: rfc822 ; s@example.net\nACTION: FAILED\n")
	f.Add("Final-Recipient: rfc822; n@example.com\x00\x00\nAction: failed\x00\n\x00\x00\nX-Nul\x00Field: v\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		for _, global := range []bool{false, true} {
			ds := Parse(body, global)
			if ds == nil {
				continue
			}
			for _, fs := range append([][]record.Field{ds.Message}, ds.Recipients...) {
				for _, f := range fs {
					if CountControls(f.Name+f.Value) > 0 {
						t.Errorf("control bytes kept in %q: %q", f.Name, f.Value)
					}
				}
			}
			if rs := RecipientsOf(ds); len(rs) > len(ds.Recipients) {
				t.Errorf("%d recipients from %d blocks", len(rs), len(ds.Recipients))
			}
		}
	})
}
