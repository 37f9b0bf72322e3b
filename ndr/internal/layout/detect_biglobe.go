package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// biglobeLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var biglobeLead = mime.NewMarker("The following addresses had delivery problems")

// BIGLOBE (postmaster@biglobe.ne.jp) reports:
//
//	   ----- The following addresses had delivery problems -----
//	user@example.biglobe.ne.jp
//
//	   ----- Non-delivered information -----
//	The number of messages in recipient's mailbox exceeded the local limit.

var (
	biglobeAddrs = regexp.MustCompile(`^[ \t]*-+ ?The following addresses had delivery problems ?-+[ \t]*$`)
	biglobeInfo  = regexp.MustCompile(`^[ \t]*-+ ?Non-delivered information ?-+[ \t]*$`)
)

// detectBiglobe reads the BIGLOBE layout.
func detectBiglobe(m *mime.Message, out *found) {
	text := m.Body
	if !m.InBody(biglobeLead) || !strings.Contains(text, "The following addresses had delivery problems") {
		return
	}
	a := textmatch.LineMatch(biglobeAddrs, text, text, "The following addresses had delivery problems")
	if a == nil {
		return
	}
	b := textmatch.LineMatch(biglobeInfo, text[a[1]:], text[a[1]:], "Non-delivered information")
	if b == nil {
		return
	}
	info := text[a[1]+b[1]:]
	if k := strings.Index(strings.TrimLeft(info, "\n"), "\n\n"); k >= 0 {
		info = strings.TrimLeft(info, "\n")[:k]
	}
	diag := textutil.CollapseSpace(info)
	var reason record.Reason
	if strings.Contains(diag, "recipient's mailbox exceeded") {
		reason = record.ReasonMailboxFull
	}
	for _, addr := range mailaddr.FindAddresses(text[a[1] : a[1]+b[0]]) {
		r := record.Recipient{Recipient: addr, Action: record.ActionFailed, Diagnostic: diag}
		if reason != "" {
			r.Reason, r.Evidence = reason, "BIGLOBE: the recipient's mailbox exceeded its limit"
		}
		out.add(r)
	}
}
