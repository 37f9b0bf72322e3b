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

// mailfoundryMarkers are the texts by which this layout is recognised before anything
// else is read (see mime/markers.go).
var mailfoundryMarkers = mime.NewMarkers("unable to deliver message to:", "delivery failed for the following reason:")

// The MailFoundry gateway names the recipient, then the remote server and
// its reply, and whether the failure is permanent:
//
//	Unable to deliver message to: <user@example.com>
//	Delivery failed for the following reason:
//	Server mx.example.com[192.0.2.1] failed with: 550 No such user here
//
//	This has been a permanent failure.  No further delivery attempts will be made.
var (
	mailfoundryRcpt   = regexp.MustCompile(`(?im)^unable to deliver message to:\s*<?([^<>\s]+@[^<>\s]+)>?\s*\n\s*delivery failed for the following reason:\s*\n`)
	mailfoundryServer = regexp.MustCompile(`(?i)^server ([a-z0-9][a-z0-9.-]*)\s*\[[0-9a-f.:]+\] failed with:\s*(.*)$`)
)

// detectMailFoundry reads MailFoundry's reports.
func detectMailFoundry(m *mime.Message, out *found) {
	if !m.InBounce(mailfoundryMarkers[0]) || !m.InBounce(mailfoundryMarkers[1]) {
		return
	}
	text := m.BounceText()
	locs := textmatch.FindAllFromLines(mailfoundryRcpt, text, -1, "unable to deliver message to:")
	for i, loc := range locs {
		var lines []string
		for l := range strings.SplitSeq(textmatch.AfterMatch(text, locs, i), "\n") {
			t := strings.TrimSpace(l)
			if t == "" {
				if len(lines) > 0 {
					break
				}
				continue
			}
			lines = append(lines, t)
		}
		r := record.Recipient{Recipient: mailaddr.CleanAddress(text[loc[2]:loc[3]])}
		r.Diagnostic = dsn.UnfoldLines(lines)
		if s := mailfoundryServer.FindStringSubmatch(r.Diagnostic); s != nil {
			r.RemoteMTA, r.Diagnostic = strings.ToLower(s[1]), s[2]
		}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
