package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// outlookMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var outlookMark = mime.NewMarker(outlookLead)

// Outlook.com (Hotmail, postmaster@hotmail.com and the like) writes a
// short text next to its delivery-status part:
//
//	This is an automatically generated Delivery Status Notification.
//
//	Unable to deliver message to the following recipients, due to being
//	unable to connect successfully to the destination mail server.
//
//	       user@example.com
//
// The sentence before the indented addresses is the only explanation
// when the delivery-status part has no Diagnostic-Code.

var (
	outlookLead  = "this is an automatically generated delivery status notification"
	outlookAbout = regexp.MustCompile(`(?im)^[ \t]*([^\n]*the following recipients[^\n]*)\n`)
	outlookAddr  = regexp.MustCompile(`^[ \t]+<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$`)
)

// outlookAboutLine returns the submatch offsets of outlookAbout in text
// (low is text lower-cased), as FindStringSubmatchIndex does: the first
// whole line, with its line break, that mentions the following
// recipients.
func outlookAboutLine(text, low string) []int {
	for off := 0; off < len(text); {
		k := strings.Index(low[off:], "the following recipients")
		if k < 0 {
			return nil
		}
		k += off
		start := strings.LastIndexByte(text[:k], '\n') + 1
		e := strings.IndexByte(text[k:], '\n')
		if e < 0 {
			return nil // outlookAbout needs the line break
		}
		end := k + e + 1
		if loc := outlookAbout.FindStringSubmatchIndex(text[start:end]); loc != nil {
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += start
				}
			}
			return loc
		}
		off = end
	}
	return nil
}

// detectOutlook reads the Outlook.com layout.
func detectOutlook(m *mime.Message, out *found) {
	if !m.InBounce(outlookMark) {
		return
	}
	text := m.BounceText()
	// The first "This is an automatically generated Delivery Status
	// Notification", with its full stop when it has one.
	lead := strings.Index(mime.LowerBounce(m), outlookLead) + len(outlookLead)
	if lead < len(text) && text[lead] == '.' {
		lead++
	}
	rest := text[lead:]
	sm := outlookAboutLine(rest, mime.LowerBounce(m)[lead:])
	if sm == nil {
		return
	}
	sentence := textutil.CollapseSpace(rest[sm[2]:sm[3]])
	for line := range strings.SplitSeq(rest[sm[1]:], "\n") {
		if strings.TrimSpace(line) == "" {
			if out.count() > 0 {
				break
			}
			continue
		}
		a := outlookAddr.FindStringSubmatch(line)
		if a == nil {
			break
		}
		r := record.Recipient{Recipient: a[1], Action: record.ActionFailed, Diagnostic: sentence}
		if strings.Contains(strings.ToLower(sentence), "has been delayed") {
			r.Action = record.ActionDelayed
		}
		out.add(r)
	}
}
