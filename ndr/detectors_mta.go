package ndr

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// mtaDetectors read the layouts of sending MTAs and mail gateways, in the
// order they are tried.
var mtaDetectors = []detector{
	{name: "exim", detect: detectExim},
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
	a := firstAddress(from)
	local, _, ok := strings.Cut(strings.ToLower(cleanAddress(a)), "@")
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
	return 0, enhancedcode.Code{}
}

// replyPrefix matches the codes at the start of one line of an SMTP
// reply: "550-5.1.1 ", "550 ", "451-".
var replyPrefix = regexp.MustCompile(`^([245][0-5][0-9])([ -])(?:([245]\.[0-9]{1,3}\.[0-9]{1,3}) )?`)

// unfoldLines joins lines of a diagnostic into one line. The repeated
// codes of a multi-line SMTP reply ("550-5.1.1 a" / "550 5.1.1 b") are
// dropped from the continuation lines, giving "550 5.1.1 a b".
func unfoldLines(lines []string) string {
	var b strings.Builder
	open := ""
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if m := replyPrefix.FindStringSubmatch(l); m != nil {
			if open != "" && m[1] == open {
				l = l[len(m[0]):]
			} else if m[2] == "-" {
				l = m[1] + " " + l[len(m[1])+1:]
			}
			if m[2] == "-" {
				open = m[1]
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
	return collapseSpace(b.String())
}

// lineIndent returns the number of leading blanks of a line, a tab
// counting as eight.
func lineIndent(l string) int {
	n := 0
	for _, c := range l {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 8
		default:
			return n
		}
	}
	return n
}

// headerList splits a header value holding a comma-separated address
// list into addresses.
func headerList(v string) []string {
	var out []string
	for _, a := range strings.Split(v, ",") {
		if a = cleanAddress(a); strings.Contains(a, "@") {
			out = append(out, a)
		}
	}
	return out
}

// isAddress reports whether s is one bare e-mail address.
func isAddress(s string) bool {
	return strings.Contains(s, "@") && !strings.ContainsAny(s, " \t|/") && !strings.HasPrefix(s, "@")
}
