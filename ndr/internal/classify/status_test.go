package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// The status of a recipient is the most specific one its report gives:
// an inner reply's code replaces an outer one that names no condition
// (X.0.0, X.Y.0), and a specific outer code stays.
func TestStatusFromInnerReply(t *testing.T) {
	for _, tc := range []struct {
		name, diag, reported, want string
	}{
		{"Exchange wrapper around a group restriction",
			"554 5.7.0 < #5.7.133 smtp;550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required [Stage: CreateMessage]>", "", "5.7.133"},
		{"Exchange wrapper, reported status given",
			"554 5.7.0 < #5.7.133 smtp;550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required>", "5.7.0", "5.7.133"},
		{"generic outer code",
			"550 5.0.0 Remote server said: 550 5.1.1 <a@example.org>: user unknown", "", "5.1.1"},
		{"specific outer code stays",
			"550 5.4.1 Recipient rejected: the server said 550 5.7.1 Access denied", "", "5.4.1"},
		{"inner code that names no condition does not replace the outer one",
			"550 5.7.0 Refused: 550 5.7.0 policy", "", "5.7.0"},
		{"no inner reply",
			"554 5.7.0 Message rejected", "", "5.7.0"},
		// Postfix src/smtp/smtp_proto.c: its own 5.7.10 for a REQUIRETLS
		// message whose server would not start TLS, quoting the reply.
		{"the report's specific status stays before an inner X.Y.0",
			"Sender requested REQUIRETLS, but host mx.example.org[192.0.2.7] refused to start TLS: 454 4.7.0 TLS not available due to local problem", "5.7.10", "5.7.10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := record.Recipient{Recipient: "user@example.org", Diagnostic: tc.diag, Action: record.ActionFailed}
			if tc.reported != "" {
				r.Status = enhancedcode.MustParse(tc.reported)
			}
			Finish(&r, &mime.Message{})
			if diff := cmp.Diff(tc.want, r.Status.String()); diff != "" {
				t.Errorf("status (-want +got):\n%s", diff)
			}
		})
	}
}
