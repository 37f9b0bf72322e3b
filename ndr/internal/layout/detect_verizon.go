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

// verizonMarkers are the texts by which this layout is recognised before anything
// else is read (see mime/markers.go).
var verizonMarkers = mime.NewMarkers("message could not be delivered to mobile.", "original message:")

// A mobile operator's multimedia messaging gateway (MMSC) returns mail it
// could not deliver to a handset with the error on one line and the
// returned message's From, To, Subject and Date under "Original Message:":
//
//	Message could not be delivered to mobile.
//	Error: No valid recipients for this MM
//
//	Original Message:
//	From: Sender <sender@example.com>
//	To: 5555550100@mms.example.net
var (
	mmscMarker = regexp.MustCompile(`(?im)^message could not be delivered to mobile\.\s*$`)
	mmscError  = regexp.MustCompile(`(?im)^error:\s*(.+)$`)
	mmscOrig   = regexp.MustCompile(`(?im)^original message:\s*$`)
	mmscTo     = regexp.MustCompile(`(?im)^to:\s*(.+)$`)
)

// detectVerizon reads the MMSC's reports.
func detectVerizon(m *mime.Message, out *found) {
	if !m.InBody(verizonMarkers[0]) || !m.InBody(verizonMarkers[1]) {
		return
	}
	loc := mmscMarker.FindStringIndex(m.Body)
	if loc == nil {
		return
	}
	o := mmscOrig.FindStringIndex(m.Body[loc[1]:])
	if o == nil {
		return
	}
	head := m.Body[loc[1] : loc[1]+o[0]]
	orig := m.Body[loc[1]+o[1]:]
	if k := strings.Index(orig, "\n\n"); k >= 0 {
		orig = orig[:k]
	}
	to := mmscTo.FindStringSubmatch(orig)
	if to == nil {
		return
	}
	diag := ""
	if e := mmscError.FindStringSubmatch(head); e != nil {
		diag = textutil.CollapseSpace(e[1])
	}
	code, status := dsn.FailureReply(diag)
	for _, a := range mailaddr.HeaderList(to[1]) {
		out.add(record.Recipient{Recipient: a, Diagnostic: diag, ReplyCode: code, Status: status})
	}
}
