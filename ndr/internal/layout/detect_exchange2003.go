package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Microsoft Exchange 5.5 to 2003 (the Internet Mail Service and Connector,
// the MTA, the Exchange 2000/2003 SMTP service) and Outlook, which writes
// the same report itself for a message it could not send, repeat the
// returned message's To, Subject and Sent lines, then list each
// recipient with the time of the failure and the reason under it:
//
//	Your message
//
//	  To:      user@example.com
//	  Subject: Minutes
//	  Sent:    Thu, 9 May 2005 23:34:45 +0900
//
//	did not reach the following recipient(s):
//
//	user@example.com on Thu, 9 May 2005 23:34:45 +0900
//	    The recipient name is not recognized
//	    The MTS-ID of the original message is: c=us;a= ;p=example;l=...
//	    MSEXCH:IMS:EXAMPLE:SITE:SERVER 0 (000C05A6) Unknown Recipient
//
// Other versions begin "Your message did not reach some or all of the
// intended recipients.", say "The following recipient(s) could not be
// reached:" (or "cannot be reached:"), and give the remote server's reply
// as "<mx.example.com #5.1.1 smtp;550 5.1.1 User unknown>". An entry
// names the recipient as the sender's address book shows it: an address,
// a contact's name ("'Kato, Ryo' on 6/10/24 5:00 PM", Microsoft KB 214682
// and 155430: "John Doe on 7/19/96 11:20:52 AM"), or the address in
// quotes without "on" (Outlook 2007 and later, KB 955778: "'<UserName>
// (<UserNameFax>)' <date> <time>"). Outlook's Japanese edition writes
// "このメールは、受信者全員または一部に届きませんでした。" and "以下の受信者
// にメールを配信できません :" (Microsoft KB 940620, ja-jp) or "以下の受信者
// に配信されませんでした。" (the Japanese edition of the Exchange 2007 help
// topic on Outlook in Cached Exchange Mode, technet dd285509).
var (
	// ex2003Intros, lower case, begin the report.
	ex2003Intros = []string{"your message", "受信者全員または一部に届きませんでした"}
	// ex2003Headings, lower case, head the list of recipients.
	ex2003Headings = []string{
		"did not reach the following recipient(s)",
		"the following recipient(s) could not be reached",
		"the following recipient(s) cannot be reached",
		"the following recipient(s) can not be reached",
		"以下の受信者にメールを配信できません",
		"以下の受信者に配信されませんでした",
	}
	// ex2003IntroMarkers and ex2003HeadingMarkers are the texts by which
	// this layout is recognised before anything else is read (see
	// mime/markers.go).
	ex2003IntroMarkers   = mime.NewMarkers(ex2003Intros...)
	ex2003HeadingMarkers = mime.NewMarkers("the following recipient(s)", ex2003Headings[4], ex2003Headings[5])

	ex2003Rcpt   = regexp.MustCompile(`^\s*(\S+@\S+) on .+$`)
	ex2003MTSID  = regexp.MustCompile(`(?i)^the mts-id of the original message is:`)
	ex2003Remote = regexp.MustCompile(`^<([a-zA-Z0-9][a-zA-Z0-9.-]*) #([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:\s+(?:smtp;\s*)?(.*?))?(?:\s*#SMTP#)?>$`)
	// ex2003Listed is an entry that names the recipient by anything
	// (a name, an address in quotes) followed by the date and time the
	// way Outlook prints them ("on 6/10/24 5:00 PM", "2024/06/03 11:02"),
	// then, when a paste joined the lines, the reason.
	ex2003Listed = regexp.MustCompile(`(?i)^\s*(.+?)\s+(?:on\s+)?\d{1,4}/\d{1,2}/\d{1,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+(.*?))?\s*$`)
)

// maxListedName bounds the name of a recipient listed without an
// address; a longer one is cut.
const maxListedName = 256

// detectExchange2003 reads the reports of Exchange 5.5 to 2003 and
// Outlook's own.
func detectExchange2003(m *mime.Message, out *found) {
	// The first sentence may stand in the subject: a copy of the report
	// that a paste joined to its "Subject: Undeliverable: ..." line.
	inSubject := textutil.IndexFirst(literal.LowerASCII(m.Subject), ex2003Intros[1:]...) >= 0 ||
		textutil.ContainsLower(m.Subject, "did not reach some or all")
	// Pasted text may begin at the list, the lines above it left out.
	intro := inSubject || m.Pasted
	if !intro && !m.InBounceAny(ex2003IntroMarkers...) || !m.InBounceAny(ex2003HeadingMarkers...) {
		return
	}
	low := mime.LowerBounce(m)
	text := m.BounceText()
	at := textutil.IndexFirst(low, ex2003Headings...)
	if at < 0 || !intro && textutil.IndexFirst(low[:at], ex2003Intros...) < 0 {
		return
	}
	start := textutil.IndexFirstEnd(low[at:], ex2003Headings...) + at
	// The heading ends with a colon or a full stop; a paste that joined
	// the lines puts the first entry after it.
	rest := strings.TrimLeft(text[start:], " \t")
	for _, p := range []string{":", "：", "。"} {
		rest = strings.TrimPrefix(rest, p)
	}
	var lines []string
	flush := func() {
		if out.count() == 0 {
			return
		}
		finishEx2003(out.last(), lines)
		lines = nil
	}
	blank := 0
	for l := range strings.SplitSeq(rest, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			if out.count() > 0 {
				blank++
			}
			if blank >= 2 {
				break
			}
			continue
		}
		if r, diag, ok := ex2003Entry(l, out); ok {
			flush()
			blank = 0
			out.add(r)
			if diag != "" {
				lines = append(lines, diag)
			}
			continue
		}
		// After a blank line, a line that is not indented ends the
		// list, unless the entry above has no reason yet: a paste may
		// put the reason in a paragraph of its own (Microsoft's
		// cannot-send-email-with-full-access article shows one so).
		if out.count() == 0 || blank > 0 && textutil.LineIndent(l) == 0 && len(lines) > 0 {
			break
		}
		blank = 0
		lines = append(lines, t)
	}
	flush()
	// Outlook may put a status of its own above the report ("5.2.1: The
	// e-mail address is invalid or does not exist in the recipient
	// e-mail system.", in the Exchange 2007 help topic on Outlook in
	// Cached Exchange Mode): it is the status of the entries that give
	// none.
	if x := ex2003Summary.FindStringSubmatch(text[:at]); x != nil {
		st := enhancedcode.MustParse(x[1])
		for i := range out.rs {
			if r := &out.rs[i]; r.Status.IsZero() && r.ReplyCode == 0 {
				r.Status = st
			}
		}
	}
}

// ex2003Summary is the status line that Outlook may put above the report.
var ex2003Summary = regexp.MustCompile(`(?m)^[ \t]*([45]\.[0-9]{1,3}\.[0-9]{1,3}): \S`)

// ex2003Entry reads line as an entry of the list: the recipient it
// names and the reason that a paste joined to it, if any.
func ex2003Entry(line string, out *found) (record.Recipient, string, bool) {
	var name, diag string
	if e := textmatch.SubmatchIf(strings.Contains(line, " on "), ex2003Rcpt, line); e != nil && mailaddr.IsAddress(mailaddr.CleanAddress(e[1])) {
		name = unquoteListed(e[1])
	} else if e := textmatch.SubmatchIf(strings.IndexByte(line, ':') >= 0, ex2003Listed, line); e != nil {
		name, diag = unquoteListed(e[1]), e[2]
	}
	if name == "" || strings.HasSuffix(name, ":") || strings.HasSuffix(name, "：") {
		// A field of the report ("Sent: 3/9/26 10:00 AM") names no
		// recipient.
		return record.Recipient{}, "", false
	}
	a := name
	if !mailaddr.IsAddress(a) || strings.ContainsAny(a, "<>\"") {
		a = mailaddr.CleanAddress(name)
	}
	r := record.Recipient{}
	switch {
	case !mailaddr.IsAddress(a):
		r.ListedName = textutil.TruncateRunes(name, maxListedName)
	case misdottedAddress(a, out):
		// Outlook refuses such an address itself (KB 940620); it is
		// still the recipient's, as the sender typed it.
		r.Recipient, r.AsListed = a, true
	case out.isValid(a):
		r.Recipient = a
	default:
		r.ListedName = textutil.TruncateRunes(name, maxListedName)
	}
	return r, diag, true
}

// unquoteListed returns the name of an entry without the quotes Outlook
// puts around it ("'Kato, Ryo'", "' <メール アドレス>'").
func unquoteListed(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range [][2]string{{"'", "'"}, {"‘", "’"}, {"’", "’"}, {`"`, `"`}} {
		if len(s) > len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// misdottedAddress reports whether a is an address that only the dots
// of its local part make invalid under RFC 5321's Dot-string (section
// 4.1.2: a dot first or last, or two dots in a row), with a domain that
// out takes: what some Japanese mobile carriers once let their users
// choose ("taro..yamada.@example.ne.jp").
func misdottedAddress(a string, out *found) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || strings.ContainsAny(a, " \t\"<>") {
		return false
	}
	local := a[:at]
	if !strings.HasPrefix(local, ".") && !strings.HasSuffix(local, ".") && !strings.Contains(local, "..") {
		return false
	}
	// The address with its dots where RFC 5321 puts them.
	dotted := strings.Join(strings.FieldsFunc(local, func(r rune) bool { return r == '.' }), ".")
	return dotted != "" && out.isValid(dotted+a[at:])
}

// misdottedEvidence is the evidence of the reason of an address that
// misdottedAddress takes when the report quotes no server's reply.
const misdottedEvidence = "Outlook: the address breaks RFC 5321 (a dot first or last before the @, or two dots in a row)"

// finishEx2003 completes r from the lines under its entry.
func finishEx2003(r *record.Recipient, lines []string) {
	var keep []string
	mtsid := false
	for _, l := range lines {
		switch {
		case textutil.HasPrefixLower(l, "the mt") && ex2003MTSID.MatchString(l):
			mtsid = true
			continue
		case mtsid && (!strings.Contains(l, " ") || strings.Contains(l, ";l=")):
			continue // the rest of a wrapped MTS-ID
		}
		mtsid = false
		if x := textmatch.SubmatchIf(strings.HasPrefix(l, "<"), ex2003Remote, l); x != nil {
			r.RemoteMTA = strings.ToLower(x[1])
			if c, err := enhancedcode.Parse(x[2]); err == nil {
				r.Status = c
			}
			if x[3] != "" {
				keep = []string{x[3]}
				break
			}
			continue
		}
		keep = append(keep, l)
	}
	r.Diagnostic = dsn.UnfoldLines(keep)
	code, st := dsn.FailureReply(r.Diagnostic)
	r.ReplyCode = code
	if !st.IsZero() {
		r.Status = st
	}
	if r.AsListed && r.Status.IsZero() && r.ReplyCode == 0 {
		// No server answered: Outlook refused the address itself,
		// for its syntax (RFC 3463 X.1.3, bad destination mailbox
		// address syntax).
		r.Status = enhancedcode.MustParse("5.1.3")
		r.Reason, r.Evidence = record.ReasonSyntaxError, misdottedEvidence
	}
}
