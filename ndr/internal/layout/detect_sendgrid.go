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

// sendgridMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var sendgridMark = mime.NewMarker(sendgridLead)

// SendGrid reports with a text that names it ("This is an automatically
// generated message from SendGrid.") and a delivery-status part with its
// own fields (X-SendGrid-QueueID, X-SendGrid-Sender). The text gives one
// line per recipient, fields separated by " : ": the recipient with
// SendGrid's ids, the sending IP, the remote host with its address, and
// the reply (or only SendGrid's own reason when no host answered):
//
//	user:12345:<user@example.jp> : 192.0.2.1 : mx.example.jp:[192.0.2.2] : 550 5.1.1 ...
//	user:12345:<user@example.org> : Connection timed out in connect
var (
	sendgridLead  = "automatically generated message from sendgrid"
	sendgridEntry = regexp.MustCompile(`^[^\s:<>]*:[^\s:<>]*:<([^<>\s]+@[^<>\s]+)> : (.+)$`)
	sendgridHost  = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9.-]*):\[[0-9a-fA-F.:]+\]$`)
)

// detectSendGrid reads SendGrid's reports.
func detectSendGrid(m *mime.Message, out *found) {
	if !m.InBounce(sendgridMark) {
		return
	}
	for _, sm := range textmatch.LineSubmatches(sendgridEntry, m.BounceText(), "> : ") {
		r := record.Recipient{Recipient: sm[1], Action: record.ActionFailed}
		fields := strings.Split(sm[2], " : ")
		for _, f := range fields[:len(fields)-1] {
			if h := sendgridHost.FindStringSubmatch(strings.TrimSpace(f)); h != nil {
				r.RemoteMTA = strings.ToLower(h[1])
			}
		}
		r.Diagnostic = textutil.CollapseSpace(fields[len(fields)-1])
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
