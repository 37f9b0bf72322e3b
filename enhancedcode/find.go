package enhancedcode

import (
	"strings"
	"unicode"
)

// Reply is one SMTP reply found in free text: a reply code, an enhanced
// status code, or both, with the text that follows them.
type Reply struct {
	// Code is the three-digit SMTP reply code, or 0 when the text gives
	// only an enhanced status code.
	Code int
	// Enhanced is the enhanced status code, or the zero Code when the
	// text gives only a reply code.
	Enhanced Code
	// Text is the reply text after the codes, up to the end of the line
	// or up to the closing quote or bracket of a reply that began inside
	// one. The lines of a multi-line reply (550-5.1.1 ... 550 5.1.1 ...)
	// are joined with single spaces, without their repeated codes. Text
	// never contains a line break.
	Text string
	// Start and End are the byte offsets of the whole reply, codes
	// included, in the text given to Find: Start is at the first digit
	// of the first code and End just after the last byte of the reply's
	// text (or of its codes, when it has no text). A closing quote or
	// bracket is not part of the reply.
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

// Find returns every SMTP reply in text, in order of their start: a
// reply code with an enhanced status code ("550 5.1.1 ..."), an enhanced
// status code alone ("Status: 5.1.1", "#5.1.1"), and a reply code alone
// ("554 Transaction failed"). A multi-line reply, whether its lines are
// still on separate lines, folded like a header field or unfolded onto
// one line, is returned as one Reply. A reply quoted inside another reply's text is returned as a
// Reply of its own as well, so replies may overlap.
//
// Dotted numbers with more than three parts, such as IP addresses, are
// not taken for codes. A reply code alone needs more evidence than a
// three-digit number: it must stand at the start of a line, after a
// quote or bracket, after punctuation such as "said:" or "smtp;", or
// continue a multi-line reply, and it must be followed by text that is
// not a unit ("250 KB", "450 seconds").
func Find(text string) []Reply {
	var out []Reply
	// State of the last reply, which the next one may continue: the
	// pieces of its text, where its last piece starts, and whether that
	// piece announced a continuation with "-".
	var pieces []string
	var segStart int
	var open bool
	lines := lineEnds{s: text}
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			// Every code starts with a digit (see scanAt).
			i++
			continue
		}
		cont := 0
		if open {
			cont = out[len(out)-1].Code
		}
		r, ok := scanAt(text, i, cont)
		if !ok {
			i++
			continue
		}
		codesEnd := r.End
		i = codesEnd
		body, textEnd := replyText(text, r, codesEnd, &lines)
		if body == "" {
			// No text: the reply ends with its codes, not with the
			// separator after a bare reply code.
			for textEnd > r.Start+3 && (text[textEnd-1] == ' ' || text[textEnd-1] == '\t' || text[textEnd-1] == '-') {
				textEnd--
			}
		}
		switch continues(text, out, open, r) {
		case newReply:
			if len(out) > 0 {
				out[len(out)-1].Text = joinPieces(pieces)
			}
			r.End = textEnd
			out = append(out, r)
			pieces = append(pieces[:0], body)
		case sameLine:
			// Unfolded onto the line of the previous piece: that piece
			// ran up to here, and this one ends where it did unless its
			// codes were folded onto the next line.
			prev := &out[len(out)-1]
			pieces[len(pieces)-1] = text[segStart:r.Start]
			if codesEnd < prev.End && prev.End < textEnd {
				textEnd = prev.End
				body = text[codesEnd:textEnd]
			}
			pieces = append(pieces, body)
			prev.End = textEnd
		case nextLine:
			pieces = append(pieces, body)
			out[len(out)-1].End = textEnd
		case foldedLine:
			// The previous piece's text went on over folded lines.
			prev := &out[len(out)-1]
			pieces = append(pieces, Unfold(text[prev.End:r.Start]), body)
			prev.End = textEnd
		}
		segStart = codesEnd
		open = r.Code != 0 && text[r.Start+3] == '-'
	}
	if len(out) > 0 {
		out[len(out)-1].Text = joinPieces(pieces)
	}
	return out
}

// joinPieces joins the pieces of a reply's text with single spaces,
// trimming each and leaving out empty ones.
func joinPieces(pieces []string) string {
	if len(pieces) == 1 {
		return strings.TrimSpace(pieces[0])
	}
	var b strings.Builder
	for _, p := range pieces {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// lineEnds finds line ends in s and remembers the last line it found,
// so that many replies on one long line do not each scan it again.
type lineEnds struct {
	s      string
	lo, hi int // s[lo:hi] has no line break; hi is a line break or len(s)
}

// after returns the offset of the first line break at or after j, or
// len(s).
func (l *lineEnds) after(j int) int {
	if l.lo <= j && j <= l.hi && l.hi > 0 {
		return l.hi
	}
	k := strings.IndexAny(l.s[j:], "\r\n")
	if k < 0 {
		k = len(l.s) - j
	}
	l.lo, l.hi = j, j+k
	return l.hi
}

// continuation tells how a reply relates to the reply before it.
type continuation int

// The ways a reply can follow the one before it.
const (
	// newReply: the reply starts a reply of its own.
	newReply continuation = 0
	// sameLine: it continues a multi-line reply that was unfolded onto
	// one line, on the line of the previous piece.
	sameLine continuation = 1
	// nextLine: it continues a multi-line reply on a later line, with
	// only white space (and transcript marks such as "<<<") between.
	nextLine continuation = 2
	// foldedLine: it continues a multi-line reply whose previous piece
	// went on over folded lines, as in a folded Diagnostic-Code field.
	foldedLine continuation = 3
)

// continues decides whether r, just found in text, continues the last
// reply in out. open tells whether that reply's last piece announced
// more with "-" after its reply code.
func continues(text string, out []Reply, open bool, r Reply) continuation {
	if len(out) == 0 || !open || !sameReply(out[len(out)-1], r) {
		return newReply
	}
	prev := out[len(out)-1]
	if r.Start < prev.End {
		return sameLine
	}
	gap := text[prev.End:r.Start]
	switch {
	case strings.TrimSpace(gap) == "":
		return nextLine
	case strings.ContainsAny(gap, "\r\n") && strings.Trim(gap, " \t\r\n<>") == "":
		return nextLine
	case foldedGap(gap):
		return foldedLine
	}
	return newReply
}

// foldedGap reports whether gap, the text between the end of one piece
// of a reply and the codes of the next, is the rest of the first piece
// folded onto indented lines: it starts at a line end, every line break
// in it is followed by a space or tab, and no line but the last is
// blank.
func foldedGap(gap string) bool {
	g := strings.TrimLeft(gap, " \t")
	if g == "" || g[0] != '\r' && g[0] != '\n' {
		return false
	}
	for g != "" {
		k := afterFold(g, 0)
		if k < 0 {
			return false
		}
		g = g[k:]
		line := g
		if e := strings.IndexAny(g, "\r\n"); e >= 0 {
			line = g[:e]
			if strings.TrimSpace(line) == "" {
				return false
			}
		}
		g = g[len(line):]
	}
	return true
}

// scanAt tries to read codes starting at i. It returns the reply with
// Start set and End just past the codes. cont is the reply code of an
// open multi-line reply, or 0: a bare reply code equal to it is taken
// wherever it stands, since it continues that reply.
func scanAt(s string, i int, cont int) (Reply, bool) {
	if !isDigit(s[i]) || !boundaryBefore(s, i) {
		return Reply{}, false
	}
	if c, ok := replyCode(s, i); ok {
		sep := s[i+3]
		// Where an enhanced code after the reply code would start.
		k := -1
		switch sep {
		case ' ', '-':
			k = i + 4
			// "550 #5.1.0 Address rejected."
			if sep == ' ' && k+1 < len(s) && s[k] == '#' && isDigit(s[k+1]) {
				k++
			}
		case ':':
			// "550: 5.1.1 <a@b>... User unknown"
			if i+5 < len(s) && s[i+4] == ' ' {
				k = i + 5
			}
		case '\r', '\n':
			// "said: 550\n    5.1.1 ...", a line folded between the codes.
			k = afterFold(s, i+3)
		}
		if k >= 0 {
			if e, m, ok := enhanced(s, k); ok {
				return Reply{Code: c, Enhanced: e, Start: i, End: k + m}, true
			}
		}
		if (sep == ' ' || sep == '-' || sep == '\t') && bareTextOK(s, i+4) && (c == cont || bareContextOK(s, i)) {
			return Reply{Code: c, Start: i, End: i + 4}, true
		}
	}
	if e, m, ok := enhanced(s, i); ok && enhancedContextOK(s, i) {
		return Reply{Enhanced: e, Start: i, End: i + m}, true
	}
	return Reply{}, false
}

// replyCode reads a three-digit reply code at i that is followed by at
// least one more byte, and returns it.
func replyCode(s string, i int) (int, bool) {
	if i+3 >= len(s) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
		return 0, false
	}
	if s[i] != '2' && s[i] != '4' && s[i] != '5' || s[i+1] > '5' {
		return 0, false
	}
	return int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0'), true
}

// afterFold returns the offset after a folded line break at j: a CRLF,
// LF or CR followed by at least one space or tab. It returns -1 when
// there is none.
func afterFold(s string, j int) int {
	switch {
	case strings.HasPrefix(s[j:], "\r\n"):
		j += 2
	case j < len(s) && (s[j] == '\n' || s[j] == '\r'):
		j++
	default:
		return -1
	}
	k := j
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	if k == j {
		return -1
	}
	return k
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

// bareTextOK reports whether the text at j, after a reply code with no
// enhanced code, reads like reply text: it starts with a letter or with
// punctuation that replies begin with, and its first word is not a unit
// ("250 KB", "450 seconds", "256 bits").
func bareTextOK(s string, j int) bool {
	if j >= len(s) {
		return false
	}
	switch b := s[j]; {
	case isLetter(b):
	case b == '<', b == '[', b == '(', b == '\'', b == '"', b == ':', b == '#', b == '|', b >= 0x80:
	case b == '-' && j+2 < len(s) && s[j+1] == ' ' && isLetter(s[j+2]):
		// "550 - Requested action not taken"
		return true
	default:
		return false
	}
	k := j
	for k < len(s) && isLetter(s[k]) {
		k++
	}
	if k == j || k < len(s) && s[k] != ' ' && s[k] != '\t' && s[k] != '\r' && s[k] != '\n' && s[k] != '.' && s[k] != ',' && s[k] != ';' && s[k] != ')' {
		return true
	}
	return !isUnit(s[j:k])
}

// enhancedContextOK decides from what precedes it whether an enhanced
// code at i that follows no reply code is really a status: it is not
// when it follows a word other than one that introduces a status
// ("PHPMailer 5.2.7", "fml 4.0.3") or a header that names a version
// ("X-Mailman-Version: 2.1.5").
func enhancedContextOK(s string, i int) bool {
	k := i
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	if k == 0 {
		return true
	}
	if s[k-1] == ':' {
		w := k - 1
		for w > 0 && (isLetter(s[w-1]) || s[w-1] == '-') {
			w--
		}
		return !strings.Contains(strings.ToLower(s[w:k-1]), "version")
	}
	if k == i || !isLetter(s[k-1]) {
		return true
	}
	w := k
	for w > 0 && isLetter(s[w-1]) {
		w--
	}
	switch strings.ToLower(s[w:k]) {
	case "code", "codes", "status", "error", "errors", "type", "reason", "said", "says", "returned", "answered",
		"responded", "replied", "reply", "response":
		return true
	}
	return false
}

// isUnit reports whether w is a unit of size, time or count that follows
// numbers in ordinary text.
func isUnit(w string) bool {
	switch w {
	case "B", "K", "KB", "kB", "kb", "KiB", "M", "MB", "Mb", "MiB", "G", "GB", "GiB", "bytes", "byte", "octets", "bits",
		"chars", "characters", "lines", "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hrs", "hours",
		"days", "times", "users", "recipients", "messages", "msgs", "mails", "points", "percent":
		return true
	}
	return false
}

// bareContextOK decides from what precedes it whether a reply code at i
// without an enhanced code is really a reply: the start of a line, a
// quote or bracket, or punctuation or a word that introduces a reply
// ("said: 550", "smtp;550", "(reason: 550", "[192.0.2.1], 554", "said
// 550"). A number after a date, a time, an IPv6 address or "name=" is
// not.
func bareContextOK(s string, i int) bool {
	k := i
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	if k == 0 {
		return true
	}
	switch s[k-1] {
	case '\n', '\r', '\'', '"', '(', '<', '[', '>', ';', ',':
		return true
	case ':':
		return !ipv6Before(s, k-1)
	case '.':
		// sendmail's "<a@b>... 550 Host unknown"
		return k >= 3 && s[k-3:k] == "..." && k < i
	}
	w := k
	for w > 0 && isLetter(s[w-1]) {
		w--
	}
	if w == k || k == i {
		return false
	}
	switch strings.ToLower(s[w:k]) {
	case "said", "says", "returned", "answered", "responded", "replied", "reason", "reply", "response", "error":
		return true
	}
	return false
}

// ipv6Before reports whether the colon at k ends an IPv6 address: the
// run of hexadecimal digits and colons that it ends has a "::" or at
// least two colons.
func ipv6Before(s string, k int) bool {
	colons := 0
	for j := k; j >= 0; j-- {
		b := s[j]
		switch {
		case b == ':':
			colons++
			if j < k && s[j+1] == ':' {
				return true
			}
		case isDigit(b), b >= 'a' && b <= 'f', b >= 'A' && b <= 'F':
		default:
			return colons >= 2
		}
	}
	return colons >= 2
}

// replyText returns the text of reply r, whose codes end at j, and the
// offset where it ends: the rest of the line, cut by unquote, without
// trailing white space (as strings.TrimSpace sees it). When a reply code
// ends its line and the next line is folded ("said: 452 4.2.2" and an
// indented "Mailbox full ..."), the text is that next line.
func replyText(s string, r Reply, j int, lines *lineEnds) (string, int) {
	eol := lines.after(j)
	t := strings.TrimRightFunc(unquote(s, r.Start, s[j:eol]), unicode.IsSpace)
	if r.Code != 0 && strings.TrimSpace(t) == "" {
		if k := afterFold(s, eol); k >= 0 {
			n := strings.TrimRightFunc(unquote(s, r.Start, s[k:lines.after(k)]), unicode.IsSpace)
			if n != "" {
				return n, k + len(n)
			}
		}
	}
	return t, j + len(t)
}

// maxQuoted is how far into a line unquote looks for the end of a
// quotation, which bounds the work for a long line with many replies.
// It is well over the 512 bytes that RFC 5321 allows for a reply line.
const maxQuoted int = 4096

// unquote cuts a reply's text at the end of the quotation or bracket
// that the reply began inside: '554 Transaction failed' gives
// "Transaction failed", "(reason: 550 Host unknown)" gives "Host
// unknown", Exchange's "#550 5.1.1 ... ##" drops the closing "##" and
// qmail's "(#5.1.1)" drops the closing parenthesis.
func unquote(s string, start int, t string) string {
	at := openerBefore(s, start)
	if at < 0 {
		return t
	}
	var closer byte
	switch open := s[at]; open {
	case '\'', '"':
		if k := strings.LastIndexByte(t[:min(len(t), maxQuoted)], open); k >= 0 {
			return t[:k]
		}
		return t
	case '#':
		if k := strings.Index(t, "##"); k >= 0 {
			return t[:k]
		}
		// qmail's "(#5.1.1)": look at what comes before the '#'.
		return unquote(s, at, t)
	case '<':
		closer = '>'
	case '(':
		closer = ')'
	case '[':
		closer = ']'
	}
	open := s[at]
	depth := 0
	for k := 0; k < len(t) && k < maxQuoted; k++ {
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
	return t
}

// openerBefore returns the offset of the quote, bracket or '#' that a
// reply starting at start begins inside, or -1: the byte just before
// the reply, or an opener a few words back on the same line with only
// letters, blanks, colons and semicolons between ("(reason: 550",
// "'smtp; 550").
func openerBefore(s string, start int) int {
	const maxBack int = 40
	for k := start - 1; k >= 0 && start-k <= maxBack; k-- {
		switch b := s[k]; {
		case b == '\'' || b == '"' || b == '<' || b == '(' || b == '[':
			return k
		case b == '#':
			if k == start-1 {
				return k
			}
			return -1
		case !isLetter(b) && b != ' ' && b != '\t' && b != ':' && b != ';':
			return -1
		}
	}
	return -1
}

// sameReply reports whether r repeats the codes of prev, as the lines of
// one multi-line reply do.
func sameReply(prev, r Reply) bool {
	if prev.Code == 0 || prev.Code != r.Code {
		return false
	}
	return prev.Enhanced.IsZero() || r.Enhanced.IsZero() || prev.Enhanced == r.Enhanced
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isLetter reports whether b is an ASCII letter.
func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// Unfold joins folded lines: every line break (CRLF, LF or CR) that is
// followed by spaces or tabs becomes a single space, together with the
// white space around it. Header fields such as Diagnostic-Code are
// folded this way (RFC 5322, section 2.2.3), and so are the wrapped
// reports of Postfix and other MTAs. Find reads a reply's text up to
// the end of its line, so unfold such text before calling Find when the
// whole reply text is wanted; offsets then refer to the unfolded text.
func Unfold(text string) string {
	if !strings.ContainsAny(text, "\r\n") {
		return text
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); {
		if k := afterFold(text, i); k >= 0 {
			for len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == '\t') {
				out = out[:len(out)-1]
			}
			out = append(out, ' ')
			i = k
			continue
		}
		out = append(out, text[i])
		i++
	}
	return string(out)
}
