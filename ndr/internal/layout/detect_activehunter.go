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

// Active!hunter (a Japanese mail gateway) lists each failed recipient as
// ">>> address <address>" followed by the remote server's reply.
var activeHunterEntry = regexp.MustCompile(`^>>> (\S+)(?: <([^<>]+)>)?\s*$`)

// detectActiveHunter reads Active!hunter's reports.
func detectActiveHunter(m *mime.Message, out *found) {
	// The gateway names itself in the MIME boundary of its reports.
	if !strings.Contains(m.Get("Content-Type"), "Active!Hunter") && !strings.HasPrefix(m.Subject, "FAILURE NOTICE :") {
		return
	}
	var cur *record.Recipient
	var lines []string
	flush := func() {
		if cur != nil {
			cur.Diagnostic = dsn.UnfoldLines(lines)
			cur.ReplyCode, cur.Status = dsn.FailureReply(cur.Diagnostic)
			out.add(*cur)
		}
		cur, lines = nil, nil
	}
	for l := range strings.SplitSeq(m.BounceText(), "\n") {
		t := strings.TrimSpace(l)
		if e := textmatch.SubmatchIf(strings.HasPrefix(t, ">>> "), activeHunterEntry, t); e != nil {
			flush()
			a := e[2]
			if a == "" {
				a = e[1]
			}
			cur = &record.Recipient{Recipient: mailaddr.CleanAddress(a)}
			continue
		}
		if cur == nil {
			continue
		}
		if t == "" && len(lines) == 0 || strings.HasPrefix(t, "---") && strings.Contains(t, " ") {
			continue // a blank line or a section heading before the reply
		}
		if t == "" || strings.HasPrefix(t, "--") {
			flush()
			continue
		}
		lines = append(lines, t)
	}
	flush()
}
