package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// barracudaFirewall is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var barracudaFirewall = mime.NewMarker("spam firewall")

// The Barracuda Spam Firewall reports mail it blocked with a subject
// such as "**Message you sent blocked by our bulk email filter**", its
// own name in the text and in the returned message's Received field
// ("by host (Spam Firewall)"), and a delivery-status part:
//
//	Your message to: user@example.com
//	was blocked by our Spam Firewall. The email you sent with the following
//	subject has NOT BEEN DELIVERED:
var (
	barracudaTo = regexp.MustCompile(`(?i)Your message to:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*\n[ \t]*(was blocked by our Spam Firewall[^\n]*)`)
)

// detectBarracuda reads the Barracuda Spam Firewall's reports.
func detectBarracuda(m *mime.Message, out *found) {
	if !m.InBounce(barracudaFirewall) && !strings.Contains(m.LowerSubject, "blocked by our bulk email filter") {
		return
	}
	text := m.BounceText()
	for _, loc := range textmatch.FindAllFrom(barracudaTo, text, -1, "your message to:") {
		sm := textmatch.Submatches(text, loc)
		out.add(record.Recipient{Recipient: sm[1], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(sm[2])})
	}
}
