package literal

import (
	"encoding/binary"
	"unsafe"
)

// LowerByte lower-cases an ASCII letter and keeps any other byte.
func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// LowerASCII lower-cases the ASCII letters of s and keeps every other
// byte, so that offsets in the result are offsets in s. s itself is
// returned when it has no upper-case ASCII letter. Eight bytes are
// looked at and lowered at a time.
func LowerASCII(s string) string {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if upper8(Word8(s, i)) != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, len(s))
	copy(b, s[:i])
	for ; i+8 <= len(s); i += 8 {
		w := Word8(s, i)
		binary.LittleEndian.PutUint64(b[i:], w|upper8(w)>>2)
	}
	for ; i < len(s); i++ {
		b[i] = LowerByte(s[i])
	}
	// b is not changed after this.
	return unsafe.String(&b[0], len(b))
}

// Words of eight bytes: Ones has 1 in every byte, Highs the high bit.
const (
	Ones  = 0x0101010101010101
	Highs = 0x8080808080808080
)

// load8 returns s[i:i+8] as a little-endian word.
func Word8(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// upper8 returns the high bit of each byte of w that is an upper-case
// ASCII letter: the byte is below 0x80, and its low seven bits plus
// 0x80-'A' reach 0x80 while plus 0x80-'Z'-1 they do not. No sum carries
// into the next byte.
func upper8(w uint64) uint64 {
	h := w &^ Highs
	atLeastA := h + (0x80-'A')*Ones
	aboveZ := h + (0x80-'Z'-1)*Ones
	return atLeastA &^ aboveZ &^ w & Highs
}

// ASCII reports whether every byte of s is below 0x80, eight at a time.
func ASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if Word8(s, i)&Highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// EqualFold reports whether a and b are equal with ASCII letters
// compared without case; every other byte must be the same.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if c, d := a[i], b[i]; c != d && LowerByte(c) != LowerByte(d) {
			return false
		}
	}
	return true
}
