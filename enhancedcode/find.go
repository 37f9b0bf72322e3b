package enhancedcode

import "strings"

// Reply is one SMTP reply found in free text: a reply code, an enhanced
// status code, or both, with the text that follows them.
type Reply struct {
	// Code is the three-digit SMTP reply code, or 0 when the text gives
	// only an enhanced status code.
	Code int
	// Enhanced is the enhanced status code, or the zero Code when the
	// text gives only a reply code.
	Enhanced Code
	// Text is the reply text after the codes, up to the end of the line.
	// The lines of a multi-line reply (550-5.1.1 ... 550 5.1.1 ...) are
	// joined with single spaces, without their repeated codes.
	Text string
	// Start and End are the byte offsets of the whole reply, codes
	// included, in the text given to Find.
	Start, End int
}

// Temporary reports whether the reply is a transient failure: a 4.X.X
// enhanced code, or a 4XX reply code when there is no enhanced code.
func (r Reply) Temporary() bool {
	if !r.Enhanced.IsZero() {
		return r.Enhanced.Temporary()
	}
	return r.Code/100 == 4
}

// Permanent reports whether the reply is a permanent failure: a 5.X.X
// enhanced code, or a 5XX reply code when there is no enhanced code.
func (r Reply) Permanent() bool {
	if !r.Enhanced.IsZero() {
		return r.Enhanced.Permanent()
	}
	return r.Code/100 == 5
}

// Find returns every SMTP reply in text, in order: a reply code with an
// enhanced status code ("550 5.1.1 ..."), an enhanced status code alone
// ("Status: 5.1.1", "#5.1.1"), and a reply code alone ("554 Transaction
// failed"). A multi-line reply, whether its lines are still on separate
// lines or were unfolded onto one, is returned as one Reply. Dotted
// numbers with more than three parts, such as IP addresses, are not
// taken for codes.
func Find(text string) []Reply {
	var out []Reply
	// State of the last reply, which the next one may continue: its text
	// before the last line, where the last line's text starts, and
	// whether the last line announced a continuation with "-".
	var head string
	var segStart int
	var open bool
	for i := 0; i < len(text); {
		r, ok := scanAt(text, i)
		if !ok {
			i++
			continue
		}
		codesEnd := r.End
		i = codesEnd
		r.Text, r.End = lineText(text, codesEnd)
		r.Text = unquote(text, r.Start, r.Text)
		n := len(out)
		if n > 0 && open && sameReply(out[n-1], r) && (r.Start < out[n-1].End || strings.TrimSpace(text[out[n-1].End:r.Start]) == "") {
			prev := &out[n-1]
			if r.Start < prev.End {
				head = joinText(head, text[segStart:r.Start])
			} else {
				head = prev.Text
			}
			prev.Text = joinText(head, r.Text)
			prev.End = r.End
		} else {
			out = append(out, r)
			head = ""
		}
		segStart = codesEnd
		open = r.Code != 0 && text[r.Start+3] == '-'
	}
	for k := range out {
		out[k].Text = strings.TrimSpace(out[k].Text)
	}
	return out
}

// scanAt tries to read codes starting at i. It returns the reply with
// Start set and End just past the codes.
func scanAt(s string, i int) (Reply, bool) {
	if !isDigit(s[i]) || !boundaryBefore(s, i) {
		return Reply{}, false
	}
	if c, n, sep, ok := replyCode(s, i); ok {
		j := i + n + 1
		if sep == '-' || sep == ' ' {
			if e, m, ok := enhanced(s, j); ok {
				return Reply{Code: c, Enhanced: e, Start: i, End: j + m}, true
			}
		}
		if bareReplyOK(s, i, j) {
			return Reply{Code: c, Start: i, End: j}, true
		}
	}
	if e, m, ok := enhanced(s, i); ok {
		return Reply{Enhanced: e, Start: i, End: i + m}, true
	}
	return Reply{}, false
}

// replyCode reads a three-digit reply code at i followed by a space, a
// hyphen or the end of the text. It returns the code, its length and the
// separator after it.
func replyCode(s string, i int) (int, int, byte, bool) {
	if i+3 > len(s) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
		return 0, 0, 0, false
	}
	if s[i] != '2' && s[i] != '4' && s[i] != '5' || s[i+1] > '5' {
		return 0, 0, 0, false
	}
	if i+3 == len(s) {
		return 0, 0, 0, false
	}
	sep := s[i+3]
	if sep != ' ' && sep != '-' && sep != '\t' {
		return 0, 0, 0, false
	}
	code := int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0')
	return code, 3, sep, true
}

// enhanced reads an enhanced status code at i and returns it with its
// length. The code must not be followed by another dotted number.
func enhanced(s string, i int) (Code, int, bool) {
	j := i
	var c Code
	for part := 0; part < 3; part++ {
		start := j
		n := 0
		for j < len(s) && isDigit(s[j]) && j-start < 4 {
			n = n*10 + int(s[j]-'0')
			j++
		}
		width := j - start
		if width == 0 || width > 3 || (part == 0 && width != 1) {
			return Code{}, 0, false
		}
		c[part] = n
		if part < 2 {
			if j >= len(s) || s[j] != '.' {
				return Code{}, 0, false
			}
			j++
		}
	}
	if j < len(s) && isDigit(s[j]) {
		return Code{}, 0, false
	}
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		return Code{}, 0, false
	}
	if c[0] != 2 && c[0] != 4 && c[0] != 5 || c[1] > 7 {
		return Code{}, 0, false
	}
	return c, j - i, true
}

// boundaryBefore reports whether a code may start at i: at the start of
// the text, or after a character that cannot be part of a number, a word
// or a dotted address.
func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	b := s[i-1]
	return !(isDigit(b) || b == '.' || b == '-' || b == '_' || b == '/' || b == ':' && i >= 2 && isDigit(s[i-2]) ||
		b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '+' || b >= 0x80)
}

// bareReplyOK decides whether a reply code without an enhanced code is
// really a reply: it must be followed by text that is not a number and be
// preceded by the start of a line, white space or punctuation that
// introduces a quoted reply.
func bareReplyOK(s string, i, j int) bool {
	if j >= len(s) || isDigit(s[j]) || s[j] == ' ' || s[j] == '\n' || s[j] == '\r' {
		return false
	}
	if i == 0 {
		return true
	}
	switch s[i-1] {
	case ' ', '\t', '\n', '\r', '\'', '"', '(', '<', '[', '#', '=', ';', ':', '>':
		return true
	}
	return false
}

// lineText returns the text from j to the end of its line, and the
// offset of that end.
func lineText(s string, j int) (string, int) {
	k := strings.IndexAny(s[j:], "\r\n")
	if k < 0 {
		return s[j:], len(s)
	}
	return s[j : j+k], j + k
}

// unquote cuts a reply's text at the end of the quotation or bracket
// that the reply began inside: '554 Transaction failed' gives
// "Transaction failed".
func unquote(s string, start int, t string) string {
	if start == 0 {
		return t
	}
	switch open := s[start-1]; open {
	case '\'', '"':
		if k := strings.LastIndexByte(t, open); k >= 0 {
			return t[:k]
		}
	case '<', '(', '[':
		closer := map[byte]byte{'<': '>', '(': ')', '[': ']'}[open]
		depth := 0
		for k := 0; k < len(t); k++ {
			switch t[k] {
			case open:
				depth++
			case closer:
				if depth == 0 {
					return t[:k]
				}
				depth--
			}
		}
	}
	return t
}

// sameReply reports whether r repeats the codes of prev, as the lines of
// one multi-line reply do.
func sameReply(prev, r Reply) bool {
	if prev.Code == 0 || prev.Code != r.Code {
		return false
	}
	return prev.Enhanced.IsZero() || r.Enhanced.IsZero() || prev.Enhanced == r.Enhanced
}

// joinText joins two pieces of reply text with one space.
func joinText(a, b string) string {
	a = strings.TrimSpace(a)
	b = strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return b >= '0' && b <= '9' }
