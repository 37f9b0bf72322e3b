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
	var matches [][]string
	for _, loc := range textmatch.FindAllFromLines(imailLine, text, -1, imailWords...) {
		matches = append(matches, textmatch.Submatches(text, loc))
	}
	if len(matches) == 0 {
		return
	}
	reply := ""
	if loc := textmatch.FirstFrom(imailReply, text, "body of message generated response:"); loc != nil {
		rest := text[loc[1]:]
		if k := strings.Index(rest, "\n\n"); k >= 0 {
			rest = rest[:k]
		}
		reply = dsn.UnfoldLines(strings.Split(rest, "\n"))
	}
	for _, mt := range matches {
		r := record.Recipient{Recipient: mailaddr.CleanAddress(mt[2]), Diagnostic: textutil.CollapseSpace(mt[1] + ": " + mt[2])}
		if reply != "" {
			r.Diagnostic = reply
		}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		if strings.HasPrefix(strings.ToLower(mt[1]), "delivery failed") {
			r.Reason, r.Evidence = record.ReasonExpired, "IMail: "+mt[1]
		}
		out.add(r)
	}
}
