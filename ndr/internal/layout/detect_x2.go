package layout

import (
	"regexp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// x2Lead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var x2Lead = mime.NewMarker("unable to deliver message to the following address(es).")

// A qmail-derived MTA of a large web mail service words its reports
// "Message from example.com. / Unable to deliver message to the following
// address(es)." and then lists "<address>:" paragraphs as qmail does,
// ending with "--- Original message follows.".
var x2Marker = regexp.MustCompile(`(?im)^message from\s+\S+\.\s*\n\s*unable to deliver message to the following address\(es\)\.`)

// detectX2 reads that service's reports.
func detectX2(m *mime.Message, out *found) {
	if !m.InBody(x2Lead) || !x2Marker.MatchString(m.Body) {
		return
	}
	qmailEntries(m.BounceText(), out)
}
