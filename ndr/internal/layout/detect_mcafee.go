package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// McAfee's e-mail gateways report with the subject "Delivery Status", a
// multipart/mixed message (boundary "------------Boundary-00=_...") that
// holds a text, a delivery-status part with Original-Recipient only and
// the returned message. The text lists each address with the reply in
// parentheses:
//
//	    --- The following addresses had delivery problems ---
//
//	<user@example.com>   (5.1.1 <user@example.com>... User unknown)
var (
	mcafeeHeading = "--- the following addresses had delivery problems ---"
	mcafeeEntry   = regexp.MustCompile(`^[ \t]*<([^<>\s]+@[^<>\s]+)>[ \t]+\((.+)\)[ \t]*$`)
)

// detectMcAfee reads the McAfee gateway's reports.
func detectMcAfee(m *mime.Message, out *found) {
	if m.LowerSubject != "delivery status" {
		return
	}
	low := mime.LowerBounce(m)
	k := strings.Index(low, mcafeeHeading)
	if k < 0 {
		return
	}
	for _, sm := range textmatch.LineSubmatches(mcafeeEntry, m.BounceText()[k:], "@") {
		r := record.Recipient{Recipient: sm[1], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(sm[2])}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
