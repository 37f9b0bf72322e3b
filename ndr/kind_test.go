package ndr_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

// TestReportKind checks the kind a report takes from its recipients'
// actions: a mix of delivered, relayed and expanded is a delivery report.
func TestReportKind(t *testing.T) {
	dsn := func(actions ...string) string {
		var b strings.Builder
		b.WriteString("From: MAILER-DAEMON@mail.example.org\nSubject: Delivery Status Notification\nMIME-Version: 1.0\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n" +
			"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n")
		for i, a := range actions {
			st := map[string]string{"failed": "5.1.1", "delayed": "4.4.1"}[a]
			if st == "" {
				st = "2.0.0"
			}
			b.WriteString("\nFinal-Recipient: rfc822; r" + string(rune('a'+i)) + "@example.net\nAction: " + a + "\nStatus: " + st + "\n")
		}
		b.WriteString("\n--b--\n")
		return b.String()
	}
	for _, tc := range []struct {
		name    string
		actions []string
		want    ndr.Kind
	}{
		{"delivered", []string{"delivered"}, ndr.KindDelivery},
		{"delivered, relayed and expanded", []string{"delivered", "relayed", "expanded"}, ndr.KindDelivery},
		{"delayed", []string{"delayed", "delayed"}, ndr.KindDelay},
		{"one failed among deliveries", []string{"delivered", "failed"}, ndr.KindFailure},
	} {
		rep, err := ndr.Explain(strings.NewReader(dsn(tc.actions...)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, rep.Kind); diff != "" {
			t.Errorf("%s: kind (-want +got):\n%s", tc.name, diff)
		}
	}
}
