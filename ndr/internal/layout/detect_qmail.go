package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// qmailSend is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var qmailSend = mime.NewMarker("qmail-send")

// qmail-send (and its descendants netqmail, notqmail, indimail) writes
// one paragraph per recipient, the address alone on a line:
//
//	Hi. This is the qmail-send program at mail.example.org.
//	I'm afraid I wasn't able to deliver your message to the following addresses.
//	This is a permanent error; I've given up. Sorry it didn't work out.
//
//	<user@example.com>:
//	192.0.2.1 does not like recipient.
//	Remote host said: 550 5.1.1 <user@example.com>... User unknown
//	Giving up on 192.0.2.1.
//
//	--- Below this line is a copy of the message.
//
// Translated qmail installations keep the layout and the program name
// but word the preamble in their own language.
var (
	qmailEntry    = regexp.MustCompile(`^<([^<>\s]*)>:\s*(.*)$`)
	qmailSaid     = regexp.MustCompile(`(?is)remote host said:\s*(.*)$`)
	qmailIndimail = regexp.MustCompile(`(?i)^from: <[^>]*> rcpt: <[^>]*>\s*`)
	qmailGiveUp   = regexp.MustCompile(`(?i)\s*(?:giving up on \S+?\.?|i'm not going to try again; this message has been in the queue too long\.?)\s*$`)
	qmailOtherMX  = regexp.MustCompile(`(?i)^\(other mxes tried:`)
	qmailRemote   = regexp.MustCompile(`(?i)(?:^|\s)(?:connected to )?([0-9a-f.:]*[0-9a-f]|[a-z0-9][a-z0-9.-]*\.[a-z]{2,}) (?:does not like recipient|but sender was rejected|but my name was rejected|but greeting failed|failed after i sent the message|failed on data command|failed on the data command|does not like sender)|remote host ([0-9a-f.:]*[0-9a-f]) said`)
	// qmailCommands name the command from qmail's words, lower case.
	qmailCommands = []struct {
		words []string
		cmd   string
	}{
		{[]string{"does not like recipient", "most progress was rcpt to"}, "RCPT"},
		{[]string{"sender was rejected", "does not like sender", "most progress was mail from"}, "MAIL"},
		{[]string{"my name was rejected", "most progress was ehlo", "most progress was helo"}, "HELO"},
		{[]string{"failed after i sent the message", "failed on data command", "failed on the data command", "most progress was data"}, "DATA"},
		{[]string{"greeting failed", "most progress was greeting"}, "CONN"},
	}
	// qmailRemoteWords are in every text that qmailRemote matches.
	qmailRemoteWords = []string{"does not like", "was rejected", "greeting failed", "failed after i sent", "failed on", "remote host "}
	// qmailCauses are qmail's own words for some causes, lower case.
	qmailCauses = []struct {
		words  []string
		reason record.Reason
	}{
		{[]string{"sorry, i couldn't find any host named", "sorry, i couldn't find any host by that name"}, record.ReasonHostUnknown},
		{[]string{"sorry, i couldn't find a mail exchanger or ip address"}, record.ReasonNotAccept},
		{[]string{"this address no longer accepts mail"}, record.ReasonHasMoved},
		{[]string{"sorry, no mailbox here by that name"}, record.ReasonUserUnknown},
	}
)

// detectQmail reads the reports of qmail-send.
func detectQmail(m *mime.Message, out *found) {
	if !m.InBody(qmailSend) && !receivedHas(m, "invoked for bounce") {
		return
	}
	text := m.BounceText()
	first := len(out.rs)
	qmailEntries(text, out)
	// Haraka (outbound/hmail.js temp_fail) bounces a message whose
	// temporary failures outnumbered its retry intervals with the reason
	// "Too many failures (<the last temporary error>)", which its
	// template prints as "Failure Reason: ..." for all the recipients of
	// the report; the status it gives them was turned from 4 to 5 when it
	// gave up (convert_temp_failed_to_bounce).
	if !strings.Contains(mime.LowerBounce(m), "failure reason: too many failures (") {
		return
	}
	for i := first; i < len(out.rs); i++ {
		if r := &out.rs[i]; r.Reason == "" {
			r.Reason, r.Evidence = record.ReasonExpired, "Haraka: too many temporary failures"
		}
	}
}

// qmailEntries reads the "<address>:" paragraphs of a report in qmail's
// layout.
func qmailEntries(text string, out *found) {
	var entry record.Recipient
	var cur *record.Recipient // &entry while a paragraph is read
	var lines []string
	flush := func() {
		if cur != nil {
			if out.keeps(cur.Recipient) {
				qmailFill(cur, lines)
			}
			out.add(*cur)
		}
		cur, lines = nil, nil
	}
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(l)
		if e := qmailEntryOf(t); e != nil && strings.Contains(e[1], "@") {
			flush()
			entry = record.Recipient{Recipient: mailaddr.CleanAddress(e[1])}
			cur = &entry
			if e[2] != "" {
				lines = append(lines, e[2])
			}
			continue
		}
		if cur == nil {
			continue
		}
		if t == "" {
			if len(lines) > 0 {
				flush()
			}
			continue
		}
		if strings.HasPrefix(t, "--- ") || strings.HasPrefix(t, "--") && !strings.Contains(t, " ") {
			flush()
			break
		}
		if t[0] == '(' && qmailOtherMX.MatchString(t) {
			continue
		}
		lines = append(lines, t)
	}
	flush()
}

// qmailEntryOf matches a trimmed line against qmailEntry.
func qmailEntryOf(t string) []string {
	if !strings.HasPrefix(t, "<") {
		return nil
	}
	return qmailEntry.FindStringSubmatch(t)
}

// qmailFill reads one recipient's paragraph: the remote reply after
// "Remote host said:", else qmail's own text.
func qmailFill(r *record.Recipient, lines []string) {
	if len(lines) > 0 {
		lines[0] = qmailIndimail.ReplaceAllString(lines[0], "")
	}
	all := textutil.CollapseSpace(strings.Join(lines, " "))
	low := literal.LowerASCII(all)
	for _, c := range qmailCommands {
		if textutil.ContainsAny(low, c.words...) {
			r.Command = c.cmd
			break
		}
	}
	if textutil.ContainsAny(low, qmailRemoteWords...) {
		if h := qmailRemote.FindStringSubmatch(all); h != nil {
			r.RemoteMTA = strings.ToLower(h[1] + h[2])
		}
	}
	for i, l := range lines {
		if said, ok := qmailSaidText(l); ok {
			rest := append([]string{said}, lines[i+1:]...)
			d := dsn.UnfoldLines(rest)
			for textutil.ContainsAny(literal.LowerASCII(d), "giving up on ", "i'm not going to try again") {
				c := qmailGiveUp.ReplaceAllString(d, "")
				if c == d {
					break
				}
				d = c
			}
			r.Diagnostic = d
			break
		}
	}
	if r.Diagnostic == "" {
		r.Diagnostic = dsn.UnfoldLines(lines)
	}
	r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
	for _, c := range qmailCauses {
		// The evidence is the first of the cause's wordings in the text.
		at, word := -1, ""
		for _, w := range c.words {
			if k := strings.Index(low, w); k >= 0 && (at < 0 || k < at) {
				at, word = k, w
			}
		}
		if at >= 0 {
			r.Reason, r.Evidence = c.reason, "qmail: "+word
			break
		}
	}
}

// qmailSaidText returns the text after "Remote host said:" and the
// blanks that follow it, as the first submatch of qmailSaid, and whether
// the line has it. The words are searched for without the pattern when
// the line has no non-ASCII letter that folds to an ASCII one.
func qmailSaidText(l string) (string, bool) {
	if textutil.HasASCIIFold(l) {
		if s := qmailSaid.FindStringSubmatch(l); s != nil {
			return s[1], true
		}
		return "", false
	}
	const said = "remote host said:"
	k := textutil.IndexLower(l, said)
	if k < 0 {
		return "", false
	}
	return strings.TrimLeft(l[k+len(said):], "\t\n\f\r "), true
}

// receivedHas reports whether a top-level Received field, lower-cased,
// contains marker, a lower-case ASCII text.
func receivedHas(m *mime.Message, marker string) bool {
	for i, f := range m.Header {
		if textutil.EqualFold(f.Name, "Received") && textutil.ContainsFold(m.Value(i), marker) {
			return true
		}
	}
	return false
}
