package textutil

import "strconv"

// Quote is strconv.Quote, with a shortcut for the common text of
// printable ASCII without quotes or backslashes, which it only wraps in
// double quotes.
func Quote(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return strconv.Quote(s)
		}
	}
	return `"` + s + `"`
}
