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

// mailmarshalMarkers are the texts by which this layout is recognised before anything
// else is read (see mime/markers.go).
var mailmarshalMarkers = mime.NewMarkers("could not be delivered because of", "the following recipients were affected:")

// MailMarshal SMTP gives the reason, then the recipients it applies to,
// then a block of "Additional Information" fields with the hosts:
//
//	Could not be delivered because of
//
//	550 5.1.1 User unknown
//
//	The following recipients were affected:
//	    user@example.com
//
//	Additional Information
//	======================
//	Remote-MTA:         <192.0.2.2>
var (
	marshalBecause = regexp.MustCompile(`(?im)^could not be delivered because of\s*$`)
	marshalList    = regexp.MustCompile(`(?im)^the following recipients were affected:\s*$`)
	marshalRemote  = regexp.MustCompile(`(?im)^remote-mta:\s*<([^<>\s]+)>`)
)

// detectMailMarshal reads MailMarshal's reports.
func detectMailMarshal(m *mime.Message, out *found) {
	if !m.InBody(mailmarshalMarkers[0]) || !m.InBody(mailmarshalMarkers[1]) {
		return
	}
	text := m.Body
	b := textmatch.FirstFromLines(marshalBecause, text, "could not be delivered because of")
	if b == nil {
		return
	}
	l := textmatch.FirstFromLines(marshalList, text[b[1]:], "the following recipients were affected:")
	if l == nil {
		return
	}
	diag := dsn.UnfoldLines(strings.Split(text[b[1]:b[1]+l[0]], "\n"))
	code, status := dsn.FailureReply(diag)
	remote := ""
	if x := textmatch.Submatches(text, textmatch.FirstFromLines(marshalRemote, text, "remote-mta:")); x != nil {
		remote = strings.ToLower(x[1])
	}
	for line := range strings.SplitSeq(text[b[1]+l[1]:], "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			if out.count() > 0 {
				break
			}
			continue
		}
		a := mailaddr.CleanAddress(t)
		if !mailaddr.IsAddress(a) {
			break
		}
		out.add(record.Recipient{Recipient: a, Diagnostic: diag, RemoteMTA: remote, ReplyCode: code, Status: status})
	}
}
