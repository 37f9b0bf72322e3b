package layout

import (
	"regexp"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// powermtaMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var powermtaMark = mime.NewMarker(powermtaLead)

// PowerMTA (Port25) reports with the subject "Delivery report", a
// delivery-status part with its own fields (X-PowerMTA-VirtualMTA per
// message, X-PowerMTA-BounceCategory per recipient) and a text that
// lists one line per recipient:
//
//	Hello, this is the mail server on mta.example.net.
//	...
//	<user@example.com> delivery failed; will not continue trying
var (
	powermtaLead  = "hello, this is the mail server on "
	powermtaEntry = regexp.MustCompile(`^[ \t]*<([^<>\s]+@[^<>\s]+)>[ \t]+(delivery (failed|delayed)[^\n]*?)[ \t]*$`)
)

// isPowerMTAReport reports whether m carries PowerMTA's markers.
func isPowerMTAReport(m *mime.Message) bool {
	if m.DSN != nil && dsn.FieldOf(m.DSN.Message, "X-PowerMTA-VirtualMTA") != "" {
		return true
	}
	return m.InBounce(powermtaMark)
}

// detectPowerMTA reads PowerMTA's reports.
func detectPowerMTA(m *mime.Message, out *found) {
	if !isPowerMTAReport(m) {
		return
	}
	for _, sm := range textmatch.LineSubmatches(powermtaEntry, m.BounceText(), "delivery ") {
		r := record.Recipient{Recipient: sm[1], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(sm[2])}
		if sm[3] == "delayed" {
			r.Action = record.ActionDelayed
		}
		out.add(r)
	}
}
