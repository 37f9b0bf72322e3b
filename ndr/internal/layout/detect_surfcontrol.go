package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// The SurfControl E-mail Filter ("X-Mailer: SurfControl E-mail Filter")
// reports with the returned message's subject, a delivery-status part and
// a transcript of its attempts:
//
//	Your message could not be sent.
//	A transcript of the attempts to send the message follows.
//	The number of attempts made: 1
//	Addressed To: user@example.com
//
//	Thu 29 Apr 2010 23:34:45 +0900
//	Failed to send to identified host,
//	user@example.com: [192.0.2.1], 550 user@example.com... No such user
//	--- Message non-deliverable.
var (
	surfcontrolAttempt = regexp.MustCompile(`^[ \t]*<?([^\s<>:]+@[^\s<>:]+?)>?: \[([^\]\s]+)\], (.+)$`)
	surfcontrolTo      = regexp.MustCompile(`^[ \t]*Addressed To:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$`)
)

// detectSurfControl reads SurfControl's reports.
func detectSurfControl(m *mime.Message, out *found) {
	if !strings.HasPrefix(m.Get("X-Mailer"), "SurfControl") {
		return
	}
	text := m.BounceText()
	seen := addrSet{}
	for _, sm := range textmatch.LineSubmatches(surfcontrolAttempt, text, ": [") {
		if !seen.add(sm[1]) {
			continue
		}
		r := record.Recipient{Recipient: sm[1], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(sm[3])}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
	for _, sm := range textmatch.LineSubmatches(surfcontrolTo, text, "Addressed To:") {
		if seen.add(sm[1]) {
			out.add(record.Recipient{Recipient: sm[1], Action: record.ActionFailed})
		}
	}
}
