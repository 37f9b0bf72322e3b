package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// x1Lead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var x1Lead = mime.NewMarker("---the following addresses had delivery errors---")

// A mail server writes the time and sender of the returned message, then
// under "---The following addresses had delivery errors---" one line per
// recipient with the reason in brackets:
//
//	---The following addresses had delivery errors---
//
//	user@example.com [User unknown]
var (
	x1List = regexp.MustCompile(`(?im)^-{3}the following addresses had delivery errors-{3}\s*$`)
	x1Line = regexp.MustCompile(`^\s*<?([^\s<>]+@[^\s<>]+)>?\s+\[(.+)\]\s*$`)
)

// detectX1 reads that server's reports.
func detectX1(m *mime.Message, out *found) {
	if !m.InBody(x1Lead) {
		return
	}
	loc := x1List.FindStringIndex(m.Body)
	if loc == nil {
		return
	}
	for l := range strings.SplitSeq(m.Body[loc[1]:], "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		e := x1Line.FindStringSubmatch(l)
		if e == nil {
			break
		}
		r := record.Recipient{Recipient: mailaddr.CleanAddress(e[1]), Diagnostic: textutil.CollapseSpace(e[2])}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
