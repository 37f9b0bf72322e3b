package literal

// LowerByte lower-cases an ASCII letter and keeps any other byte.
func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// LowerASCII lower-cases the ASCII letters of s and keeps every other
// byte, so that offsets in the result are offsets in s. s itself is
// returned when it has no upper-case ASCII letter.
func LowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = LowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}
