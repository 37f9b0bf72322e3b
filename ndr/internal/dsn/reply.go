package dsn

import (
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// FailureReply returns the first 4XX or 5XX reply in text: its reply code
// (0 when the text gives only an enhanced code) and enhanced status.
func FailureReply(text string) (int, enhancedcode.Code) {
	for r := range enhancedcode.Replies(text) {
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

// UnfoldLines joins lines of a diagnostic into one line. The repeated
// codes of a multi-line SMTP reply ("550-5.1.1 a" / "550 5.1.1 b") are
// dropped from the continuation lines, giving "550 5.1.1 a b".
func UnfoldLines(lines []string) string {
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

// UnfoldReply is unfoldReplyText for a text that may span lines: the
// repeated codes of a multi-line SMTP reply are dropped and white space
// is collapsed.
func UnfoldReply(s string) string {
	return unfoldReplyText(s)
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
	for r := range enhancedcode.Replies(s) {
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
