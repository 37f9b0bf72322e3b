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

// x3Markers are the texts by which this layout is recognised before anything
// else is read (see mime/markers.go).
var x3Markers = mime.NewMarkers("very to the following recipient", "this is an automatically generated delivery status notification")

// A mail gateway frames its notices with rows of "=" and lists the
// recipients as "* address" under a line that tells what happened, the
// cause under "Technical details:":
//
//	  This is an automatically generated Delivery Status Notification.
//
//	Delivery to the following recipients failed permanently:
//
//	   * user@example.com
//
//	====================================================================
//	                        Technical details:
//
//	SMTP:RCPT host 192.0.2.8: 553 5.3.0 <user@example.com>... No such user
//
// A recipient that could not be delivered within the time limit is listed
// under "... was aborted after N hour(s):".
var (
	x3List    = regexp.MustCompile(`(?im)^\s*del[ie]very to the following recipients? (failed permanently|was aborted after [^:\n]*):\s*$`)
	x3Item    = regexp.MustCompile(`^\s*\*\s+(\S+@\S+)\s*$`)
	x3Details = regexp.MustCompile(`(?im)^\s*technical details:\s*$`)
	x3SMTP    = regexp.MustCompile(`(?i)^SMTP:([A-Z]+) host ([^\s:]+):\s*(.*)$`)
)

// detectX3 reads that gateway's notices.
func detectX3(m *mime.Message, out *found) {
	if !m.InBounce(x3Markers[0]) || !m.InBounce(x3Markers[1]) {
		return
	}
	low := mime.LowerBounce(m)
	text := m.BounceText()
	loc := textmatch.MatchBlankLines(x3List, text, low, "very to the following recipient")
	if loc == nil {
		return
	}
	aborted := strings.HasPrefix(strings.ToLower(text[loc[2]:loc[3]]), "was aborted")
	for l := range strings.SplitSeq(text[loc[1]:], "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		e := x3Item.FindStringSubmatch(l)
		if e == nil {
			break
		}
		out.add(record.Recipient{Recipient: mailaddr.CleanAddress(e[1])})
	}
	var lines []string
	if d := textmatch.MatchBlankLines(x3Details, text, low, "technical details:"); d != nil {
		for l := range strings.SplitSeq(text[d[1]:], "\n") {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, "====") {
				break
			}
			lines = append(lines, t)
		}
	}
	diag := dsn.UnfoldLines(lines)
	var command, remote string
	if s := x3SMTP.FindStringSubmatch(diag); s != nil {
		command, remote, diag = strings.ToUpper(s[1]), strings.ToLower(s[2]), s[3]
	}
	code, status := dsn.FailureReply(diag)
	for i := range out.rs {
		r := &out.rs[i]
		r.Diagnostic, r.Command, r.RemoteMTA = diag, command, remote
		r.ReplyCode, r.Status = code, status
		if aborted {
			r.Reason, r.Evidence = record.ReasonExpired, "the gateway aborted the delivery after its time limit"
		}
	}
}
