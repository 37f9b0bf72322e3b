package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// x6Lead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var x6Lead = mime.NewMarker("we had trouble delivering your message. full details follow:")

// A mail service reports "We had trouble delivering your message. Full
// details follow:", the returned message's subject and date, "N error(s):"
// and one sentence per failure naming the server, the recipient, the
// command and the reply in brackets:
//
//	SMTP Server <mx.example.com> rejected recipient <user@example.com>
//	(Error following RCPT command). It responded as follows: [550 5.1.1
//	User unknown]
var (
	x6Error = regexp.MustCompile(`(?is)SMTP Server <([^<>\s]+)> rejected recipient <([^<>\s]+)>\s*\(Error following ([A-Z ]+?) command\)\.\s*It responded as follows:\s*\[(.*?)\]`)
)

// detectX6 reads that service's reports.
func detectX6(m *mime.Message, out *found) {
	if !m.InBounce(x6Lead) {
		return
	}
	low := mime.LowerBounce(m)
	// Every failure sentence begins "SMTP Server <".
	k := strings.Index(low, "smtp server <")
	if k < 0 {
		return
	}
	text := m.BounceText()[k:]
	for _, loc := range textmatch.FindAllFrom(x6Error, text, -1, "smtp server <") {
		e := textmatch.Submatches(text, loc)
		r := record.Recipient{
			Recipient:  mailaddr.CleanAddress(e[2]),
			RemoteMTA:  strings.ToLower(e[1]),
			Command:    strings.ToUpper(textutil.FirstWord(e[3])),
			Diagnostic: dsn.UnfoldLines(strings.Split(e[4], "\n")),
		}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
