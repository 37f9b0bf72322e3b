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

// Postfix's reports start with "This is the mail system at host ..."
// (older versions: "This is the Postfix program at host ..."), then give
// one paragraph per recipient, continuation lines indented:
//
//	<user@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1
//	    <user@example.com>: Recipient address rejected: User unknown (in
//	    reply to RCPT TO command)
//
// "(expanded from <alias@example.org>)" may follow the address. Postfix's
// notices to the postmaster ("Postfix SMTP server: errors from ...") hold
// an "In:"/"Out:" transcript of the session instead.
var (
	// postfixMarkers are lower-case body markers of the layout, besides
	// "this is the mail system at host" and the heading "The mail system"
	// alone on a line (postfixMailSystem).
	postfixMarkers = mime.NewMarkers("this is the postfix program at host", "postfix smtp server: errors from")
	// postfixGate are the other texts that tell the layout.
	postfixGate       = mime.NewMarkers("the mail system", "this is the mail system at host", "postfix", "delivery report unavailable")
	postfixMailSystem = regexp.MustCompile(`(?i)^\s*the mail system\s*$`)
	// postfixSubjects begin the subjects of the layout, lower case.
	postfixSubjects = []string{"undelivered mail returned to sender", "delayed mail (still being retried)", "postfix smtp server: errors from", "mail delivery status report", "successful mail delivery report"}
	// postfixEntry and postfixSaid are the heads of a recipient's
	// paragraph and of a remote reply; the text after them is read by
	// headAndRest.
	postfixEntry   = regexp.MustCompile(`^<([^<>]*)>(?:\s*\(expanded from\s*<([^<>]*)>\))?:`)
	postfixSaid    = regexp.MustCompile(`(?i)^host (\S+?)\[[^\]]*\](?::\d+)? said:`)
	postfixInReply = regexp.MustCompile(`(?i)\s*\(in reply to (.+?) command\)\s*$`)
	postfixHost    = regexp.MustCompile(`(?i)\b(?:host|connect to) ([a-z0-9][a-z0-9.-]*[a-z0-9])\[[^\]\s]+\]`)
	// postfixBare begins the text of a recipient's paragraph copied
	// without the report's heading: the remote host with its address in
	// brackets (masked by hand as often as not, "[×××.×××.×××.×××]",
	// "[IP]") and what it did. postfixBareMarkers are the texts one of
	// which the bounce text must hold before paragraphs are tried.
	postfixBare        = regexp.MustCompile(`(?i)^(?:delivery temporarily suspended: )?(?:host \S+?\[[^\]]*\](?::\d+)? (?:said:|refused to talk to me:)|(?:connect to|lost connection with|conversation with) \S+?\[[^\]]*\])`)
	postfixBareMarkers = mime.NewMarkers("said:", "refused to talk to me:", "connect to ", "lost connection with ", "conversation with ")
	postfixWarnings    = []string{"this is a warning only", "delayed mail", "still being retried"}
	// postfixWarned are postfixWarnings as body markers.
	postfixWarned = mime.NewMarkers(postfixWarnings...)
	// postfixSession heads the transcript of a notice to the postmaster.
	postfixSession   = mime.NewMarker("transcript of session follows")
	postfixTranscrip = regexp.MustCompile(`(?im)^\s*transcript of session follows\.?\s*$`)
)

// isPostfixReport tells Postfix's reports by their body markers or
// subject.
func isPostfixReport(m *mime.Message) bool {
	if m.InBody(postfixGate[0]) && (m.InBody(postfixGate[1]) || textmatch.LineMatch(postfixMailSystem, m.Body, mime.LowerBody(m), "the mail system") != nil) ||
		m.InBody(postfixGate[2]) && m.InBodyAny(postfixMarkers...) || m.InBody(postfixGate[3]) {
		return true
	}
	for _, p := range postfixSubjects {
		if strings.HasPrefix(m.LowerSubject, p) {
			return true
		}
	}
	return false
}

// detectPostfix reads Postfix's reports.
//
// Without the layout's heading (a recipient's paragraph pasted alone or
// forwarded), it reads only the paragraphs that postfixBare tells as
// Postfix's.
func detectPostfix(m *mime.Message, out *found) {
	bare := false
	if !isPostfixReport(m) {
		if !m.InBounceAny(postfixBareMarkers...) {
			return
		}
		bare = true
	}
	text := m.Body
	if strings.Contains(text, " In:") && m.InBody(postfixSession) && postfixTranscrip.MatchString(text) {
		if postfixTranscript(text, out); out.count() > 0 {
			return
		}
	}
	warning := textutil.ContainsAny(m.LowerSubject, postfixWarnings...) || m.InBodyAny(postfixWarned...)
	text = m.BounceText()
	for _, para := range postfixParagraphs(text) {
		e := textmatch.HeadAndRest(postfixEntry, para)
		if e == nil {
			continue
		}
		addr := mailaddr.CleanAddress(e[1])
		if !strings.Contains(addr, "@") {
			continue
		}
		r := record.Recipient{Recipient: addr}
		if alias := mailaddr.CleanAddress(e[2]); alias != "" && !strings.EqualFold(alias, addr) {
			r.OriginalRecipient = alias // "(expanded from <alias>)"
		}
		body := e[3]
		if bare && !postfixBare.MatchString(body) {
			continue
		}
		postfixReply(&r, body)
		r.Diagnostic = dsn.UnfoldLines([]string{r.Diagnostic})
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		if warning {
			r.Action = record.ActionDelayed
		}
		out.add(r)
	}
	if out.count() == 0 && strings.Contains(mime.LowerBounce(m), "- delivery report unavailable -") {
		// Postfix lost the details; the recipients are those of the
		// returned message.
		for _, a := range originalRecipients(m, m.Body) {
			out.add(record.Recipient{Recipient: a})
		}
	}
	if out.count() > 0 && m.DSN == nil {
		inline := inlineDSN(m.Body)
		for i := range out.rs {
			if d, ok := inline.match(out.rs[i].Recipient, len(out.rs)); ok {
				mergeInline(&out.rs[i], d)
			}
		}
	}
}

// postfixReply sets r's Command, RemoteMTA and Diagnostic from what
// Postfix says of a recipient, in its report or its log: a remote
// server's reply ("host mx.example.org[192.0.2.1] said: 550 ... (in
// reply to RCPT TO command)"), or its own account of the failure, which
// may name the host it tried ("connect to mx.example.org[192.0.2.1]:25:
// Connection timed out").
func postfixReply(r *record.Recipient, body string) {
	if c := postfixCommand(body); c != nil {
		r.Command = c[1]
		body = body[:len(body)-len(c[0])]
	}
	if s := textmatch.HeadAndRest(postfixSaid, body); s != nil {
		r.RemoteMTA = strings.ToLower(s[1])
		r.Diagnostic = s[2]
		return
	}
	r.Diagnostic = body
	if h := textmatch.SubmatchIf(strings.IndexByte(body, '[') >= 0, postfixHost, body); h != nil {
		r.RemoteMTA = strings.ToLower(h[1])
	}
}

// postfixCommand is postfixInReply.FindStringSubmatch(body). A match
// begins with the blanks before "(in reply to ", so the expression runs
// from the blanks before the first of those.
func postfixCommand(body string) []string {
	k := textutil.IndexLower(body, "(in reply to ")
	if k < 0 {
		return nil
	}
	for k > 0 && strings.IndexByte("\t\n\f\r ", body[k-1]) >= 0 {
		k--
	}
	return postfixInReply.FindStringSubmatch(body[k:])
}

// postfixParagraphs returns the paragraphs of text that begin with a
// recipient ("<user@example.com>: ..."), each unfolded onto one line. A
// line that begins with "<" but not with a recipient and its colon (a
// remote reply wrapped at an address, "<user@example.com>... User
// unknown") continues the paragraph it follows.
//
// Postfix indents the continuation lines, but a paragraph ends only at
// a blank line: text copied out of a mail program often loses the
// indentation, so an unindented line continues the paragraph too, unless
// it begins a MIME boundary or separator ("--"). Quote marks of a
// forwarded or replied-to report ("> ") are taken off each line first.
//
// The lines of a paragraph are joined as they are read, so that a
// paragraph of many short lines costs memory for its bytes, not for a
// string per line.
func postfixParagraphs(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, textutil.CollapseSpace(cur.String()))
			cur.Reset()
		}
	}
	add := func(l string) {
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(l)
	}
	for l := range strings.SplitSeq(text, "\n") {
		l = unquoteLine(l)
		switch {
		case strings.HasPrefix(l, "<") && (cur.Len() == 0 || postfixEntryStart(l)):
			flush()
			add(l)
		case cur.Len() > 0 && strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "--"):
			add(l)
		default:
			flush()
		}
	}
	flush()
	return out
}

// unquoteLine returns l without the quote marks a mail program puts
// before quoted text: each leading ">" with one blank after it.
func unquoteLine(l string) string {
	for strings.HasPrefix(l, ">") {
		l = strings.TrimPrefix(l[1:], " ")
	}
	return l
}

// postfixEntryStart reports whether a line that begins with "<" begins a
// recipient's paragraph: the address in angle brackets, optionally
// "(expanded from <alias>)", then a colon.
func postfixEntryStart(l string) bool {
	k := strings.IndexByte(l, '>')
	if k < 0 {
		return false
	}
	rest := strings.TrimLeft(l[k+1:], " \t")
	if strings.HasPrefix(rest, ":") {
		return true
	}
	if !strings.HasPrefix(rest, "(expanded from") {
		return false
	}
	if e := strings.IndexByte(rest, ')'); e >= 0 {
		return strings.HasPrefix(strings.TrimLeft(rest[e+1:], " \t"), ":")
	}
	// The "(expanded from" comment goes on on the next line.
	return true
}

// postfixTranscript reads a Postfix notice to the postmaster: the
// recipients of the RCPT TO commands and the reply that failed the
// session.
func postfixTranscript(text string, out *found) {
	var lines [][]string // each line of the transcript with its continuations
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "In:") || strings.HasPrefix(t, "Out:"):
			lines = append(lines, []string{t})
		case t != "" && len(lines) > 0 && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")):
			lines[len(lines)-1] = append(lines[len(lines)-1], t)
		}
	}
	var rcpts []string
	var rcptReply = map[string]string{}
	var lastIn, lastRcpt, failReply, failCmd string
	for _, pieces := range lines {
		l := strings.Join(pieces, " ")
		if strings.HasPrefix(l, "In:") {
			lastIn = strings.TrimSpace(l[3:])
			lastRcpt = ""
			up := strings.ToUpper(lastIn)
			if strings.HasPrefix(up, "RCPT TO:") || strings.HasPrefix(up, "RCPT TO") {
				if a := mailaddr.FindAddress(lastIn); a != "" {
					rcpts = append(rcpts, a)
					lastRcpt = a
				}
			}
			continue
		}
		reply := strings.TrimSpace(l[4:])
		code, st := dsn.FailureReply(reply)
		if code == 0 && st.IsZero() {
			continue
		}
		if lastRcpt != "" {
			rcptReply[strings.ToLower(lastRcpt)] = reply
			continue
		}
		if failReply == "" {
			failReply, failCmd = reply, textutil.FirstWord(lastIn)
		}
	}
	for _, a := range rcpts {
		r := record.Recipient{Recipient: a}
		if rp, ok := rcptReply[strings.ToLower(a)]; ok {
			r.Diagnostic, r.Command = rp, "RCPT"
		} else if failReply != "" {
			r.Diagnostic, r.Command = failReply, failCmd
		} else {
			continue
		}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		out.add(r)
	}
}
