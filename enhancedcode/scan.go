package enhancedcode

import (
	"strings"
	"unicode/utf8"
)

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
		// "said: 550\n    Unknown user", the text folded onto the next
		// line (Postfix wraps its reports' long lines so, between
		// words: the folded line starts with one).
		if (sep == '\r' || sep == '\n') && k >= 0 && k < len(s) && isLetter(s[k]) && bareTextOK(s, k) && (c == cont || bareContextOK(s, i)) {
			return Reply{Code: c, Start: i, End: k}, true
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
	if b >= 0x80 {
		// Japanese and Chinese text puts full-width punctuation
		// where English has ASCII ("エラー：550 5.7.1", "「550 ...」");
		// other letters run into the number.
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		return wideBoundary(r)
	}
	return !(isDigit(b) || b == '.' || b == '-' || b == '_' || b == '/' || b == ':' && i >= 2 && isDigit(s[i-2]) ||
		b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '+')
}

// wideBoundary reports whether r is a full-width space or punctuation
// mark that a code may follow: the ideographic space, comma and full
// stop, the corner brackets, and the full-width colon, semicolon,
// parenthesis and bracket.
func wideBoundary(r rune) bool {
	switch r {
	case '\u3000', '、', '。', '「', '『', '：', '；', '（', '［':
		return true
	}
	return false
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
	case isDigit(b) && ipv4Words(s, j):
		// The client's address before the words, as in the Exim
		// specification's SPF example "550 192.0.2.1 is not allowed to
		// send mail from example.com".
		return true
	case isDigit(b) && j+2 < len(s) && s[j+1] == ' ' && isLetter(s[j+2]):
		// One digit before the text, as AOL's "552 1 Requested mail
		// action aborted, mailbox full": the word after it decides,
		// so that "450 5 minutes" is still no reply.
		j += 2
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

// ipv4Words reports whether s at j holds a dotted-quad IPv4 address
// followed by a blank and a word.
func ipv4Words(s string, j int) bool {
	for part := range 4 {
		n := 0
		for j < len(s) && isDigit(s[j]) && n < 4 {
			j++
			n++
		}
		if n == 0 || n > 3 {
			return false
		}
		if part < 3 {
			if j >= len(s) || s[j] != '.' {
				return false
			}
			j++
		}
	}
	return j+1 < len(s) && s[j] == ' ' && isLetter(s[j+1])
}

// enhancedContextOK decides from what precedes it whether an enhanced
// code at i that follows no reply code is really a status: it is not
// when it follows a word other than one that introduces a status
// ("PHPMailer 5.2.7", "fml 4.0.3") or a header that names a version
// ("X-Mailman-Version: 2.1.5"), and not when it numbers a section of a
// standard ("RFC 5321 2.3.5", "RFC5321 4.5.3", "§ 4.1.2").
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
	if strings.HasSuffix(s[:k], "§") || rfcSection(s, k) {
		return false
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

// rfcSection reports whether s[:k] ends with an RFC's number, "RFC 5321"
// or "RFC5321", so that a dotted number after it is a section.
func rfcSection(s string, k int) bool {
	w := k
	for w > 0 && isDigit(s[w-1]) {
		w--
	}
	if w == k {
		return false
	}
	for w > 0 && s[w-1] == ' ' {
		w--
	}
	return w >= 3 && strings.EqualFold(s[w-3:w], "rfc")
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

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isLetter reports whether b is an ASCII letter.
func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
