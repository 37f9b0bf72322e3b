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

// trendMicroLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var trendMicroLead = mime.NewMarker("message from interscan messaging security suite")

// Trend Micro InterScan Messaging Security Suite frames its notice with
// rows of "*" and names the recipient in one sentence:
//
//	****** Message from InterScan Messaging Security Suite ******
//
//	The following mail could not be delivered.
//	Reason:  Unable to deliver message to <user@example.com> (and other
//	recipients in the same domain).
var (
	trendRcpt = regexp.MustCompile(`(?im)^(?:reason:\s*)?(unable to deliver message to <([^<>\s]+)>.*)$`)
)

// detectTrendMicro reads InterScan's notices.
func detectTrendMicro(m *mime.Message, out *found) {
	if !m.InBounce(trendMicroLead) {
		return
	}
	text := m.BounceText()
	for _, e := range textmatch.FindAllFromLines(trendRcpt, text, -1, "reason:", "unable to deliver message to <") {
		// The sentence may go on over the next lines of its paragraph.
		// It ends at a blank line, a row of "*" or the next recipient's
		// sentence.
		lines := []string{text[e[2]:e[3]]}
		rest := text[e[1]:]
		if k := strings.IndexByte(rest, '\n'); k >= 0 {
			rest = rest[k+1:]
		} else {
			rest = ""
		}
		for rest != "" {
			l := rest
			if k := strings.IndexByte(rest, '\n'); k >= 0 {
				l, rest = rest[:k], rest[k+1:]
			} else {
				rest = ""
			}
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "***") || trendRcpt.MatchString(t) {
				break
			}
			lines = append(lines, t)
		}
		r := record.Recipient{Recipient: mailaddr.CleanAddress(text[e[4]:e[5]]), Diagnostic: dsn.UnfoldLines(lines)}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
