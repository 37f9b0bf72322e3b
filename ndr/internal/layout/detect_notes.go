package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// notesMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var notesMark = mime.NewMarker("failure reasons")

// Lotus Notes' SMTP gateway writes a section headed "Failure Reasons":
// the reason on one or more lines, then the address it applies to, and
// the returned message after a "Returned Message" heading:
//
//	------- Failure Reasons  --------
//
//	User not listed in public Name & Address Book
//	user@example.com
//
//	------- Returned Message --------
var (
	notesStart = regexp.MustCompile(`(?im)^-{3,}\s*failure reasons\s*-{3,}\s*$`)
	notesEnd   = regexp.MustCompile(`(?im)^-{3,}\s*returned message\s*-{3,}`)
)

// detectNotes reads the reports of the Lotus Notes SMTP gateway.
func detectNotes(m *mime.Message, out *found) {
	if !m.InBody(notesMark) {
		return
	}
	loc := notesStart.FindStringIndex(m.Body)
	if loc == nil {
		return
	}
	text := m.Body[loc[1]:]
	if e := notesEnd.FindStringIndex(text); e != nil {
		text = text[:e[0]]
	}
	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if a := mailaddr.CleanAddress(t); mailaddr.IsAddress(a) && !strings.Contains(t, " ") {
			r := record.Recipient{Recipient: a, Diagnostic: dsn.UnfoldLines(lines)}
			r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
			out.add(r)
			lines = nil
			continue
		}
		lines = append(lines, t)
	}
}
