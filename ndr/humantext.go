package ndr

import (
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// maxHumanRunes is the most of a report's human-readable text that the
// catalogue reads for one recipient; maxPreambleRunes is the most of the
// text before the first recipient's paragraph when the recipient has a
// paragraph of its own.
const maxHumanRunes, maxPreambleRunes = 4000, 2000

// humanText is the human-readable part of a report split by recipient.
// MTAs that report several recipients in one message (Postfix, Exim,
// Sendmail, qmail, Courier and most others) write a paragraph per
// recipient that starts with, or names, its address, after a preamble
// that concerns them all. The catalogue must read a recipient's own
// paragraph and the preamble, not another recipient's reply: "Mailbox
// full" for one address says nothing about its neighbour.
//
// A line that names one or more of the report's addresses starts a run
// of lines that belongs to them; a line that names none continues the
// run before it. The lines before the first address are the preamble.
type humanText struct {
	text     string
	preamble string
	// own holds, by lower-case address, the runs that belong to it.
	own map[string]*runs
	// built holds the texts For has returned, by the addresses asked
	// for.
	built map[string]string
}

// runs is the byte ranges of an address's runs, in the order of the
// text, up to the first maxHumanRunes·utf8.UTFMax bytes of them: For
// reads no more.
type runs struct {
	r    [][2]int
	size int
}

// maxRunBytes is the most bytes of runs kept for an address.
const maxRunBytes = maxHumanRunes * utf8.UTFMax

// splitHuman splits text by the addresses in addrs. When fewer than two
// distinct addresses are given, the whole text is the preamble, unless
// addrs holds one address and an empty one.
func splitHuman(text string, addrs []string) *humanText {
	h := &humanText{text: text, preamble: text}
	known := make(map[string]int, len(addrs))
	addressless := false
	for _, a := range addrs {
		if a != "" {
			known[literal.LowerASCII(a)] = -1
		} else {
			addressless = true
		}
	}
	// A recipient without an address beside one with an address (a
	// report that lists one recipient by name, see Recipient.ListedName)
	// reads the preamble, not the other one's paragraph.
	if len(known) < 2 && !(addressless && len(known) == 1) {
		return h
	}
	h.own, h.built = map[string]*runs{}, map[string]string{}
	var owners []string // the addresses the current run belongs to
	runStart := -1      // the start of the current run, -1 in the preamble
	var names []string
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start + 1
		}
		names = addressesIn(text[start:end], known, start, names[:0])
		if len(names) > 0 {
			h.close(owners, runStart, start)
			if runStart < 0 {
				h.preamble = text[:start]
			}
			owners = append(owners[:0], names...)
			runStart = start
		}
		start = end
	}
	h.close(owners, runStart, len(text))
	return h
}

// close records the run [start, end) for each of owners.
func (h *humanText) close(owners []string, start, end int) {
	if start < 0 || end <= start {
		return
	}
	for _, a := range owners {
		rs := h.own[a]
		if rs == nil {
			rs = &runs{}
			h.own[a] = rs
		}
		if rs.size < maxRunBytes {
			rs.r = append(rs.r, [2]int{start, end})
			rs.size += end - start
		}
	}
}

// For returns the texts the catalogue reads for a recipient known by the
// addresses given (its address and the one the sender wrote): the
// preamble, and the recipient's own runs, together at most maxHumanRunes
// runes. When the text has no runs by recipient, shared holds it all and
// own is "".
func (h *humanText) For(addrs ...string) (shared, own string) {
	if h.own == nil {
		return textutil.TruncateRunes(h.text, maxHumanRunes), ""
	}
	var key strings.Builder
	var lists []*runs
	for i, a := range addrs {
		if a == "" || i > 0 && literal.EqualFold(a, addrs[0]) {
			continue
		}
		a = literal.LowerASCII(a)
		if rs := h.own[a]; rs != nil {
			lists = append(lists, rs)
			key.WriteString(a)
			key.WriteByte(0)
		}
	}
	if len(lists) == 0 {
		return textutil.TruncateRunes(h.preamble, maxHumanRunes), ""
	}
	shared = textutil.TruncateRunes(h.preamble, maxPreambleRunes)
	limit := maxHumanRunes - utf8.RuneCountInString(shared)
	if len(lists) == 1 && len(lists[0].r) == 1 {
		r := lists[0].r[0]
		return shared, textutil.TruncateRunes(h.text[r[0]:r[1]], limit)
	}
	// Recipients with the same address (a report that lists one twice)
	// read the same text: it is built once.
	if t, ok := h.built[key.String()]; ok {
		return shared, t
	}
	rs := lists[0].r
	for _, l := range lists[1:] {
		rs = mergeRuns(rs, l.r)
	}
	// No more than limit runes are kept, so no more than that many UTF-8
	// sequences need copying.
	budget := limit * utf8.UTFMax
	var b strings.Builder
	for _, r := range rs {
		if b.Len() >= budget {
			break
		}
		b.WriteString(h.text[r[0]:min(r[1], r[0]+budget-b.Len())])
	}
	own = textutil.TruncateRunes(b.String(), limit)
	h.built[key.String()] = own
	return shared, own
}

// mergeRuns merges two lists of runs in text order, each run once.
func mergeRuns(a, b [][2]int) [][2]int {
	if len(a) == 0 {
		return b
	}
	out := make([][2]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var r [2]int
		switch {
		case j == len(b) || i < len(a) && a[i][0] < b[j][0]:
			r, i = a[i], i+1
		case i == len(a) || b[j][0] < a[i][0]:
			r, j = b[j], j+1
		default: // the same run, named by both addresses
			r, i, j = a[i], i+1, j+1
		}
		out = append(out, r)
	}
	return out
}

// addressesIn appends to dst the distinct members of known that line
// names: the tokens around each '@', lower-cased, without the brackets,
// quotes and punctuation that MTAs put around an address. It reads at
// most maxAddressLen bytes on either side of an '@' and each byte once
// as part of a token, so a line of many '@' is read in linear time; a
// token whose local part holds UTF-8 is also tried from each character
// boundary within its last 64 bytes, a constant per '@'.
//
// known maps each address to the mark of the last line that named it;
// mark tells this line from the others (its offset in the text), and
// addressesIn sets it for the addresses it appends.
func addressesIn(line string, known map[string]int, mark int, dst []string) []string {
	floor := 0 // bytes before floor have been read as part of a token
	for i := strings.IndexByte(line, '@'); i >= 0; {
		// A local part may hold UTF-8 (RFC 6531 addresses, which RFC
		// 6533 reports write as they are): its bytes count too, and the
		// words that run into it without a space are tried off one
		// character at a time below.
		lo := i
		for lo > floor && i-lo < maxAddressLen && (addressByte(line[lo-1]) || line[lo-1] >= utf8.RuneSelf) {
			lo--
		}
		hi := i + 1
		for hi < len(line) && hi-i < maxAddressLen && addressByte(line[hi]) {
			hi++
		}
		tok := strings.TrimRight(line[lo:hi], ".")
		if strings.IndexByte(tok, '@') > 0 {
			lower := literal.LowerASCII(tok) // same offsets as tok
			a := lower
			last, ok := known[a]
			// A local part has at most 64 octets (RFC 5321 section
			// 4.5.3.1.1), so only starts that near the '@' are tried.
			for s := max(lo+1, i-64); !ok && s < i; s++ {
				if utf8.RuneStart(line[s]) && line[s-1] >= utf8.RuneSelf {
					a = lower[s-lo:]
					last, ok = known[a]
				}
			}
			if ok && last != mark {
				known[a] = mark
				dst = append(dst, a)
			}
		}
		floor = hi
		next := strings.IndexByte(line[i+1:], '@')
		if next < 0 {
			break
		}
		i += 1 + next
		if i < floor {
			// An '@' inside the token just read (a@b@c): the token has
			// been read.
			for i < floor {
				n := strings.IndexByte(line[i+1:], '@')
				if n < 0 {
					return dst
				}
				i += 1 + n
			}
		}
	}
	return dst
}

// addressByte reports whether b can be part of an address as MTAs write
// it in a report: printable ASCII other than spaces, brackets, quotes
// and the punctuation that separates an address from the text around it.
func addressByte(b byte) bool {
	if b <= ' ' || b >= 0x7f {
		return false
	}
	switch b {
	case '<', '>', '(', ')', '[', ']', '"', '\'', ',', ';', ':', '`':
		return false
	}
	return true
}
