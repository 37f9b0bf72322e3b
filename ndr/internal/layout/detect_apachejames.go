package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// Apache James's notices give the failure, then the envelope of the
// returned message, the recipients after "RCPT TO:" (more than one: one
// address a line, indented under the first):
//
//	Error message below:
//	550 - Requested action not taken: no such user here
//
//	Message details:
//	  Subject: Report
//	  MAIL FROM: sender@example.org
//	  RCPT TO: user@example.com
//	           other@example.com
//	  From: sender@example.org
//
// A heading of the site's own may come before "Error message below:".

// jamesLead begins the notice.
var jamesLead = mime.NewMarker("error message below:")

// detectApacheJames reads Apache James's notices.
func detectApacheJames(m *mime.Message, out *found) {
	k := m.MarkerAt(jamesLead)
	if k < 0 {
		return
	}
	low := mime.LowerBody(m)
	d := strings.Index(low[k:], "message details:")
	if d < 0 || !strings.Contains(low[k+d:], "rcpt to:") {
		return
	}
	text := m.Body
	msg := text[k+len("error message below:") : k+d]
	diag := dsn.UnfoldLines(strings.Split(msg, "\n"))
	code, status := dsn.FailureReply(diag)
	inRcpt := false
	for _, l := range strings.Split(text[k+d:], "\n")[1:] {
		t := strings.TrimSpace(l)
		if t == "" {
			break
		}
		if len(t) >= 8 && strings.EqualFold(t[:8], "rcpt to:") {
			inRcpt = true
			t = strings.TrimSpace(t[8:])
		} else if !inRcpt || strings.Contains(t, ": ") || strings.HasSuffix(t, ":") {
			// Another field of the details.
			inRcpt = false
			continue
		}
		for a := range strings.SplitSeq(t, ",") {
			if a = mailaddr.CleanAddress(a); mailaddr.IsAddress(a) {
				out.add(record.Recipient{Recipient: a, Diagnostic: diag, ReplyCode: code, Status: status})
			}
		}
	}
}
