package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Ipswitch IMail Server names each failure on one line, "Unknown user:
// address", "Delivery failed N attempts: address", "undeliverable to
// address", optionally followed by "Body of message generated response:"
// and the remote server's reply, and ends with "Original message
// follows.".
var (
	imailLine = regexp.MustCompile(`(?im)^\s*(unknown user|delivery failed \d+ attempts|undeliverable to|unable to deliver to|user mailbox exceeds allowed size)[: ]\s*(\S+@\S+?)\s*$`)
	// imailWords begin the matches of imailLine after blanks, lower case.
	imailWords  = []string{"unknown user", "delivery failed ", "undeliverable to", "unable to deliver to", "user mailbox exceeds allowed size"}
	imailReply  = regexp.MustCompile(`(?i)body of message generated response:\s*`)
	imailMarker = regexp.MustCompile(`(?i)^undeliverable mail\b`)
)

// detectIMailServer reads IMail Server's reports.
func detectIMailServer(m *mime.Message, out *found) {
	if !strings.Contains(m.LowerSubject, "undeliverable mail") || !imailMarker.MatchString(strings.TrimSpace(m.Subject)) {
		return
	}
	text := m.Body
	if k := strings.Index(mime.LowerBody(m), "original message follows"); k >= 0 {
		text = text[:k]
	}
	locs := textmatch.FindAllFromLines(imailLine, text, -1, imailWords...)
	if len(locs) == 0 {
		return
	}
	// The server's response, when it gives one, is every recipient's
	// diagnostic.
	reply := ""
	var replyCode int
	var replyStatus enhancedcode.Code
	if loc := textmatch.FirstFrom(imailReply, text, "body of message generated response:"); loc != nil {
		rest := text[loc[1]:]
		if k := strings.Index(rest, "\n\n"); k >= 0 {
			rest = rest[:k]
		}
		reply = dsn.UnfoldLines(strings.Split(rest, "\n"))
		replyCode, replyStatus = dsn.FailureReply(reply)
	}
	for _, loc := range locs {
		mt := textmatch.Submatches(text, loc)
		r := record.Recipient{Recipient: mailaddr.CleanAddress(mt[2])}
		if !out.keeps(r.Recipient) {
			out.add(r)
			continue
		}
		if reply != "" {
			r.Diagnostic, r.ReplyCode, r.Status = reply, replyCode, replyStatus
		} else {
			r.Diagnostic = textutil.CollapseSpace(mt[1] + ": " + mt[2])
			r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		}
		if strings.HasPrefix(strings.ToLower(mt[1]), "delivery failed") {
			r.Reason, r.Evidence = record.ReasonExpired, "IMail: "+mt[1]
		}
		out.add(r)
	}
}
