package ndr

import (
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// mtaDetectors read the layouts of sending MTAs and mail gateways, in the
// order they are tried.
var mtaDetectors = []detector{
	{name: "amavis", detect: detectAmavis},
	{name: "barracuda", detect: detectBarracuda},
	{name: "surfcontrol", detect: detectSurfControl},
	{name: "mcafee", detect: detectMcAfee},
	{name: "powermta", detect: detectPowerMTA},
	{name: "sendgrid", detect: detectSendGrid},
	{name: "mailru", detect: detectMailRu},
	{name: "mxlogic", detect: detectMXLogic},
	{name: "exim", detect: detectExim},
	{name: "bigfoot", detect: detectBigfoot},
	{name: "sendmail", detect: detectSendmail},
	{name: "yandex", detect: detectYandex},
	{name: "postfix", detect: detectPostfix},
	{name: "dragonfly", detect: detectDragonfly},
	{name: "qmail", detect: detectQmail},
	{name: "messagingserver", detect: detectMessagingServer},
	{name: "x2", detect: detectX2},
	{name: "mfilter", detect: detectMfilter},
	{name: "activehunter", detect: detectActiveHunter},
	{name: "imailserver", detect: detectIMailServer},
	{name: "opensmtpd", detect: detectOpenSMTPD},
	{name: "domino", detect: detectDomino},
	{name: "notes", detect: detectNotes},
	{name: "exchange2003", detect: detectExchange2003},
	{name: "exchange2007", detect: detectExchange2007},
	{name: "x1", detect: detectX1},
	{name: "x3", detect: detectX3},
	{name: "x6", detect: detectX6},
	{name: "trendmicro", detect: detectTrendMicro},
	{name: "mailfoundry", detect: detectMailFoundry},
	{name: "mailmarshal", detect: detectMailMarshal},
	{name: "verizon", detect: detectVerizon},
	{name: "fml", detect: detectFML},
	{name: "courier", detect: detectCourier},
	{name: "apachejames", detect: detectApacheJames},
}

// lowerBody returns the body with ASCII letters lower-cased, offsets
// unchanged, made when first asked for: what detectors search for their
// lower-case texts before they run a regular expression.
func lowerBody(m *message) string {
	if !m.hasLowerBody {
		m.lowerBody, m.hasLowerBody = literal.LowerASCII(m.body), true
	}
	return m.lowerBody
}

// lowerBounce returns the lower-cased bounce text, the start of
// lowerBody with the same offsets as m.bounceText().
func lowerBounce(m *message) string {
	return lowerBody(m)[:len(m.bounceText())]
}

// fromHas reports whether the From field, lower-cased, contains one of
// markers: a cheap test before the address is parsed out of it.
func fromHas(m *message, markers ...string) bool {
	for _, mk := range markers {
		if textutil.ContainsLower(m.from, mk) {
			return true
		}
	}
	return false
}

// mailSystemLocal are the local parts that mail systems send their
// reports from.
var mailSystemLocal = map[string]bool{
	"mailer-daemon": true, "mailerdaemon": true, "postmaster": true,
	"mail-daemon": true, "mail.daemon": true, "maildaemon": true,
}

// isMailSystem reports whether a From value names a mail system mailbox
// (MAILER-DAEMON, postmaster) rather than a person.
func isMailSystem(from string) bool {
	a := mailaddr.FirstAddress(from)
	local, _, ok := strings.Cut(strings.ToLower(mailaddr.CleanAddress(a)), "@")
	if !ok {
		local = strings.ToLower(strings.TrimSpace(from))
	}
	return mailSystemLocal[local]
}

// failureReply returns the first 4XX or 5XX reply in text: its reply code
// (0 when the text gives only an enhanced code) and enhanced status.
func failureReply(text string) (int, enhancedcode.Code) {
	for _, r := range enhancedcode.Find(text) {
		if r.Temporary() || r.Permanent() {
			code := r.Code
			if code != 0 && code/100 != 4 && code/100 != 5 {
				code = 0
			}
			return code, r.Enhanced
		}
	}
	// A reply code with no text at all, as in "<<< 421".
	if t := strings.TrimSpace(text); len(t) >= 3 {
		if k := strings.LastIndexAny(t, " :"); k >= 0 {
			t = t[k+1:]
		}
		if len(t) == 3 && (t[0] == '4' || t[0] == '5') && t[1] >= '0' && t[1] <= '5' && t[2] >= '0' && t[2] <= '9' {
			return int(t[0]-'0')*100 + int(t[1]-'0')*10 + int(t[2]-'0'), enhancedcode.Code{}
		}
	}
	return 0, enhancedcode.Code{}
}

// replyPrefixLen returns the length of the codes at the start of one
// line of an SMTP reply, "550-5.1.1 ", "550 " or "451-": a reply code
// [245][0-5][0-9], a space or "-", and an enhanced code [245].D.D (one
// to three digits each) followed by a space when there is one. It
// returns 0 when the line does not start with a reply code.
func replyPrefixLen(l string) int {
	if len(l) < 4 || l[0] != '2' && l[0] != '4' && l[0] != '5' || l[1] < '0' || l[1] > '5' || !textutil.IsDigit(l[2]) || l[3] != ' ' && l[3] != '-' {
		return 0
	}
	e := l[4:]
	if len(e) < 2 || e[0] != '2' && e[0] != '4' && e[0] != '5' || e[1] != '.' {
		return 4
	}
	n := 2
	for part := range 2 {
		d := 0
		for n+d < len(e) && d < 4 && textutil.IsDigit(e[n+d]) {
			d++
		}
		if d == 0 || d > 3 || n+d >= len(e) {
			return 4
		}
		sep := byte('.')
		if part == 1 {
			sep = ' '
		}
		if e[n+d] != sep {
			return 4
		}
		n += d + 1
	}
	return 4 + n
}

// unfoldLines joins lines of a diagnostic into one line. The repeated
// codes of a multi-line SMTP reply ("550-5.1.1 a" / "550 5.1.1 b") are
// dropped from the continuation lines, giving "550 5.1.1 a b".
func unfoldLines(lines []string) string {
	// One line is only trimmed; the first line keeps its codes.
	n, single := 0, ""
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			n += len(t) + 1
			single = t
		}
	}
	if n == len(single)+1 {
		return unfoldReplyText(single)
	}
	var b strings.Builder
	b.Grow(n)
	open := ""
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if n := replyPrefixLen(l); n > 0 {
			code, more := l[:3], l[3] == '-'
			if open != "" && code == open {
				l = l[n:]
			}
			if more {
				open = code
			} else {
				open = ""
			}
		} else {
			open = ""
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return unfoldReplyText(b.String())
}

// unfoldReplyText rewrites a multi-line SMTP reply that was unfolded onto
// one line with its codes repeated ("550-5.7.1 a 550-5.7.1 b 550 5.7.1
// c") as one reply ("550 5.7.1 a b c"), and collapses white space.
func unfoldReplyText(s string) string {
	if !hasContinuedCode(s) {
		return textutil.CollapseSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, r := range enhancedcode.Find(s) {
		if r.Code == 0 || r.Start < last || r.Start+3 >= len(s) || s[r.Start+3] != '-' {
			continue
		}
		if r.Start > 0 && strings.IndexByte("'\"<([", s[r.Start-1]) >= 0 {
			continue
		}
		b.WriteString(s[last:r.Start])
		b.WriteString(strconv.Itoa(r.Code))
		if !r.Enhanced.IsZero() {
			b.WriteByte(' ')
			b.WriteString(r.Enhanced.String())
		}
		b.WriteByte(' ')
		b.WriteString(r.Text)
		last = r.End
	}
	b.WriteString(s[last:])
	return textutil.CollapseSpace(b.String())
}

// hasContinuedCode reports whether s holds three digits followed by "-",
// as every reply code that announces a continuation line does.
func hasContinuedCode(s string) bool {
	for i := 3; i < len(s); i++ {
		if s[i] == '-' && textutil.IsDigit(s[i-1]) && textutil.IsDigit(s[i-2]) && textutil.IsDigit(s[i-3]) {
			return true
		}
	}
	return false
}

// unquoteBlock removes the quoting of a forwarded report: when the line
// at pos begins with ">", one level of "> " is taken off every quoted
// line of text.
func unquoteBlock(text string, pos int) string {
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	prefix := text[start:pos]
	if k := strings.IndexAny(text[pos:], "-\n"); k > 0 {
		prefix = text[start : pos+k]
	}
	if !strings.Contains(prefix, ">") {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ">") {
			lines[i] = strings.TrimPrefix(l[1:], " ")
		}
	}
	return strings.Join(lines, "\n")
}

// inlineFieldNames begin the delivery-status fields written into the
// text of a report without MIME structure.
var inlineFieldNames = []string{"Reporting-MTA:", "Final-Recipient:", "Original-Recipient:"}

// inlineFieldStart returns the offset of the first line of text that
// begins with one of inlineFieldNames (in any case), or -1.
func inlineFieldStart(text string) int {
	for off := 0; off < len(text); {
		line := text[off:]
		if len(line) > 0 && strings.IndexByte("rRfFoO", line[0]) >= 0 {
			for _, f := range inlineFieldNames {
				if len(line) >= len(f) && strings.EqualFold(line[:len(f)], f) {
					return off
				}
			}
		}
		k := strings.IndexByte(line, '\n')
		if k < 0 {
			break
		}
		off += k + 1
	}
	return -1
}

// inlineDSN reads delivery-status fields that a report without MIME
// structure (or a forwarded one) carries in its text.
func inlineDSN(text string) []record.Recipient {
	start := inlineFieldStart(text)
	if start < 0 {
		return nil
	}
	var lines []string
	for l := range strings.SplitSeq(text[start:], "\n") {
		t := strings.TrimSpace(l)
		if t != "" && l[0] != ' ' && l[0] != '\t' && !isFieldLine(l) {
			break
		}
		if strings.HasPrefix(t, "--") && !strings.Contains(t, " ") {
			break
		}
		lines = append(lines, l)
	}
	ds := parseDeliveryStatus(strings.Join(lines, "\n"), false)
	if len(ds.Recipients) == 0 {
		return nil
	}
	return dsnRecipients(ds)
}

// matchInline finds the inline DSN entry for a recipient.
func matchInline(ds []record.Recipient, addr string) (record.Recipient, bool) {
	for _, d := range ds {
		if strings.EqualFold(d.Recipient, addr) {
			return d, true
		}
	}
	if len(ds) == 1 {
		return ds[0], true
	}
	return record.Recipient{}, false
}

// mergeInline combines a recipient read from the text with the inline DSN
// entry for it, as decode combines a DSN part with the text: the DSN's
// fields first, the text's where they say more.
func mergeInline(r *record.Recipient, d record.Recipient) {
	d.DecodedBy = ""
	mergeText(&d, *r)
	d.DecodedBy = r.DecodedBy
	*r = d
}
