package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// kddiLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var kddiLead = mime.NewMarker("Your mail sent on:")

// KDDI's au one net (dion.ne.jp, auone-net.jp) reports:
//
//	Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
//	     Could not be delivered to: <user@example.dion.ne.jp>
//	     As their mailbox is full.
//
// after an optional Japanese paragraph; the lines after the address give
// the cause.

var kddiRecipient = regexp.MustCompile(`(?i)^[ \t]*Could not be delivered to:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$`)

// detectKDDI reads the au one net layout.
func detectKDDI(m *mime.Message, out *found) {
	text := m.BounceText()
	if !m.InBounce(kddiLead) || !strings.Contains(text, "Your mail sent on:") {
		return
	}
	locs := textmatch.LineMatches(kddiRecipient, text, "@")
	for i, l := range locs {
		seg := textmatch.AfterMatch(text, locs, i)
		if k := strings.Index(seg, "\n\n"); k >= 0 {
			seg = seg[:k]
		}
		out.add(record.Recipient{Recipient: text[l[2]:l[3]], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(seg)})
	}
}
