package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// The names of the mail log readers.
const (
	postfixLogName = "postfix-log"
	eximLogName    = "exim-log"
)

// IsLog reports whether the layout named by reads lines of a mail log:
// each recipient's line says all there is about it, and the other lines
// are about other messages and recipients.
func IsLog(by string) bool {
	return by == postfixLogName || by == eximLogName
}

// mtaDetectors read the layouts of sending MTAs and mail gateways, in the
// order they are tried.
var mtaDetectors = []detector{
	{name: postfixLogName, detect: detectPostfixLog},
	{name: eximLogName, detect: detectEximLog},
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
	{name: "postal", detect: detectPostal},
}

// fromHas reports whether the From field, lower-cased, contains one of
// markers: a cheap test before the address is parsed out of it.
func fromHas(m *mime.Message, markers ...string) bool {
	for _, mk := range markers {
		if textutil.ContainsLower(m.From, mk) {
			return true
		}
	}
	return false
}

// mailSystemLocal are the local parts that mail systems send their
// reports from.
var mailSystemLocal = map[string]bool{
	"mailer-daemon": true, "mailerdaemon": true, "postmaster": true,
	"mail-daemon": true, "mail.daemon": true, "maildaemon": true, "post_master": true,
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
func inlineDSN(text string) inlineSet {
	start := inlineFieldStart(text)
	if start < 0 {
		return inlineSet{}
	}
	var lines []string
	for l := range strings.SplitSeq(text[start:], "\n") {
		t := strings.TrimSpace(l)
		if t != "" && l[0] != ' ' && l[0] != '\t' && !dsn.IsFieldLine(l) {
			break
		}
		if strings.HasPrefix(t, "--") && !strings.Contains(t, " ") {
			break
		}
		lines = append(lines, l)
	}
	ds := dsn.Parse(strings.Join(lines, "\n"), false)
	return newInlineSet(dsn.RecipientsOf(ds))
}

// inlineSet is the recipients of an inline DSN, indexed by address.
type inlineSet struct {
	ds []record.Recipient
	by map[string]int // lower-cased address -> first entry
}

// newInlineSet indexes the inline DSN entries ds.
func newInlineSet(ds []record.Recipient) inlineSet {
	s := inlineSet{ds: ds, by: make(map[string]int, len(ds))}
	for i, d := range ds {
		k := strings.ToLower(d.Recipient)
		if _, ok := s.by[k]; !ok {
			s.by[k] = i
		}
	}
	return s
}

// match finds the inline DSN entry for a recipient, one of n that the
// text names: the entry of its address, or the only entry when the text
// names one recipient too (a paste may hold a report's text with only
// part of its delivery-status fields, whose one entry is then another
// recipient's).
func (s inlineSet) match(addr string, n int) (record.Recipient, bool) {
	if i, ok := s.by[strings.ToLower(addr)]; ok {
		return s.ds[i], true
	}
	if len(s.ds) == 1 && n == 1 {
		return s.ds[0], true
	}
	return record.Recipient{}, false
}

// mergeInline combines a recipient read from the text with the inline DSN
// entry for it, as Decode combines a DSN part with the text: the DSN's
// fields first, the text's where they say more.
func mergeInline(r *record.Recipient, d record.Recipient) {
	d.DecodedBy = ""
	mergeText(&d, *r)
	d.DecodedBy = r.DecodedBy
	*r = d
}
