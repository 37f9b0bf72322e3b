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

// postfixRejectLead marks the lines on which Postfix logs a refusal.
var postfixRejectLead = mime.NewMarker("reject: ")

// Postfix's SMTP server logs a refusal with the reply it sent, and its
// cleanup server a mail filter's refusal without the reply code
// (src/smtpd/smtpd_check.c log_whatsup, src/smtpd/smtpd.c and
// src/cleanup/cleanup_milter.c):
//
//	NOQUEUE: reject: RCPT from host[ip]: 550 5.1.1 <rcpt>: Recipient
//	    address rejected: ...; from=<sender> to=<rcpt> proto=ESMTP helo=<...>
//	QUEUEID: milter-reject: END-OF-MESSAGE from host[ip]: 5.7.0 ...;
//	    from=<sender> to=<rcpt> proto=ESMTP helo=<...>
//
// The refused recipient is to=; from= is the sender and never a
// recipient. A line without to= (a refusal before any recipient) names
// no recipient; "reject_warning" refuses nothing.
var postfixRejectLine = regexp.MustCompile(`(?m): (?:milter-)?reject: [A-Z][A-Z -]* from \S*?\](?::\d+)?: ([^\n]*?); from=<[^<>\n]*>(?: to=<([^<>\s]*)>)?`)

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
	delivery, reject := m.InBody(postfixLogLead), m.InBody(postfixRejectLead)
	if !delivery && !reject {
		return
	}
	lines := newLogRecipients(out)
	if reject {
		postfixRejects(m.Body, lines)
	}
	if delivery {
		postfixDeliveries(m.Body, lines)
	}
	lines.flush(out)
}

// postfixDeliveries reads the delivery lines that Postfix logged
// (postfixLogLine) into lines.
func postfixDeliveries(body string, lines *logRecipients) {
	for _, loc := range postfixLogLine.FindAllStringSubmatchIndex(body, -1) {
		action, ok := postfixLogActions[body[loc[8]:loc[9]]]
		addr := mailaddr.CleanAddress(body[loc[2]:loc[3]])
		if !ok || !mailaddr.IsAddress(addr) {
			continue
		}
		i, keep := lines.slot(addr)
		if !keep {
			continue
		}
		r := record.Recipient{Recipient: addr, Action: action}
		if loc[4] >= 0 {
			if o := mailaddr.CleanAddress(body[loc[4]:loc[5]]); !strings.EqualFold(o, addr) && mailaddr.IsAddress(o) {
				r.OriginalRecipient = o
			}
		}
		r.Status, _ = enhancedcode.Parse(body[loc[6]:loc[7]])
		if loc[10] >= 0 {
			postfixReply(&r, textutil.CollapseSpace(body[loc[10]:loc[11]]))
		}
		lines.rs[i] = r
	}
}

// postfixRejects reads the refusals that Postfix logged (postfixRejectLine)
// into lines: the recipient is to=, the reply the text before from=; a
// 4XX refusal is a delay, as the client tries again.
func postfixRejects(body string, lines *logRecipients) {
	for _, loc := range postfixRejectLine.FindAllStringSubmatchIndex(body, -1) {
		if loc[4] < 0 {
			continue
		}
		addr := mailaddr.CleanAddress(body[loc[4]:loc[5]])
		if !mailaddr.IsAddress(addr) {
			continue
		}
		i, keep := lines.slot(addr)
		if !keep {
			continue
		}
		r := record.Recipient{Recipient: addr, Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(body[loc[2]:loc[3]])}
		for rp := range enhancedcode.Replies(r.Diagnostic) {
			r.ReplyCode, r.Status = rp.Code, rp.Enhanced
			break
		}
		if r.ReplyCode/100 == 4 || r.ReplyCode == 0 && r.Status.Temporary() {
			r.Action = record.ActionDelayed
		}
		lines.rs[i] = r
	}
}

// logRecipients collects the recipients of the lines of a mail log, in
// the order of their first line; a recipient logged more than once
// (deferred, then bounced) takes its last line, as a log is written in
// time order. Beyond the cap of out, addresses are only counted.
type logRecipients struct {
	rs   []record.Recipient
	rest []string       // addresses beyond the cap
	at   map[string]int // lower-cased address: index in rs, -1 beyond the cap
	max  int
}

// newLogRecipients returns an empty collection with the cap of out.
func newLogRecipients(out *found) *logRecipients {
	return &logRecipients{at: map[string]int{}, max: out.max}
}

// slot returns the index in l.rs where a line of addr goes (a new, zero
// recipient for an address not seen before, which the caller fills), and
// false when the address is beyond the cap.
func (l *logRecipients) slot(addr string) (int, bool) {
	k := strings.ToLower(addr)
	if i, seen := l.at[k]; seen {
		return i, i >= 0
	}
	if l.max > 0 && len(l.rs) >= l.max {
		l.at[k] = -1
		l.rest = append(l.rest, addr)
		return -1, false
	}
	l.at[k] = len(l.rs)
	l.rs = append(l.rs, record.Recipient{})
	return len(l.rs) - 1, true
}

// flush adds the recipients to out, then the addresses only counted.
func (l *logRecipients) flush(out *found) {
	for _, r := range l.rs {
		out.add(r)
	}
	for _, a := range l.rest {
		out.add(record.Recipient{Recipient: a})
	}
}
