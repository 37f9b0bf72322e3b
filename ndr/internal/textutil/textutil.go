package textutil

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// IsWordByte reports whether c is an ASCII word character, as \b sees
// them.
func IsWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// HasASCIIFold reports whether s holds a non-ASCII letter whose case
// folding gives an ASCII one.
func HasASCIIFold(s string) bool {
	return strings.Contains(s, "\u017f") || strings.Contains(s, "\u212a")
}

// WithoutSpace returns s with all white space removed.
func WithoutSpace(s string) string {
	return joinFields(s, "")
}

// EqualWithoutSpace reports whether withoutSpace(a) == withoutSpace(b),
// without building either.
func EqualWithoutSpace(a, b string) bool {
	i, j := 0, 0
	for {
		i = skipSpace(a, i)
		j = skipSpace(b, j)
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

// skipSpace returns the offset of the first byte at or after i that does
// not begin a white-space character.
func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if ASCIISpace[c] == 0 {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// CollapseSpace unfolds text onto one line with single spaces.
func CollapseSpace(s string) string {
	return joinFields(s, " ")
}

// joinFields is strings.Join(strings.Fields(s), sep) for sep "" or " ",
// without building the list of fields: s itself is returned when it
// already has that form, as most diagnostics have.
func joinFields(s, sep string) string {
	if joined(s, sep) {
		return s
	}
	b := make([]byte, 0, len(s))
	inField := false
	for i := 0; i < len(s); {
		space, size := spaceAt(s, i)
		if space {
			inField = false
		} else {
			if !inField && len(b) > 0 {
				b = append(b, sep...)
			}
			b = append(b, s[i:i+size]...)
			inField = true
		}
		i += size
	}
	return string(b)
}

// joined reports whether s is its fields joined by sep: no white space
// at either end, and between fields exactly sep.
func joined(s, sep string) bool {
	prevSpace := true // the start of s counts as a separator
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case ASCIISpace[c] != 0:
			if prevSpace || sep == "" || c != sep[0] {
				return false
			}
			prevSpace = true
		case SpaceLead[c]:
			// A rune starts here (no continuation byte is a lead);
			// the bytes after it are continuation bytes, which no
			// white space starts with.
			if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
				return false
			}
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	return len(s) == 0 || !prevSpace
}

// SpaceLead marks the first bytes of the UTF-8 forms of the non-ASCII
// white space runes (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000); see TestSpaceLead.
var SpaceLead = [256]bool{0xc2: true, 0xe1: true, 0xe2: true, 0xe3: true}

// spaceAt reports whether the character at s[i] is white space, and its
// length in bytes.
func spaceAt(s string, i int) (space bool, size int) {
	if c := s[i]; c < utf8.RuneSelf {
		return ASCIISpace[c] != 0, 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r), size
}

var ASCIISpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// FirstWord returns the first white-space separated word of s, or "".
func FirstWord(s string) string {
	start := -1
	for i := 0; i < len(s); {
		space, size := spaceAt(s, i)
		switch {
		case space && start >= 0:
			return s[start:i]
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start < 0 {
		return ""
	}
	return s[start:]
}

// ContainsAny reports whether s contains one of the markers.
func ContainsAny(s string, markers ...string) bool {
	for _, mk := range markers {
		if strings.Contains(s, mk) {
			return true
		}
	}
	return false
}

// ContainsLower reports whether s contains marker, a lower-case ASCII
// string, ignoring the case of ASCII letters in s, without allocating.
func ContainsLower(s, marker string) bool {
	return IndexLower(s, marker) >= 0
}

// IndexLower returns the offset of the first occurrence of marker, a
// lower-case ASCII string, in s, ignoring the case of ASCII letters in
// s, or -1.
func IndexLower(s, marker string) int {
	if marker == "" {
		return 0
	}
	first, other := marker[0], marker[0]
	switch {
	case first >= 'a' && first <= 'z':
		other = first - 'a' + 'A'
	case first >= 'A' && first <= 'Z':
		return -1 // no lower-cased byte is an upper-case letter
	}
	// lo and up are the next offsets of the first byte in lower and in
	// upper case, found with the fast byte search; len(s) stands for none.
	lo, up := nextByte(s, 0, first), nextByte(s, 0, other)
	for {
		i := min(lo, up)
		if i+len(marker) > len(s) {
			return -1
		}
		if HasPrefixLower(s[i+1:], marker[1:]) {
			return i
		}
		if i == lo {
			lo = nextByte(s, i+1, first)
		}
		if i == up {
			up = lo
			if other != first {
				up = nextByte(s, i+1, other)
			}
		}
	}
}

// nextByte returns the offset of the first c in s at or after from, or
// len(s).
func nextByte(s string, from int, c byte) int {
	if k := strings.IndexByte(s[from:], c); k >= 0 {
		return from + k
	}
	return len(s)
}

// HasPrefixLower reports whether s begins with prefix, a lower-case
// string, ignoring the case of ASCII letters in s.
func HasPrefixLower(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if literal.LowerByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// ContainsFold reports whether strings.ToLower(s) contains marker, a
// lower-case ASCII string; s is only copied when it holds non-ASCII text,
// whose lower case may differ from the ASCII folding of containsLower.
func ContainsFold(s, marker string) bool {
	if ContainsLower(s, marker) {
		return true
	}
	return !IsASCII(s) && strings.Contains(strings.ToLower(s), marker)
}

// IsASCII reports whether s holds only ASCII bytes: then a
// case-insensitive pattern matches s as ASCII case folding does, as no
// non-ASCII letter can stand for an ASCII one.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// BlankStart returns where to start matching a multi-line pattern of the
// form "^\s*..." whose matches hold, on the line of their first non-blank
// character, a marker first found at offset k (k < 0 gives -1): the
// start of the blank lines before that line, where the earliest match
// can begin.
func BlankStart(text string, k int) int {
	if k < 0 {
		return -1
	}
	ls := strings.LastIndexByte(text[:k], '\n') + 1
	w := ls
	for w > 0 && strings.IndexByte("\t\n\f\r ", text[w-1]) >= 0 {
		w--
	}
	if w == 0 {
		return 0
	}
	// The first line start at or after w; text[ls-1] is a line break.
	return w + strings.IndexByte(text[w:ls], '\n') + 1
}

// MarkedLines yields the start and the end (the line break or the end of
// text) of every line of text, in order, where low holds one of markers.
// low is text lower-cased with the same offsets, or text itself for
// case-sensitive markers.
func MarkedLines(text, low string, markers ...string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for off := 0; off < len(text); {
			k := -1
			for _, mk := range markers {
				if i := strings.Index(low[off:], mk); i >= 0 && (k < 0 || i < k) {
					k = i
				}
			}
			if k < 0 {
				return
			}
			start, end := lineAt(text, off+k)
			if !yield(start, end) {
				return
			}
			off = end + 1
		}
	}
}

// FirstLineWhere returns the start and the end of the first line of text
// that holds one of markers, as markedLines finds them, and passes is,
// or -1, -1.
func FirstLineWhere(text, low string, is func(line string) bool, markers ...string) (int, int) {
	for start, end := range MarkedLines(text, low, markers...) {
		if is(text[start:end]) {
			return start, end
		}
	}
	return -1, -1
}

// lineAt returns the offsets of the start and of the end of the line of
// text that holds offset k.
func lineAt(text string, k int) (int, int) {
	start := strings.LastIndexByte(text[:k], '\n') + 1
	end := len(text)
	if e := strings.IndexByte(text[k:], '\n'); e >= 0 {
		end = k + e
	}
	return start, end
}

// LineIndent returns the number of leading blanks of a line, a tab
// counting as eight.
func LineIndent(l string) int {
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

// JoinSpace joins two pieces of text with one space.
func JoinSpace(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func IsASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func IsLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func IsUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsAlnum reports whether c is an ASCII letter or digit.
func IsAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// IndexFold is strings.Index ignoring the case of ASCII letters. Offsets
// stay those of s, whatever else s holds.
func IndexFold(s, sub string) int {
	return strings.Index(literal.LowerASCII(s), literal.LowerASCII(sub))
}

// CutLine splits text at its first line feed; end is set when text has
// none, and line is then the whole text.
func CutLine(text string) (line, rest string, end bool) {
	line, rest, found := strings.Cut(text, "\n")
	return line, rest, !found
}

// EqualFold is strings.EqualFold for ASCII field names.
func EqualFold(a, b string) bool { return strings.EqualFold(a, b) }

// LineEnd returns the offset of the line feed ending the line that starts
// at i, or len(s).
func LineEnd(s string, i int) int {
	if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(s)
}

func IsBlank(c byte) bool { return c == ' ' || c == '\t' }

// TrimBlank trims spaces and tabs.
func TrimBlank(s string) string {
	i, j := 0, len(s)
	for i < j && IsBlank(s[i]) {
		i++
	}
	for j > i && IsBlank(s[j-1]) {
		j--
	}
	return s[i:j]
}

// Clip shortens s for an error message.
func Clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// TruncateRunes cuts s to at most n runes.
func TruncateRunes(s string, n int) string {
	if len(s) <= n {
		// No more bytes, so no more runes, than n.
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}
