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

// courierLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var courierLead = mime.NewMarker("running the courier mail server")

// The Courier mail server lists each failed recipient in angle brackets,
// then the host it talked to, the last command it sent (">>> ") and the
// reply it got ("<<< "); a failure of its own shows as a "<<< " line
// alone:
//
//	Your message to the following recipients cannot be delivered:
//
//	<user@example.com>:
//	    mx.example.com [192.0.2.1]:
//	>>> RCPT TO:<user@example.com>
//	<<< 550 5.1.1 User unknown
//
// The delivery-status part keeps the reply too, but Courier cuts a long
// one short there.
//
// A recipient with nothing under its address had nothing recorded: the
// esmtp module connected but no greeting came (Courier 1.x, git fe506cc,
// courier/module.esmtp/libesmtp.C esmtp_get_greeting returns before
// log_talking, and do_esmtp_connect clears errno, so neither the host nor
// an error is recorded; courier/module.dsn/dsn.C format_del_info prints
// what was recorded). Its stage is the connection.
var (
	courierList = regexp.MustCompile(`(?im)^your message to the following recipients cannot be delivered:\s*$`)
	courierRcpt = regexp.MustCompile(`^<([^<>\s]+@[^<>\s]+)>:\s*$`)
	courierHost = regexp.MustCompile(`^\s+([a-zA-Z0-9][a-zA-Z0-9.-]*)\s*\[[0-9a-fA-F.:]+\]:\s*$`)
)

// detectCourier reads Courier's failure reports.
func detectCourier(m *mime.Message, out *found) {
	if !m.InBounce(courierLead) {
		return
	}
	text := m.BounceText()
	loc := textmatch.FirstFromLines(courierList, text, "your message to the following recipients cannot be delivered:")
	if loc == nil {
		return
	}
	var replies []string
	// said tells that the current recipient has a line of its own.
	said := false
	flush := func() {
		if out.count() > 0 {
			r := out.last()
			r.Diagnostic = dsn.UnfoldLines(replies)
			r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
			if !said {
				r.Command = "CONN"
			}
		}
		replies, said = nil, false
	}
lines:
	for l := range strings.SplitSeq(text[loc[1]:], "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case strings.HasPrefix(t, "-----"):
			break lines // the end of the list
		case strings.HasPrefix(l, "<") && courierRcpt.MatchString(l):
			flush()
			out.add(record.Recipient{Recipient: mailaddr.CleanAddress(courierRcpt.FindStringSubmatch(l)[1])})
		case out.count() == 0:
		default:
			said = true
			r := out.last()
			switch {
			case strings.Contains(l, "]:") && courierHost.MatchString(l):
				r.RemoteMTA = strings.ToLower(courierHost.FindStringSubmatch(l)[1])
			case strings.HasPrefix(t, ">>> "):
				r.Command = strings.ToUpper(textutil.FirstWord(t[4:]))
				replies = nil // the reply to this command follows
			case strings.HasPrefix(t, "<<<"):
				replies = append(replies, strings.TrimPrefix(t, "<<<"))
			}
		}
	}
	flush()
}
