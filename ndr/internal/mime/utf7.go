package mime

import (
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// errUTF7 is returned for text that breaks the rules of UTF-7.
var errUTF7 = errors.New("invalid UTF-7")

// isUTF7Label reports whether a lower-case charset label names UTF-7
// (RFC 2152), which Exchange 2000 and 2003 gave the text of their
// reports as "unicode-1-1-utf-7".
func isUTF7Label(label string) bool {
	switch label {
	case "utf-7", "utf7", "unicode-1-1-utf-7", "x-unicode-2-0-utf-7", "csunicode11utf7":
		return true
	}
	return false
}

// decodeUTF7 decodes UTF-7 text (RFC 2152) to UTF-8: ASCII stands for
// itself, "+-" for '+', and "+" opens a run of modified base64 that
// encodes UTF-16 code units, closed by any byte outside the base64
// alphabet (a '-' that closes it is dropped). It reads each byte once.
// Text that breaks these rules is an error, and is then returned as it
// was.
func decodeUTF7(text string) (string, error) {
	var b strings.Builder
	b.Grow(len(text))
	var units []uint16
	for i := 0; i < len(text); {
		c := text[i]
		if c >= utf8.RuneSelf {
			return text, errUTF7
		}
		if c != '+' {
			b.WriteByte(c)
			i++
			continue
		}
		i++
		if i < len(text) && text[i] == '-' {
			b.WriteByte('+')
			i++
			continue
		}
		// A run of base64: 6 bits per byte, 16 per code unit.
		var acc uint32
		bits := 0
		units = units[:0]
		for i < len(text) && base64Values[text[i]] != noBase64 && text[i] != '=' {
			acc = acc<<6 | uint32(base64Values[text[i]])
			bits += 6
			if bits >= 16 {
				bits -= 16
				units = append(units, uint16(acc>>bits))
				acc &= 1<<bits - 1
			}
			i++
		}
		if bits >= 6 || acc != 0 {
			// RFC 2152: the bits left over must be fewer than six
			// and zero.
			return text, errUTF7
		}
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		if i < len(text) && text[i] == '-' {
			i++
		}
	}
	return b.String(), nil
}
