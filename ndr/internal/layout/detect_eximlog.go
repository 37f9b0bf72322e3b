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

// eximLogLead is the text by which this layout is recognised before
// anything else is read (see mime/markers.go): the router field of
// Exim's delivery lines.
var eximLogLead = mime.NewMarker(" R=")

// Exim writes one main-log line for each delivery, deferral and failure
// of an address (src/src/deliver.c delivery_log, deferral_log and
// failure_log), after the time stamp, an optional process id and the
// message id, with a flag:
//
//	2026-12-08 09:14:22 1vBcDe-0003Fg-2H == rcpt@example.org R=dnslookup T=remote_smtp defer (-54): retry time not reached for any host for 'example.org'
//	2026-12-08 09:14:22 1vBcDe-0003Fg-2H ** rcpt@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.1] : SMTP error from remote mail server after RCPT TO:<rcpt@example.org>: 550 5.1.1 User unknown
//	2026-12-08 09:14:22 1vBcDe-0003Fg-2H => rcpt@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.1] C="250 OK"
//
// "==" is a deferral (the message stays queued), "**" a failure that is
// bounced, "=>" and "->" deliveries (the Exim specification, "Log
// files", flags). The address may be followed by its parent in angle
// brackets. The arrival line ("<=") names the sender and is no
// recipient. A user who pastes lines of the log, or a hosting control
// panel's delivery report built from them, pastes these. Message ids have
// 6, 6 and 2 characters, or 6, 11 and 4 from Exim 4.97.
var eximLogLine = regexp.MustCompile(`(?m)^[ \t]*(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?(?: [+-]\d{4})? )?(?:\[\d+\] )?[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} (==|\*\*|=>|->) (\S+)(?: <([^<>\s]+)>)?([^\n]*)$`)

// eximLogActions are the DSN actions of the flags Exim logs.
var eximLogActions = map[string]record.Action{
	"==": record.ActionDelayed,
	"**": record.ActionFailed,
	"=>": record.ActionDelivered,
	"->": record.ActionDelivered,
}

// eximDefer is the errno part of a deferral: "defer (-54)".
var eximDefer = regexp.MustCompile(`^defer \(-?\d+\)`)

// detectEximLog reads the delivery lines of an Exim main log. A
// recipient logged more than once (deferred, then failed) takes its last
// line, as the log is written in time order.
func detectEximLog(m *mime.Message, out *found) {
	if !m.InBody(eximLogLead) {
		return
	}
	lines := newLogRecipients(out)
	for _, loc := range eximLogLine.FindAllStringSubmatchIndex(m.Body, -1) {
		action := eximLogActions[m.Body[loc[2]:loc[3]]]
		addr := mailaddr.CleanAddress(m.Body[loc[4]:loc[5]])
		if !mailaddr.IsAddress(addr) {
			continue
		}
		i, keep := lines.slot(addr)
		if !keep {
			continue
		}
		r := record.Recipient{Recipient: addr, Action: action}
		if loc[6] >= 0 {
			if o := mailaddr.CleanAddress(m.Body[loc[6]:loc[7]]); !strings.EqualFold(o, addr) && mailaddr.IsAddress(o) {
				r.OriginalRecipient = o
			}
		}
		if action != record.ActionDelivered {
			r.Diagnostic = eximLogMessage(m.Body[loc[8]:loc[9]])
			r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		}
		// A deferral only because the host's retry time has not come
		// (errno -54 and the like, logged at each queue run) says
		// nothing new: the error met at the last attempt stays.
		if prev := lines.rs[i]; action == record.ActionDelayed && prev.Action == record.ActionDelayed && prev.Diagnostic != "" &&
			textutil.HasPrefixLower(r.Diagnostic, "retry time not reached") {
			r.Diagnostic = prev.Diagnostic + "; " + r.Diagnostic
			r.ReplyCode, r.Status = prev.ReplyCode, prev.Status
		}
		lines.rs[i] = r
	}
	lines.flush(out)
}

// eximLogMessage returns the error of a deferral or failure line: what
// follows the fields (R=router, T=transport, H=host [address], ...) and
// the deferral's errno, after its colon.
func eximLogMessage(s string) string {
	for {
		s = strings.TrimLeft(s, " ")
		switch {
		case s == "":
			return ""
		case s[0] == ':':
			return textutil.CollapseSpace(strings.TrimSpace(s[1:]))
		case s[0] == '[' || s[0] == '(':
			// The address or HELO name of a host field.
			closing := byte(']')
			if s[0] == '(' {
				closing = ')'
			}
			end := strings.IndexByte(s, closing)
			if end < 0 {
				return textutil.CollapseSpace(s)
			}
			s = s[end+1:]
			continue
		}
		if d := eximDefer.FindStringIndex(s); d != nil {
			s = s[d[1]:]
			continue
		}
		word := s
		if sp := strings.IndexByte(s, ' '); sp >= 0 {
			word = s[:sp]
		}
		eq := strings.IndexByte(word, '=')
		if eq <= 0 || eq > 3 || strings.ToUpper(word[:eq]) != word[:eq] {
			return textutil.CollapseSpace(s)
		}
		if strings.HasSuffix(word, ":") {
			// The last field, its colon attached: "T=remote_smtp: ...".
			return textutil.CollapseSpace(strings.TrimSpace(s[len(word):]))
		}
		if strings.HasPrefix(word[eq+1:], `"`) {
			// A quoted field (C="250 OK ..."): to its closing quote.
			end := strings.IndexByte(s[eq+2:], '"')
			if end < 0 {
				return ""
			}
			s = s[eq+2+end+1:]
			continue
		}
		s = s[len(word):]
	}
}
