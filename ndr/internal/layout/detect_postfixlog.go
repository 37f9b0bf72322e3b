package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// postfixLogLead is the text by which this layout is recognised before
// anything else is read (see mime/markers.go).
var postfixLogLead = mime.NewMarker(", dsn=")

// A Postfix delivery agent logs each attempt on one line (Postfix's
// src/global/log_adhoc.c):
//
//	QUEUEID: to=<rcpt>, orig_to=<alias>, relay=host[ip]:25, delay=3600,
//	    delays=3599/0.01/1/0, dsn=4.0.0, status=deferred (host ... said: ...)
//
// orig_to appears only when it differs from to; the status is sent,
// deferred (the message stays queued and is tried again), bounced or
// expired. A user who pastes lines of the mail log pastes these.
var postfixLogLine = regexp.MustCompile(`(?m)\bto=<([^<>\s]*)>,(?: orig_to=<([^<>\s]*)>,)?[^\n]*?, dsn=([245]\.\d{1,3}\.\d{1,3}), status=([a-z]+)(?: \(([^\n]*)\))?`)

// postfixLogActions are the DSN actions of the statuses Postfix logs.
var postfixLogActions = map[string]record.Action{
	"sent":     record.ActionDelivered,
	"deferred": record.ActionDelayed,
	"bounced":  record.ActionFailed,
	"expired":  record.ActionFailed,
}

// detectPostfixLog reads the delivery lines of a Postfix mail log. A
// recipient logged more than once (deferred, then bounced) takes its
// last line, as the log is written in time order.
func detectPostfixLog(m *mime.Message, out *found) {
	if !m.InBody(postfixLogLead) {
		return
	}
	var rs []record.Recipient
	var rest []string // addresses beyond the cap, only counted
	at := map[string]int{}
	for _, loc := range postfixLogLine.FindAllStringSubmatchIndex(m.Body, -1) {
		action, ok := postfixLogActions[m.Body[loc[8]:loc[9]]]
		addr := mailaddr.CleanAddress(m.Body[loc[2]:loc[3]])
		if !ok || !mailaddr.IsAddress(addr) {
			continue
		}
		k := strings.ToLower(addr)
		i, seen := at[k]
		if seen && i < 0 {
			continue
		}
		if !seen && out.max > 0 && len(rs) >= out.max {
			at[k] = -1
			rest = append(rest, addr)
			continue
		}
		r := record.Recipient{Recipient: addr, Action: action}
		if loc[4] >= 0 {
			if o := mailaddr.CleanAddress(m.Body[loc[4]:loc[5]]); !strings.EqualFold(o, addr) && mailaddr.IsAddress(o) {
				r.OriginalRecipient = o
			}
		}
		r.Status, _ = enhancedcode.Parse(m.Body[loc[6]:loc[7]])
		if loc[10] >= 0 {
			r.Diagnostic = textutil.CollapseSpace(m.Body[loc[10]:loc[11]])
		}
		if seen {
			rs[i] = r
			continue
		}
		at[k] = len(rs)
		rs = append(rs, r)
	}
	for _, r := range rs {
		out.add(r)
	}
	for _, a := range rest {
		out.add(record.Recipient{Recipient: a})
	}
}
