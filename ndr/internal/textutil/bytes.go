package textutil

import (
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// IsWordByte reports whether c is an ASCII word character, as \b sees
// them.
func IsWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// IsASCII reports whether s holds only ASCII bytes: then a
// case-insensitive pattern matches s as ASCII case folding does, as no
// non-ASCII letter can stand for an ASCII one.
func IsASCII(s string) bool { return literal.ASCII(s) }

func IsASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func IsLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func IsUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsAlnum reports whether c is an ASCII letter or digit.
func IsAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
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

// CutUTF8 returns the longest prefix of s of at most n bytes that does
// not end inside a UTF-8 sequence.
func CutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
