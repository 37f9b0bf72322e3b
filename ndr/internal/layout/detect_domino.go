package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

// dominoMarkers are the texts by which this layout is recognised before anything
// else is read (see mime/markers.go).
var dominoMarkers = mime.NewMarkers("was not delivered to:", "your message", "because:")

// IBM (Lotus) Domino names the returned message by its subject, then the
// addresses it could not deliver to and the reason, each in a paragraph
// of its own, indented:
//
//	Your message
//
//	  Subject: Minutes
//
//	was not delivered to:
//
//	  user@example.com
//
//	because:
//
//	  User user (user@example.com) not listed in Domino Directory
//
// A delivery-status part may follow; its Diagnostic-Code ("X-Notes; ...")
// is often folded in the middle of a word, so the text is the better copy.
var (
	dominoMarker  = regexp.MustCompile(`(?im)^\s*was not delivered to:\s*$`)
	dominoBecause = regexp.MustCompile(`(?im)^\s*because:\s*$`)
)

// detectDomino reads Domino's failure reports.
func detectDomino(m *mime.Message, out *found) {
	if !m.InBounce(dominoMarkers[0]) || !m.InBounce(dominoMarkers[1]) || !m.InBounce(dominoMarkers[2]) {
		return
	}
	low := mime.LowerBounce(m)
	text := m.BounceText()
	loc := textmatch.MatchBlankLines(dominoMarker, text, low, "was not delivered to:")
	if loc == nil || !strings.Contains(low[:loc[0]], "your message") {
		return
	}
	rest := text[loc[1]:]
	b := textmatch.MatchBlankLines(dominoBecause, rest, low[loc[1]:], "because:")
	if b == nil {
		return
	}
	var addrs []string
	for l := range strings.SplitSeq(rest[:b[0]], "\n") {
		if a := mailaddr.CleanAddress(strings.TrimSpace(l)); mailaddr.IsAddress(a) {
			addrs = append(addrs, a)
		}
	}
	var lines []string
	for l := range strings.SplitSeq(strings.TrimLeft(rest[b[1]:], "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			if len(lines) > 0 {
				break
			}
			continue
		}
		lines = append(lines, l)
	}
	diag := dsn.UnfoldLines(lines)
	code, status := dsn.FailureReply(diag)
	for _, a := range addrs {
		out.add(record.Recipient{Recipient: a, Diagnostic: diag, ReplyCode: code, Status: status})
	}
}
