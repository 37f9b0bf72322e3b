package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// receivingSESMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var receivingSESMark = mime.NewMarker(receivingSESLead)

// Amazon SES's receiving side (inbound-smtp.<region>.amazonaws.com)
// reports a message it could not deliver to a receipt rule's
// destination. The report is sent through SES (X-SES-Outgoing, message
// id @<region>.amazonses.com), from the postmaster of the receiving
// domain, with the subject "Delivery Status Notification (Failure)", the
// one sentence "This message could not be delivered." and a
// delivery-status part whose Reporting-MTA is the inbound-smtp host.
// The recipients and replies are those of the delivery-status part.

// receivingSESLead is the report's only sentence.
const receivingSESLead string = "this message could not be delivered."

// detectReceivingSES reads the reports of SES's receiving side.
func detectReceivingSES(m *mime.Message, out *found) {
	if m.DSN == nil || m.Get("X-SES-Outgoing") == "" || !m.InBounce(receivingSESMark) {
		return
	}
	if !strings.HasPrefix(dsn.HostOf(dsn.FieldOf(m.DSN.Message, "Reporting-MTA")), "inbound-smtp.") {
		return
	}
	out.addDSN(m.DSN, func(r *record.Recipient) bool {
		r.DecodedBy = ""
		return true
	})
}
