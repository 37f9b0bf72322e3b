package layout

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// au (KDDI) reports failures for ezweb.ne.jp and au.com mailboxes from
// Postmaster@ezweb.ne.jp, subject "Mail System Error - Returned Mail": a
// Japanese paragraph, then English text in one of these forms:
//
//	The user(s) account is disabled.
//
//	<user@ezweb.ne.jp>
//
//	The user(s) account is disabled.
//
//	<user@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
//
//	Your message was not delivered within 0 days and 1 hours.
//	Remote host is not responding.
//
//	The following recipients did not receive this message:
//
//	<user@ezweb.ne.jp>
//
//	Each of the following recipients was rejected by a remote
//	mail server.
//
//	    Recipient: <user@example.com>
//	    >>> RCPT TO:<user@example.com>
//	    <<< 550 <user@example.com>: User unknown
//
// Other Japanese ISPs send the same layout (DTI's example report, at
// dream.jp/support/techinfo/mail/error/error05.html, has "Mail System
// Error - Returned Mail" from Postmaster@dti.ne.jp) with the server's
// answer on a line of its own:
//
//	    Recipient: <user@example.com>
//	    Reason:    <user@example.com>... User unknown
//
// Some of these reports come with a delivery-status part as well.

var (
	ezwebRecipient = regexp.MustCompile(`^[ \t]*(?:Recipient:[ \t]*)?<([^\s<>]+@[^\s<>]+)>[ \t]*(?::[ \t]*(.*?))?[ \t]*$`)
	ezwebInReply   = regexp.MustCompile(`(?i)\s*\(in reply to (.+?) command\)$`)
	ezwebSent      = regexp.MustCompile(`(?m)^[ \t]*>>>[ \t]*(.+)$`)
	ezwebReply     = regexp.MustCompile(`(?m)^[ \t]*<<<[ \t]*(.+)$`)
	ezwebReason    = regexp.MustCompile(`(?m)^[ \t]*Reason:[ \t]*(.+)$`)
	ezwebNotWithin = regexp.MustCompile(`(?i)was not delivered within \d+ days? and \d+ hours?`)
)

// detectEzweb reads the au/ezweb layout.
func detectEzweb(m *mime.Message, out *found) {
	if !strings.HasPrefix(m.Subject, "Mail System Error - Returned Mail") {
		if !fromHas(m, "@ezweb.ne.jp", "@au.com") {
			return
		}
		if from := strings.ToLower(mailaddr.FirstAddress(m.From)); !strings.HasSuffix(from, "@ezweb.ne.jp") && !strings.HasSuffix(from, "@au.com") {
			return
		}
	}
	text := m.BounceText()
	locs := textmatch.LineMatches(ezwebRecipient, text, "@")
	if len(locs) == 0 {
		return
	}
	// The English explanation before the first recipient applies to all.
	head := text[:locs[0][0]]
	var lead []string
	for p := range strings.SplitSeq(head, "\n\n") {
		p = strings.TrimSpace(p)
		if p != "" && isASCIIText(p) {
			lead = append(lead, textutil.CollapseSpace(p))
		}
	}
	// common has no blanks at its ends: its paragraphs are collapsed.
	common := strings.Join(lead, " ")
	// What the explanation says, for the recipients whose diagnostic
	// is the explanation or begins with it.
	var reason record.Reason
	var evidence string
	switch {
	case strings.Contains(strings.ToLower(common), "account is disabled"):
		reason, evidence = record.ReasonSuspend, "au: the user(s) account is disabled"
	case ezwebNotWithin.MatchString(common):
		reason, evidence = record.ReasonExpired, "au: "+ezwebNotWithin.FindString(common)
	}
	for i, l := range locs {
		r := record.Recipient{Recipient: text[l[2]:l[3]], Action: record.ActionFailed, Diagnostic: common}
		if !out.keeps(r.Recipient) {
			out.add(r)
			continue
		}
		seg := textmatch.AfterMatch(text, locs, i)
		explained := true // the diagnostic is common or begins with it and a blank
		if l[4] >= 0 && l[5] > l[4] {
			// au's own server's reply after the address, below the
			// explanation it gives for it.
			reply := text[l[4]:l[5]]
			if c := ezwebInReply.FindStringSubmatch(reply); c != nil {
				r.Command = textutil.FirstWord(c[1])
				reply = reply[:len(reply)-len(c[0])]
			}
			// strings.TrimSpace(common + " " + reply), built only as far
			// as a diagnostic is kept.
			switch tail := strings.TrimRightFunc(reply, unicode.IsSpace); {
			case tail == "":
			case common == "":
				r.Diagnostic, explained = strings.TrimLeftFunc(tail, unicode.IsSpace), false
			default:
				r.Diagnostic = out.join(common, " ", tail)
			}
			r.ReplyCode, r.Status = dsn.FailureReply(reply)
		} else if sm := ezwebReply.FindStringSubmatch(seg); sm != nil {
			r.Diagnostic = textutil.CollapseSpace(sm[1])
			if c := ezwebSent.FindStringSubmatch(seg); c != nil {
				r.Command = textutil.FirstWord(c[1])
			}
			d := r.Diagnostic
			explained = d == common || strings.HasPrefix(d, common) && strings.HasPrefix(d[len(common):], " ")
		} else if sm := ezwebReason.FindStringSubmatch(seg); sm != nil {
			r.Diagnostic, explained = textutil.CollapseSpace(sm[1]), false
			r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		}
		if explained {
			r.Reason, r.Evidence = reason, evidence
		}
		out.add(r)
	}
}

// isASCIIText reports whether s is printable ASCII text, as the English
// part of a bilingual report is.
func isASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || c < 0x20 && c != '\n' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
