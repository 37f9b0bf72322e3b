package mailaddr

import (
	"iter"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// HeaderList splits a header value holding a comma-separated address
// list into addresses.
func HeaderList(v string) []string {
	var out []string
	for a := range strings.SplitSeq(v, ",") {
		if a = CleanAddress(a); strings.Contains(a, "@") {
			out = append(out, a)
		}
	}
	return out
}

// IsAddress reports whether s is one bare e-mail address.
func IsAddress(s string) bool {
	return strings.Contains(s, "@") && !strings.ContainsAny(s, " \t|/") && !strings.HasPrefix(s, "@")
}

// CleanAddress strips angle brackets, quotes, a display name and
// surrounding punctuation from an address, braces included: a program's
// log prints a mapping of addresses ({'rcpt@example.com': ...}), and no
// real local part begins with a brace.
func CleanAddress(a string) string {
	a = strings.TrimSpace(a)
	if k := strings.LastIndexByte(a, '<'); k >= 0 {
		if j := strings.IndexByte(a[k:], '>'); j > 0 {
			a = a[k+1 : k+j]
		}
	}
	quoted := strings.HasPrefix(strings.TrimLeft(a, " \t<"), `"`) && strings.Contains(a, `"@`)
	a = strings.Trim(a, " \t<>\"'()[]{},;:.")
	if quoted && strings.Contains(a, `"@`) {
		// A quoted local part ("john..doe"@example.com) keeps its quotes.
		a = `"` + a
	}
	return a
}

// UnescapeUTF8Addr decodes the \x{HHHH} escapes of RFC 6533
// utf-8-addr-xtext values.
func UnescapeUTF8Addr(s string) string {
	if !strings.Contains(s, `\x{`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], `\x{`) {
			// At most six hex digits (U+10FFFF) stand between the
			// braces, so the search for '}' reads a few bytes.
			if end := strings.IndexByte(s[i:min(len(s), i+10)], '}'); end > 3 {
				if n, err := strconv.ParseUint(s[i+3:i+end], 16, 32); err == nil && utf8.ValidRune(rune(n)) {
					b.WriteRune(rune(n))
					i += end + 1
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// AddrPattern matches an e-mail address in running text, including
// UTF-8 local parts and domains (RFC 6531).
var AddrPattern = regexp.MustCompile(`[\p{L}\p{N}.!#$%&'*+/=?^_{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+`)

// addrASCII marks the ASCII bytes that a match of addrPattern may hold:
// letters, digits, '@' and the specials of its local part. Every other
// ASCII byte ends the stretch of text an address can lie in.
var addrASCII = func() (t [128]bool) {
	for c := range 128 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("@.!#$%&'*+/=?^_{|}~-", byte(c)) >= 0
	}
	return
}()

func addrByte(c byte) bool { return c >= 0x80 || addrASCII[c] }

// AddressIndex returns the offsets of the first match of addrPattern in
// s at or after from, as addrPattern.FindStringIndex(s[from:]) does
// (offsets in s), or nil. Every match holds exactly one '@' and lies in
// the stretch of address bytes around it, so the expression runs only on
// those stretches: a few bytes instead of the whole text.
func AddressIndex(s string, from int) []int {
	for from < len(s) {
		k := strings.IndexByte(s[from:], '@')
		if k < 0 {
			return nil
		}
		at := from + k
		a := at
		for a > from && addrByte(s[a-1]) && s[a-1] != '@' {
			a--
		}
		b := at + 1
		for b < len(s) && addrByte(s[b]) && s[b] != '@' {
			b++
		}
		if a < at {
			if textutil.IsASCII(s[a:b]) {
				if e := asciiAddressEnd(s[a:b], at-a); e >= 0 {
					return []int{a, a + e}
				}
			} else if loc := AddrPattern.FindStringIndex(s[a:b]); loc != nil {
				return []int{a + loc[0], a + loc[1]}
			}
		}
		from = at + 1
	}
	return nil
}

// asciiAddressEnd is addrPattern on w, an ASCII stretch of address bytes
// with its only '@' at at > 0: it returns the end of the match, which
// starts at 0, or -1. The local part is w[:at]. The domain is a label
// followed by at least one more, each a letter or digit, then letters,
// digits and '-', ending in a letter or digit; the expression takes as
// many labels as it can, and the last as long as it can, and a label
// followed by another must run up to the dot.
func asciiAddressEnd(w string, at int) int {
	// label returns the end of the run of label bytes from p and the
	// end of its last letter or digit, or -1, -1 when no label starts
	// at p.
	label := func(p int) (int, int) {
		if p >= len(w) || !textutil.IsAlnum(w[p]) {
			return -1, -1
		}
		q := p + 1
		for q < len(w) && (textutil.IsAlnum(w[q]) || w[q] == '-') {
			q++
		}
		e := q
		for w[e-1] == '-' {
			e--
		}
		return q, e
	}
	q, e := label(at + 1)
	if q < 0 || e != q || q >= len(w) || w[q] != '.' {
		return -1
	}
	end := -1
	for q < len(w) && w[q] == '.' {
		nq, ne := label(q + 1)
		if nq < 0 {
			break
		}
		end = ne
		if ne != nq {
			break
		}
		q = nq
	}
	return end
}

// FindAddress is addrPattern.FindString(s).
func FindAddress(s string) string {
	if loc := AddressIndex(s, 0); loc != nil {
		return s[loc[0]:loc[1]]
	}
	return ""
}

// AddressIndexes is addrPattern.FindAllStringIndex(s, -1).
func AddressIndexes(s string) [][]int {
	var out [][]int
	for loc := range AddressesIn(s) {
		out = append(out, loc)
	}
	return out
}

// AddressesIn yields the offsets of the addresses in s in turn, as
// AddressIndexes lists them, so that a caller may stop early.
func AddressesIn(s string) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		for from := 0; ; {
			loc := AddressIndex(s, from)
			if loc == nil || !yield(loc) {
				return
			}
			from = loc[1]
		}
	}
}

// FindAddresses is addrPattern.FindAllString(s, -1).
func FindAddresses(s string) []string {
	var out []string
	for _, loc := range AddressIndexes(s) {
		out = append(out, s[loc[0]:loc[1]])
	}
	return out
}

// FirstAddress returns the first address in an address list.
func FirstAddress(list string) string {
	if a := FindAddress(list); a != "" {
		return a
	}
	return CleanAddress(list)
}
