package textutil

import (
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/internal/literal"
)

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
		// Eight bytes of printable ASCII and spaces at a time: none
		// below 0x20 or above 0x7f, no two spaces in a row.
		for sep == " " && i+8 <= len(s) {
			w := literal.Word8(s, i)
			if (w-0x20*literal.Ones)&^w&literal.Highs|w&literal.Highs != 0 {
				break
			}
			sp := ^(w ^ 0x20*literal.Ones + 0x7f*literal.Ones) & literal.Highs // the spaces
			if sp&(sp<<8) != 0 || prevSpace && sp&0x80 != 0 {
				return false
			}
			prevSpace = sp>>63 != 0
			i += 8
		}
		if i == len(s) {
			break
		}
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
