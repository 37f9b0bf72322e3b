package textutil

import (
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// HasASCIIFold reports whether s holds a non-ASCII letter whose case
// folding gives an ASCII one.
func HasASCIIFold(s string) bool {
	return strings.Contains(s, "\u017f") || strings.Contains(s, "\u212a")
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

// IndexFirst returns the offset in s of the earliest occurrence of any
// of words, or -1.
func IndexFirst(s string, words ...string) int {
	at, _ := indexFirst(s, words)
	return at
}

// IndexFirstEnd returns the offset in s just after the earliest
// occurrence of any of words, or -1.
func IndexFirstEnd(s string, words ...string) int {
	at, n := indexFirst(s, words)
	if at < 0 {
		return -1
	}
	return at + n
}

// indexFirst returns the offset and the length of the earliest
// occurrence of any of words in s, or -1 and 0.
func indexFirst(s string, words []string) (at, n int) {
	at = -1
	for _, w := range words {
		if k := strings.Index(s, w); k >= 0 && (at < 0 || k < at) {
			at, n = k, len(w)
		}
	}
	return at, n
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
	for i := nextEither(s, 0, first, other); ; i = nextEither(s, i+1, first, other) {
		if i+len(marker) > len(s) {
			return -1
		}
		if HasPrefixLower(s[i+1:], marker[1:]) {
			return i
		}
	}
}

// nextEither returns the offset of the first a or b in s at or after
// from, or len(s). It searches windows that double in size, so that its
// cost follows the distance to the byte found, not to the rarer byte's
// next place.
func nextEither(s string, from int, a, b byte) int {
	if a == b {
		return nextByte(s, from, a)
	}
	for w := 64; from < len(s); w *= 2 {
		end := min(len(s), from+w)
		chunk := s[from:end]
		i := strings.IndexByte(chunk, a)
		if i >= 0 {
			chunk = chunk[:i]
		}
		if j := strings.IndexByte(chunk, b); j >= 0 {
			return from + j
		}
		if i >= 0 {
			return from + i
		}
		from = end
	}
	return len(s)
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

// IndexFold is strings.Index ignoring the case of ASCII letters. Offsets
// stay those of s, whatever else s holds.
func IndexFold(s, sub string) int {
	return strings.Index(literal.LowerASCII(s), literal.LowerASCII(sub))
}

// EqualFold reports whether field names a and b are equal with ASCII
// letters compared without case. Field names are ASCII (RFC 5322,
// section 2.2), so no other folding applies; names of different lengths
// differ at once.
func EqualFold(a, b string) bool { return literal.EqualFold(a, b) }
