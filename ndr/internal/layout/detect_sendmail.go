package layout

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Sendmail's reports list the failed addresses under a dashed heading,
// each with "(reason: ...)", then give the SMTP transcript:
//
//	   ----- The following addresses had permanent fatal errors -----
//	<user@example.com>
//	    (reason: 550 5.1.1 <user@example.com>... User unknown)
//
//	   ----- Transcript of session follows -----
//	... while talking to mx.example.com.:
//	>>> RCPT To:<user@example.com>
//	<<< 550 5.1.1 <user@example.com>... User unknown
//	550 5.1.1 <user@example.com>... User unknown
//
// ">>>" lines are the commands sent, "<<<" lines the remote replies, and
// "address... text" lines Sendmail's verdict on one recipient. Sendmail 5
// and other old versions give only the transcript, with "host (smtp)...
// text" lines for hosts it could not reach and "554 <address>... 550
// text" verdicts, and no delivery-status part; this detector reads that
// layout by the same headings:
//
//	   ----- Transcript of session follows -----
//	550 mx.example.org (smtp)... 550 Host unknown
//	554 <user@example.org>... 550 Host unknown (Authoritative answer from name server)

// sendmailHeadings are the words of the headings that
// sendmailHeadingLine finds.
var sendmailHeadings = []string{"The following addresses had", "Transcript of session follows"}

// sendmailGate are sendmailHeadings as markers, tested before anything else.
var sendmailGate = mime.NewMarkers(sendmailHeadings...)

var (
	sendmailSection   = regexp.MustCompile(`(?i)^-{3,} ?(?:the following addresses had (permanent fatal errors|transient non-fatal errors|successful delivery notifications)|transcript of session follows|(?:original|unsent|returned) message|message header|original message|.*follows) ?-*$`)
	sendmailTalking   = regexp.MustCompile(`(?i)^(?:\.\.\. )?while talking to \[?([^\s:\]]+?)\]?\.?:$`)
	sendmailRcptLine  = regexp.MustCompile(`^(?:[245][0-9][0-9](?: [245]\.[0-9]{1,3}\.[0-9]{1,3})? )?(<[^<>]*>|[^\s<>]+)\.\.\. (.*)$`)
	sendmailHostLine  = regexp.MustCompile(`^(?:[245][0-9][0-9] )?(\[?[A-Za-z0-9][A-Za-z0-9.:-]*\]?) \(([a-z0-9-]+)\)\.\.\. (.*)$`)
	sendmailReason    = regexp.MustCompile(`(?i)^\(reason: (.*)\)$`)
	sendmailExpanded  = regexp.MustCompile(`(?i)^\(expanded from:? (.*)\)$`)
	sendmailGaveUp    = regexp.MustCompile(`(?i)^message could not be delivered for .+$|^message will be deleted from queue$`)
	sendmailUnsent    = regexp.MustCompile(`(?im)^[ \t]*-{3,} ?(?:unsent|original|returned) message follows ?-*[ \t]*$`)
	sendmailCommandRe = regexp.MustCompile(`(?i)^(MAIL|RCPT|DATA|EHLO|HELO|STARTTLS|QUIT|RSET|AUTH|BDAT)\b`)
)

// sendmailHeadingLine returns the start of the first line of text that
// is a heading as isSendmailHeading tells, or -1.
func sendmailHeadingLine(text string) int {
	start, _ := textutil.FirstLineWhere(text, text, isSendmailHeading, sendmailHeadings...)
	return start
}

// isSendmailHeading reports whether line begins a Sendmail heading: after
// blanks and quote marks, three or more dashes, a space or none, and one
// of sendmailHeadings.
func isSendmailHeading(line string) bool {
	line = mime.TrimQuote(line)
	rest := strings.TrimLeft(line, "-")
	if len(line)-len(rest) < len("---") {
		return false
	}
	rest = strings.TrimPrefix(rest, " ")
	for _, h := range sendmailHeadings {
		if strings.HasPrefix(rest, h) {
			return true
		}
	}
	return false
}

// sendmailSections are the headings that sendmailSection names, lower
// case, other than those ending in "follows".
var sendmailSections = []string{
	"the following addresses had permanent fatal errors",
	"the following addresses had transient non-fatal errors",
	"the following addresses had successful delivery notifications",
	"original message", "unsent message", "returned message", "message header",
}

// isSendmailSection reports whether t, a trimmed line, is a section
// heading, as sendmailSection.MatchString(t) does: three or more dashes,
// a space or none, a heading of sendmailSections or any text that ends
// in "follows", then a space or none and dashes or none. Lines with
// non-ASCII text are left to sendmailSection, whose case folding knows
// non-ASCII letters that stand for ASCII ones.
func isSendmailSection(t string) bool {
	if !strings.HasPrefix(t, "---") {
		return false
	}
	if !textutil.IsASCII(t) {
		return sendmailSection.MatchString(t)
	}
	// The heading without the closing dashes and the space before them.
	head := strings.TrimSuffix(strings.TrimRight(t, "-"), " ")
	if n := len(head) - len("follows"); n >= len("---") && strings.EqualFold(head[n:], "follows") {
		return true
	}
	head = strings.TrimPrefix(strings.TrimLeft(head, "-"), " ")
	for _, s := range sendmailSections {
		if strings.EqualFold(head, s) {
			return true
		}
	}
	return false
}

// detectSendmail reads the reports of Sendmail 8 and its older versions.
func detectSendmail(m *mime.Message, out *found) {
	if !m.InBodyAny(sendmailGate...) {
		return
	}
	text := m.Body
	start := sendmailHeadingLine(text)
	if start < 0 {
		return
	}
	text = unquoteBlock(text, start)
	if start = sendmailHeadingLine(text); start < 0 {
		return
	}
	var list []*sendmailRcpt
	byAddr := map[string]*sendmailRcpt{}
	get := func(addr string) *sendmailRcpt {
		k := strings.ToLower(addr)
		if r, ok := byAddr[k]; ok {
			return r
		}
		r := &sendmailRcpt{addr: addr}
		byAddr[k] = r
		list = append(list, r)
		return r
	}
	var (
		section  string // "failed", "delayed", "delivered", "transcript" or ""
		cur      *sendmailRcpt
		host     string
		command  string
		reply    []string // the current "<<<" block
		inReply  bool
		pending  []string // free text since the last verdict line
		general  []string // verdicts that name no recipient
		firstBad string   // the first failure reply of the transcript
		badLines []string // the lines of its latest continuation, when it goes on
		badCmd   string
		badHost  string
		gaveUp   bool
		ownBad   string   // Sendmail's own failure reply outside a verdict line
		hosts    []string // hosts named by "host (smtp)..." lines, with their text
		hostText = map[string]string{}
		blocks   []sendmailBlock // the failure replies of the transcript
		block    = -1            // the index in blocks of the current reply
	)
	// Sendmail returns a message whose queue time ran out under the
	// subject "Returned mail: Cannot send message for 5 days" (the
	// e_message that sendmail/queue.c and deliver.c set at the queue
	// return timeout); a "Deferred:" line then tells the last attempt,
	// not a delivery still being tried.
	gaveUp = textutil.ContainsFold(m.Subject, "cannot send message for")
	started := false
	for raw := range strings.SplitSeq(text[start:], "\n") {
		t := strings.TrimSpace(raw)
		if t == "" {
			inReply = false
			continue
		}
		if strings.HasPrefix(t, "--") && !strings.Contains(t, " ") && len(t) > 8 {
			break // a MIME boundary in a report read as plain text
		}
		if isSendmailSection(t) {
			low := strings.ToLower(t)
			switch {
			case strings.Contains(low, "permanent fatal"):
				section = "failed"
			case strings.Contains(low, "transient non-fatal"):
				section = "delayed"
			case strings.Contains(low, "successful delivery"):
				section = "delivered"
			case strings.Contains(low, "transcript of session"):
				section = "transcript"
			default:
				if started {
					section = "end"
				}
			}
			started = true
			if section == "end" {
				break
			}
			continue
		}
		if section == "end" {
			break
		}
		if !started {
			continue
		}
		switch section {
		case "failed", "delayed", "delivered":
			enclosed := strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")")
			if x := textmatch.SubmatchIf(enclosed, sendmailExpanded, t); x != nil {
				// The alias the address was expanded from
				// (sendmail/savemail.c, errbody: q_alias).
				a := mailaddr.CleanAddress(x[1])
				switch {
				case cur == nil || !mailaddr.IsAddress(a):
				case !mailaddr.IsAddress(cur.addr):
					// A program or a file: the alias stands for it.
					delete(byAddr, strings.ToLower(cur.addr))
					cur.addr = a
					byAddr[strings.ToLower(a)] = cur
				case !strings.EqualFold(a, cur.addr):
					cur.alias = a
				}
				continue
			}
			if r := textmatch.SubmatchIf(enclosed, sendmailReason, t); r != nil && cur != nil {
				cur.reason = appendPiece(cur.reason, r[1])
				continue
			}
			if textutil.LineIndent(raw) == 0 && !strings.Contains(t, " ") {
				cur = get(mailaddr.CleanAddress(t))
				cur.action = map[string]record.Action{"failed": record.ActionFailed, "delayed": record.ActionDelayed, "delivered": record.ActionDelivered}[section]
				continue
			}
			if cur != nil && textutil.LineIndent(raw) > 0 {
				cur.reason = appendPiece(cur.reason, strings.Trim(t, "()"))
			}
			continue
		}
		// The transcript.
		if h := textmatch.SubmatchIf(strings.HasSuffix(t, ":"), sendmailTalking, t); h != nil {
			host, command, reply, inReply = strings.TrimSuffix(h[1], "."), "", nil, false
			continue
		}
		if strings.HasPrefix(t, ">>>") {
			command, reply, inReply = strings.TrimSpace(t[3:]), nil, false
			continue
		}
		if strings.HasPrefix(t, "<<<") {
			if !inReply {
				reply = nil
				block = -1
			}
			reply = append(reply, strings.TrimSpace(t[3:]))
			inReply = true
			code, st := dsn.FailureReply(t[3:])
			failure := code != 0 || !st.IsZero()
			// The lines of a reply are unfolded once it is complete,
			// not at each of its lines.
			if failure || block >= 0 {
				if block < 0 {
					blocks = append(blocks, sendmailBlock{command: command, host: host})
					block = len(blocks) - 1
				}
				blocks[block].lines = reply
			}
			if firstBad == "" {
				if failure {
					firstBad, badCmd, badHost = dsn.UnfoldLines(reply), command, host
				}
			} else if badCmd == command && badHost == host && len(reply) > 1 {
				badLines = reply
			}
			continue
		}
		inReply = false
		if len(t) >= 8 && strings.EqualFold(t[:8], "message ") && sendmailGaveUp.MatchString(t) {
			gaveUp = true
			continue
		}
		if h := textmatch.SubmatchIf(strings.Contains(t, ")... "), sendmailHostLine, t); h != nil && !strings.Contains(h[1], "@") {
			hn := strings.Trim(h[1], "[]")
			if !strings.EqualFold(hn, host) {
				host, command, reply = hn, "", nil
			}
			if _, ok := hostText[strings.ToLower(hn)]; !ok {
				hosts = append(hosts, hn)
			}
			hostText[strings.ToLower(hn)] = t
			pending = nil
			continue
		}
		if v := textmatch.SubmatchIf(strings.Contains(t, "... "), sendmailRcptLine, t); v != nil {
			addr := mailaddr.CleanAddress(v[1])
			if addr == "" {
				general = append(general, dsn.UnfoldLines(append(pending, v[2])))
				pending = nil
				continue
			}
			r := get(addr)
			r.host, r.command = host, command
			// The transcript above is another recipient's session when
			// its last command is a RCPT for another address, or when
			// this line names another host ("Deferred: Connection timed
			// out with mx.example.com."): its stage, host and reply are
			// not this one's.
			other := rcptOfOther(command, addr) || otherHost(v[2], host)
			if other {
				r.host, r.command = "", ""
			}
			if r.host == "" {
				r.host = lineHost(v[2])
			}
			r.deferred = strings.HasPrefix(v[2], "Deferred")
			replyText := dsn.UnfoldLines(reply)
			if code, st := dsn.FailureReply(replyText); len(reply) > 0 && (code != 0 || !st.IsZero()) && !other {
				r.reply = replyText
			} else if code, st := dsn.FailureReply(v[2]); code != 0 || !st.IsZero() {
				r.reply = dsn.UnfoldLines(append(pending, strings.TrimPrefix(v[2], "Deferred: ")))
			} else {
				r.reply = ""
			}
			r.line = dsn.UnfoldLines(append(pending, t))
			r.verdict = t
			pending = nil
			continue
		}
		if ownBad == "" {
			if code, _ := dsn.FailureReply(t); code != 0 && strings.HasPrefix(t, strconv.Itoa(code)) {
				ownBad = t
			}
		}
		pending = append(pending, t)
	}
	for i := range blocks {
		blocks[i].text = dsn.UnfoldLines(blocks[i].lines)
	}
	if badLines != nil {
		firstBad = dsn.UnfoldLines(badLines)
	}
	// "host (smtp)... text" lines that no recipient line follows are
	// about the recipients of the returned message at those hosts.
	domains := map[string]bool{}
	for _, r := range list {
		_, d, _ := strings.Cut(r.addr, "@")
		domains[strings.ToLower(d)] = true
	}
	var origRcpts []string
	for _, h := range hosts {
		if !domains[strings.ToLower(h)] {
			if origRcpts == nil {
				origRcpts = originalRecipients(m, text)
			}
			for _, a := range origRcpts {
				if _, d, _ := strings.Cut(a, "@"); strings.EqualFold(d, h) {
					r := get(a)
					r.host = h
					r.line = hostText[strings.ToLower(h)]
					r.deferred = strings.Contains(r.line, "Deferred")
				}
			}
		}
	}
	if len(list) == 0 && m.DSN != nil {
		// A transcript that names no recipient: it is about those of the
		// DSN part.
		for _, d := range dsn.RecipientsOf(m.DSN) {
			get(d.Recipient)
		}
	}
	if len(list) == 0 {
		return
	}
	inline := inlineDSN(text)
	// The DSN part's own fields decide which recipients the queue
	// timeout returned: a report under the timeout's subject may list
	// recipients that failed for another reason, are still delayed or
	// were relayed (RFC 3464, section 9.3 mixes them this way).
	var reported map[string]record.Recipient
	if gaveUp && m.DSN != nil {
		reported = map[string]record.Recipient{}
		for _, d := range dsn.RecipientsOf(m.DSN) {
			reported[strings.ToLower(d.Recipient)] = d
		}
	}
	// The first failure of the transcript is about every recipient,
	// unless it names in angle brackets recipients of the list: then it
	// is about those only; a reply to a RCPT command is about its
	// address only. badNames are the names in its brackets.
	var badNames map[string]bool
	badNamed := 0
	if firstBad != "" {
		badNames = bracketNames(firstBad)
		for _, s := range list {
			if badNames[strings.ToLower(s.addr)] {
				badNamed++
			}
		}
	}
	var names map[string]int
	for _, s := range list {
		var own sendmailBlock
		if s.reply == "" && len(blocks) > 1 {
			if names == nil {
				names = blockNames(blocks)
			}
			own, _ = replyNaming(blocks, names, s.addr)
		}
		r := record.Recipient{Recipient: s.addr, OriginalRecipient: s.alias, Action: s.action, Command: s.command, RemoteMTA: strings.ToLower(s.host)}
		lineCode, lineStatus := dsn.FailureReply(s.line)
		if lineCode == 0 && lineStatus.IsZero() && s.verdict != s.line {
			// The verdict line begins with its reply code, which the
			// lines of text before it hide once they are joined.
			lineCode, lineStatus = dsn.FailureReply(s.verdict)
		}
		switch {
		case s.reply != "":
			r.Diagnostic = s.reply
		case lineCode != 0 || !lineStatus.IsZero():
			r.Diagnostic = s.line
		case own.text != "":
			// A reply of a pipelined session that names the recipient.
			r.Diagnostic = own.text
			r.Command, r.RemoteMTA = own.command, strings.ToLower(own.host)
		case firstBad != "" && (badNames[strings.ToLower(s.addr)] || badNamed == 0) && !rcptOfOther(badCmd, s.addr):
			// A reply to another address's RCPT command is that
			// address's alone (sendmail/usersmtp.c, reply: the
			// transcript gives the command, ">>> RCPT To:<...>",
			// before its reply).
			r.Diagnostic = firstBad
			r.Command, r.RemoteMTA = badCmd, strings.ToLower(badHost)
		case ownBad != "":
			r.Diagnostic = ownBad
		case len(s.reason) > 0:
			r.Diagnostic = strings.Join(s.reason, " ")
		case s.line != "":
			r.Diagnostic = s.line
		default:
			r.Diagnostic = strings.Join(general, " ")
		}
		if r.Action == "" && s.deferred && !gaveUp {
			r.Action = record.ActionDelayed
		}
		if c := textmatch.SubmatchIf(r.Command != "", sendmailCommandRe, r.Command); c != nil {
			r.Command = strings.ToUpper(c[1])
		} else {
			r.Command = ""
		}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		if r.Diagnostic == s.line && r.ReplyCode == 0 && r.Status.IsZero() {
			r.ReplyCode, r.Status = lineCode, lineStatus
		}
		if d, ok := inline.match(r.Recipient, len(list)); ok {
			mergeInline(&r, d)
		}
		if d, ok := reported[strings.ToLower(r.Recipient)]; gaveUp && queueTimedOut(r, d, ok) {
			r.Reason, r.Evidence = record.ReasonExpired, "Sendmail: the message could not be delivered in time and was deleted from the queue"
		}
		out.add(r)
	}
}

// queueTimedOut reports whether recipient r of a report that Sendmail
// sent when its queue timeout ran out is one the timeout returned: it
// failed, without a permanent reply of its own. With ok set, d is the
// recipient's entry in the DSN part, whose action and reply decide.
func queueTimedOut(r, d record.Recipient, ok bool) bool {
	action, code := r.Action, r.ReplyCode
	if ok {
		if d.Action != "" {
			action = d.Action
		}
		if c, _ := dsn.FailureReply(d.Diagnostic); c != 0 {
			code = c
		} else if d.Status.Permanent() && d.Status.Subject() != 0 && d.Status.Subject() != enhancedcode.SubjectNetwork {
			// A permanent status that names a cause other than the
			// connection or the delivery time.
			return false
		}
	}
	if action != "" && action != record.ActionFailed {
		return false
	}
	return code/100 != 5
}

// originalRecipients lists the To and Cc addresses of the returned
// message.
func originalRecipients(m *mime.Message, text string) []string {
	o := m.Original
	if !m.HasOriginal {
		var ok bool
		if o, ok = mime.OriginalInText(m.Body); !ok {
			if loc := sendmailUnsent.FindStringIndex(text); loc != nil {
				block := strings.TrimLeft(text[loc[1]:], "\n")
				if k := strings.Index(block, "\n\n"); k >= 0 {
					block = block[:k]
				}
				o = mime.OriginalFrom(dsn.ParseFields(block))
			}
		}
	}
	var out []string
	for _, f := range []string{o.To, o.Get("Cc")} {
		out = append(out, mailaddr.FindAddresses(f)...)
	}
	return out
}

// sendmailLineHost finds the host that a recipient line of Sendmail's
// names at its end: "Deferred: Connection timed out with H." or
// "Deferred: Connection refused by H." (sendmail/deliver.c and
// sendmail/err.c).
var sendmailLineHost = regexp.MustCompile(`(?i)\b(?:with|by) \[?([a-z0-9][a-z0-9.-]*\.[a-z0-9-]+)\]?\.?\s*$`)

// lineHost returns the host that a recipient line names at its end, or
// "".
func lineHost(line string) string {
	if !strings.Contains(line, " with ") && !strings.Contains(line, " by ") {
		return ""
	}
	if h := sendmailLineHost.FindStringSubmatch(line); h != nil {
		return strings.TrimSuffix(h[1], ".")
	}
	return ""
}

// otherHost reports whether a recipient line names a host other than
// host, the one the transcript above it talks to.
func otherHost(line, host string) bool {
	if host == "" || !strings.Contains(line, " with ") && !strings.Contains(line, " by ") {
		return false
	}
	h := sendmailLineHost.FindStringSubmatch(line)
	return h != nil && !strings.EqualFold(strings.TrimSuffix(h[1], "."), strings.Trim(host, "[]."))
}

// rcptOfOther reports whether the transcript's last command is a RCPT
// for another address than addr: its reply is then about that address,
// not about a recipient line that follows it (Sendmail lists a deferred
// recipient after the transcript of another's refusal).
func rcptOfOther(command, addr string) bool {
	a := rcptAddress(command)
	return a != "" && !strings.EqualFold(a, addr)
}

// rcptAddress returns the address of a RCPT command as the transcript
// gives it ("RCPT To:<user@example.com> NOTIFY=..."), or "" for another
// command.
func rcptAddress(command string) string {
	if len(command) < 4 || !strings.EqualFold(command[:4], "RCPT") {
		return ""
	}
	return mailaddr.CleanAddress(command[strings.IndexByte(command, ':')+1:])
}
