package dsn

import "testing"

// FuzzParse reads arbitrary text as a delivery-status part: it must not
// panic, and every recipient block gives one recipient.
func FuzzParse(f *testing.F) {
	f.Add("Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no\n")
	f.Add("Final-Recipient: rfc822;\n\n\nAction: delayed\nStatus: 4.4.1\nbroken line\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		for _, global := range []bool{false, true} {
			ds := Parse(body, global)
			if ds == nil {
				continue
			}
			if rs := RecipientsOf(ds); len(rs) > len(ds.Recipients) {
				t.Errorf("%d recipients from %d blocks", len(rs), len(ds.Recipients))
			}
		}
	})
}
