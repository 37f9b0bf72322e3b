package ndr

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// maxAddressLen is the longest address a report may name: a local part
// of maxLocalPart octets and RFC 5321's 255 for the domain.
const maxAddressLen = maxLocalPart + 1 + 255

// maxLocalPart is the longest local part taken. RFC 5321 section
// 4.5.3.1.1 makes 64 octets the least a server must accept, and section
// 4.5.3.1 asks for no limits where they can be avoided; real addresses
// are longer: the tagged return addresses of mailing lists and sending
// services (VERP, BATV), and the addresses into which Exchange
// encapsulates an X.500 name ("IMCEAEX-_o=...@example.local";
// learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/
// exrecipnotfound-ndr).
const maxLocalPart = 512

// validAddress reports whether a is a syntactically valid mailbox
// address for a recipient: a local part of RFC 5322 atext and dots (or
// a quoted string), with UTF-8 letters and digits as RFC 6531 allows;
// "@"; and a domain of at least two labels of letters, digits and
// hyphens whose last label is two or more letters (or an "xn--" label),
// or an address literal in brackets. A last label of one letter is no
// top-level domain but a mistyped one, which is what a bounce about an
// unknown domain reports: an ASCII one is taken after two other labels,
// the one before it of two or more characters ("example.co.j",
// "ezweb.ne.j"; see mistypedTLD). Text that merely holds an "@", as
// random bytes and binary attachments do, is not an address.
func validAddress(a string) bool {
	if len(a) > maxAddressLen {
		return false
	}
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 {
		return false
	}
	if textutil.IsASCII(a) {
		return validASCIILocalPart(a[:at]) && validASCIIDomain(a[at+1:])
	}
	return utf8.ValidString(a) && validLocalPart(a[:at]) && validDomain(a[at+1:])
}

// validPastedAddress is validAddress for text a user pasted, which also
// takes an address whose domain the user masked ("xxx@xxx",
// "***@***.***"): a valid local part and a domain of mask characters
// (x, X, *) and dots. The address is reported as it is written.
func validPastedAddress(a string) bool {
	return validAddress(a) || maskedAddress(a)
}

// maskedAddress reports whether a is an address with a masked domain;
// see validPastedAddress.
func maskedAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || len(a) > maxAddressLen || !textutil.IsASCII(a) {
		return false
	}
	masks := 0
	for _, c := range []byte(a[at+1:]) {
		switch c {
		case 'x', 'X', '*':
			masks++
		case '.':
		default:
			return false
		}
	}
	return masks >= 2 && validASCIILocalPart(a[:at])
}

// atextASCII marks the bytes of RFC 5322 atext and the dot.
var atextASCII = func() (t [128]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+-/=?^_`{|}~." {
		t[c] = true
	}
	return t
}()

// validASCIILocalPart is validLocalPart for an ASCII local part, where
// every piece is of one script.
func validASCIILocalPart(l string) bool {
	if len(l) > maxLocalPart {
		return false
	}
	if len(l) >= 2 && l[0] == '"' && l[len(l)-1] == '"' {
		for i := 1; i < len(l)-1; i++ {
			if l[i] < ' ' || l[i] == 0x7f {
				return false
			}
		}
		return true
	}
	if l[0] == '.' || l[len(l)-1] == '.' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if !atextASCII[l[i]] || l[i] == '.' && l[i+1] == '.' {
			return false
		}
	}
	return true
}

// validASCIIDomain is validDomain for an ASCII domain.
func validASCIIDomain(d string) bool {
	if d[0] == '[' && d[len(d)-1] == ']' {
		for i := 1; i < len(d)-1; i++ {
			if c := d[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == 'I' || c == 'P' || c == 'v' || c == 'V') {
				return false
			}
		}
		return len(d) > 2
	}
	return validASCIIName(d)
}

// validASCIIName checks an ASCII domain name as validDomain does: at
// least two labels of letters, digits, hyphens and underscores, no label
// empty, longer than 63 or starting or ending with a hyphen, and a last
// label of two or more letters (one, as mistypedTLD allows) or an "xn--"
// label.
func validASCIIName(d string) bool {
	d = strings.TrimSuffix(d, ".")
	if len(d) > 255 {
		return false
	}
	labels, start := 0, 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
			continue
		}
		l := d[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return false
	}
	tld := d[strings.LastIndexByte(d, '.')+1:]
	if len(tld) >= 4 && strings.EqualFold(tld[:4], "xn--") {
		return true
	}
	if len(tld) < 2 && !mistypedTLD(d, labels) {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if c := tld[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// validLocalPart checks the part of an address before the "@".
func validLocalPart(l string) bool {
	if len(l) > maxLocalPart {
		return false
	}
	if len(l) >= 2 && l[0] == '"' && l[len(l)-1] == '"' {
		for _, r := range l[1 : len(l)-1] {
			if r < ' ' || r == 0x7f {
				return false
			}
		}
		return true
	}
	if l[0] == '.' || l[len(l)-1] == '.' || strings.Contains(l, "..") {
		return false
	}
	for part := range strings.SplitSeq(l, ".") {
		if !oneScript(part) {
			return false
		}
	}
	for _, r := range l {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r):
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
		default:
			return false
		}
	}
	return true
}

// validDomain checks the part of an address after the "@".
func validDomain(d string) bool {
	if strings.HasPrefix(d, "[") && strings.HasSuffix(d, "]") {
		for _, r := range d[1 : len(d)-1] {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '.' || r == ':' || strings.ContainsRune("IPvV6", r)) {
				return false
			}
		}
		return len(d) > 2
	}
	d = strings.TrimSuffix(d, ".")
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 255 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || !oneScript(l) {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' ||
				r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(strings.ToLower(tld), "xn--") {
		return true
	}
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// mistypedTLD reports whether ASCII domain d of n labels, whose last
// label is one character, is taken as a domain with a mistyped top-level domain:
// it has three or more labels and the one before the last has two or
// more characters, as a second-level domain under a country code has
// ("co", "ne", "or"). Random text that holds an "@" ("l@n.Y") is not.
func mistypedTLD(d string, n int) bool {
	if n < 3 {
		return false
	}
	d = d[:strings.LastIndexByte(d, '.')]
	return len(d)-strings.LastIndexByte(d, '.') > 2
}

// scriptGroups are the writing systems a label or a dot-separated piece
// of a local part may use; Han, kana and Hangul count as one, as
// Japanese and Korean names mix them.
var scriptGroups = []*unicode.RangeTable{
	unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Arabic, unicode.Hebrew,
	unicode.Thai, unicode.Devanagari, unicode.Armenian, unicode.Georgian,
}

// oneScript reports whether the letters of s other than ASCII ones come
// from one writing system (as IDNA and registries require of a label),
// so that random text of mixed scripts is not read as an address.
func oneScript(s string) bool {
	group := -1
	for _, r := range s {
		if r < 0x80 || !unicode.IsLetter(r) {
			continue
		}
		g := len(scriptGroups) // Han, kana and Hangul
		for i, t := range scriptGroups {
			if unicode.Is(t, r) {
				g = i
				break
			}
		}
		if g == len(scriptGroups) && !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			g = len(scriptGroups) + 1 // any other script
		}
		switch {
		case g == 0: // Latin letters mix with any one other script
		case group < 0:
			group = g
		case group != g:
			return false
		}
	}
	return true
}
