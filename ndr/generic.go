package ndr

import (
	"github.com/ndrkit/ndrkit/internal/literal"
	"iter"
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// addrPattern matches an e-mail address in running text, including
// UTF-8 local parts and domains (RFC 6531).
var addrPattern = regexp.MustCompile(`[\p{L}\p{N}.!#$%&'*+/=?^_{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+`)

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

// addressIndex returns the offsets of the first match of addrPattern in
// s at or after from, as addrPattern.FindStringIndex(s[from:]) does
// (offsets in s), or nil. Every match holds exactly one '@' and lies in
// the stretch of address bytes around it, so the expression runs only on
// those stretches: a few bytes instead of the whole text.
func addressIndex(s string, from int) []int {
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
			if isASCII(s[a:b]) {
				if e := asciiAddressEnd(s[a:b], at-a); e >= 0 {
					return []int{a, a + e}
				}
			} else if loc := addrPattern.FindStringIndex(s[a:b]); loc != nil {
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
		if p >= len(w) || !isAlnum(w[p]) {
			return -1, -1
		}
		q := p + 1
		for q < len(w) && (isAlnum(w[q]) || w[q] == '-') {
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

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// findAddress is addrPattern.FindString(s).
func findAddress(s string) string {
	if loc := addressIndex(s, 0); loc != nil {
		return s[loc[0]:loc[1]]
	}
	return ""
}

// addressIndexes is addrPattern.FindAllStringIndex(s, -1).
func addressIndexes(s string) [][]int {
	var out [][]int
	for loc := range addressesIn(s) {
		out = append(out, loc)
	}
	return out
}

// addressesIn yields the offsets of the addresses in s in turn, as
// addressIndexes lists them, so that a caller may stop early.
func addressesIn(s string) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		for from := 0; ; {
			loc := addressIndex(s, from)
			if loc == nil || !yield(loc) {
				return
			}
			from = loc[1]
		}
	}
}

// findAddresses is addrPattern.FindAllString(s, -1).
func findAddresses(s string) []string {
	var out []string
	for _, loc := range addressIndexes(s) {
		out = append(out, s[loc[0]:loc[1]])
	}
	return out
}

// copyMarkers begin the line that starts the returned copy of the
// original message in a plain-text bounce. They are matched, lower-cased,
// against the start of a line after leading blanks and quote marks;
// dashed are those that must follow a run of "-".
var (
	dashedCopyMarkers = []string{
		"original message", "message original", "returned message", "unsent message",
		"below this line is a copy", "this is a copy of", "message header follow",
		"message headers follow", "the original message", "undelivered message",
		"begin original message", "begin of original message", "start original message",
		"start of original message", "begin returned message", "begin of returned message",
		"start of returned message", "begin forwarded message", "start of forwarded message",
		"元のメッセージ",
	}
	plainCopyMarkers = []string{
		"original message follows", "the original message was attached",
		"the original message is attached", "the original message was included",
		"the original message is included", "the original message was below",
		"the original message is below", "the original message follows",
		"content-type: message/rfc822", "content-type: text/rfc822-headers",
		"以下、元のメール", "以下元のメール",
	}
)

// plainByFirst and dashedByFirst are plainCopyMarkers and
// dashedCopyMarkers by their first byte.
var plainByFirst, dashedByFirst = byFirstByte(plainCopyMarkers), byFirstByte(dashedCopyMarkers)

// byFirstByte groups texts by their first byte.
func byFirstByte(texts []string) *[256][]string {
	var by [256][]string
	for _, t := range texts {
		by[t[0]] = append(by[t[0]], t)
	}
	return &by
}

// copyMarker finds the first copy-marker line in body and returns the
// offsets of its start and of its end (the line break), or -1, -1. When
// fields is not nil, it also notes there the lines before the marker
// line that begin with one of inlineHeaderFields.
func copyMarker(body string, fields *fieldLines) (int, int) {
	for off := 0; off < len(body); {
		end := strings.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off
		}
		if fields != nil && off > 0 {
			fields.note(body, off)
		}
		line := trimQuote(body[off:end])
		if line != "" {
			markers := plainByFirst
			if line[0] == '-' {
				markers = dashedByFirst
				line = strings.TrimLeft(line, "-")
				line = strings.TrimPrefix(line, " ")
			}
			if line != "" {
				for _, mk := range markers[literal.LowerByte(line[0])] {
					if hasPrefixLower(line, mk) {
						return off, end
					}
				}
			}
		}
		off = end + 1
	}
	return -1, -1
}

// bounceText returns the part of the body before the returned copy of
// the original message.
func bounceText(body string) string {
	text, _ := bounceSplit(body)
	return text
}

// bounceSplit is bounceText that also returns the end of the copy-marker
// line, or -1 when the body has none.
func bounceSplit(body string) (text string, markEnd int) {
	fields := newFieldLines()
	if start, end := copyMarker(body, &fields); start >= 0 {
		return body[:start], end
	}
	if k := fields.headerStart(body); k >= 0 {
		return body[:k], -1
	}
	return body, -1
}

// trimQuote returns line without its leading blanks and quote marks, as
// strings.TrimLeft(line, " \t>") does.
func trimQuote(line string) string {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '>') {
		i++
	}
	return line[i:]
}

// inlineHeaderFields begin the fields that only a message header has, in
// the order originalHeaderStart tries them.
var inlineHeaderFields = [...]string{"Return-Path:", "Received: from", "DKIM-Signature:", "X-Received:", "ARC-Seal:"}

// fieldLines are the offsets of the first line of a text, other than its
// first line, that begins with each of inlineHeaderFields, or -1.
type fieldLines [len(inlineHeaderFields)]int

// newFieldLines returns fieldLines with no line noted.
func newFieldLines() fieldLines {
	var f fieldLines
	for i := range f {
		f[i] = -1
	}
	return f
}

// note notes the line of text that starts at off.
func (f *fieldLines) note(text string, off int) {
	switch text[off] {
	case 'R', 'D', 'X', 'A':
		for i, name := range inlineHeaderFields {
			if f[i] < 0 && strings.HasPrefix(text[off:], name) {
				f[i] = off
			}
		}
	}
}

// headerStart returns the first of the noted lines, in the order of
// inlineHeaderFields, where a header block starts, or -1.
func (f *fieldLines) headerStart(text string) int {
	for _, k := range f {
		if k >= 0 && looksLikeHeader(text[k:]) {
			return k
		}
	}
	return -1
}

// originalHeaderStart finds a returned header block written inline in
// the text without a marker: a line beginning with a field that only a
// message header has, followed by more header lines. The fields are
// tried in the order of inlineHeaderFields, each at the first line (not
// the first of the text) that begins with it.
func originalHeaderStart(body string) int {
	f := newFieldLines()
	for off := strings.IndexByte(body, '\n') + 1; off > 0 && off < len(body); {
		f.note(body, off)
		k := strings.IndexByte(body[off:], '\n')
		if k < 0 {
			break
		}
		off += k + 1
	}
	return f.headerStart(body)
}

// originalInBody is originalInText(m.body) without looking again when
// the bounce text is the whole body (then the body has neither a copy
// marker nor an inline header block, and holds no returned header), and
// without searching again for the copy marker that bounceText found.
func originalInBody(m *message) (Original, bool) {
	if len(m.bounceText()) == len(m.body) {
		return Original{}, false
	}
	return originalAfterMarker(m.body, m.markEnd)
}

// originalInText finds the header of the returned message in plain text,
// after a copy marker or where a header block starts.
func originalInText(body string) (Original, bool) {
	_, markEnd := copyMarker(body, nil)
	return originalAfterMarker(body, markEnd)
}

// originalAfterMarker is originalInText given the end of body's
// copy-marker line (-1 for none).
func originalAfterMarker(body string, markEnd int) (Original, bool) {
	start := -1
	if markEnd >= 0 {
		rest := body[markEnd:]
		// Skip to the first header line after the marker line.
		lines := strings.SplitAfter(rest, "\n")
		off := markEnd
		for i, l := range lines {
			if i > 12 {
				break
			}
			t := strings.TrimLeft(l, " \t>")
			if isFieldLine(t) && looksLikeHeader(strings.TrimLeft(body[off:], " \t>")) {
				start = off
				break
			}
			off += len(l)
		}
	}
	if start < 0 {
		start = originalHeaderStart(body)
	}
	if start < 0 {
		return Original{}, false
	}
	block := body[start:]
	if k := strings.Index(block, "\n\n"); k >= 0 {
		block = block[:k]
	}
	fs := parseFields(block)
	for i := range fs {
		fs[i].Value = decodeHeader(fs[i].Value)
	}
	o := originalFrom(fs)
	return o, o.MessageID != "" || o.Subject != "" || o.From != "" || o.To != ""
}

// ignoredLocalParts are mailbox names of mail systems, which bounce text
// names without being the failed recipient.
var ignoredLocalParts = map[string]bool{
	"postmaster": true, "mailer-daemon": true, "mailerdaemon": true, "abuse": true,
	"hostmaster": true, "noreply": true, "no-reply": true, "root": true, "double-bounce": true,
}

// skipAddress reports whether an address found in bounce text is not a
// recipient: a mail system mailbox or the report's own sender.
func skipAddress(addr string, m *message) bool {
	local, domain, _ := strings.Cut(strings.ToLower(addr), "@")
	if ignoredLocalParts[local] {
		return true
	}
	if domain == "" || strings.HasSuffix(domain, ".png") || strings.HasSuffix(domain, ".gif") {
		return true
	}
	if f := cleanAddress(m.from); f != "" && strings.EqualFold(f, addr) {
		return true
	}
	return false
}

// detectGeneric is the fallback for layouts no other detector knows: it
// takes the addresses named in the bounce text (or in X-Failed-Recipients)
// and, for each, the reply that follows it.
func detectGeneric(m *message) []Recipient {
	text := m.bounceText()
	var addrs []string
	seen := map[string]bool{}
	add := func(a string) {
		a = cleanAddress(a)
		k := strings.ToLower(a)
		if a == "" || seen[k] || !strings.Contains(a, "@") {
			return
		}
		seen[k] = true
		addrs = append(addrs, a)
	}
	for a := range strings.SplitSeq(m.get("X-Failed-Recipients"), ",") {
		add(a)
	}
	// An address inside a server's reply ("553 5.7.1 <me@example.org>:
	// Sender address rejected") is part of the diagnostic, not a failed
	// recipient, unless no address stands outside a reply.
	replies := enhancedcode.Find(text)
	var quoted []string
	// mentions are the places of the addresses in the text, in order;
	// the segment of each recipient runs from its first mention to the
	// next mention of another recipient.
	var mentions []mention
	inReply := replyCursor{replies: replies}
	limit := m.maxAddresses
	if limit <= 0 {
		limit = DefaultMaxAddresses
	}
	n := 0
	for loc := range addressesIn(text) {
		if n++; n > limit {
			m.addressesCut = true
			break
		}
		a := text[loc[0]:loc[1]]
		if skipAddress(a, m) || inURL(text, loc[0]) {
			continue
		}
		mentions = append(mentions, mention{loc[0], loc[1]})
		if inReply.covers(loc[0]) {
			quoted = append(quoted, a)
			continue
		}
		add(a)
	}
	if len(addrs) == 0 {
		for _, a := range quoted {
			add(a)
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	segs := segments(text, addrs, mentions)
	var whole *string
	out := make([]Recipient, 0, len(addrs))
	for i, a := range addrs {
		seg := segs[i]
		diag := strings.TrimLeft(strings.TrimPrefix(diagnosticIn(seg), a), " >:,;")
		if diag == "" {
			if whole == nil {
				d := diagnosticIn(text)
				whole = &d
			}
			diag = *whole
		}
		if diag == "" {
			diag = collapseSpace(strings.ReplaceAll(seg, a, ""))
			diag = strings.Trim(diag, " :<>-")
		}
		out = append(out, Recipient{Recipient: a, Diagnostic: diag})
	}
	return out
}

// replyCursor answers whether an offset lies inside a reply, for offsets
// given in increasing order, walking the replies once.
type replyCursor struct {
	replies []enhancedcode.Reply
	next    int // the replies before next start before the last offset
	maxEnd  int // the furthest end of those replies that carry a code
}

// covers reports whether offset i lies in the text of a reply, after its
// codes. Offsets must not decrease from call to call.
func (c *replyCursor) covers(i int) bool {
	for c.next < len(c.replies) && c.replies[c.next].Start < i {
		if r := c.replies[c.next]; r.Code != 0 || !r.Enhanced.IsZero() {
			c.maxEnd = max(c.maxEnd, r.End)
		}
		c.next++
	}
	return c.maxEnd > i
}

// A mention is the place of an address in a text.
type mention struct{ start, end int }

// segments returns, for each address, the text from its first mention to
// the next mention of a different address of addrs (the end of the text
// when none follows), or "" when the text does not mention it. Addresses
// compare without regard to ASCII case. The work is linear in the number
// of mentions and the length of the segments.
func segments(text string, addrs []string, mentions []mention) []string {
	index := make(map[string]int, len(addrs))
	for i, a := range addrs {
		index[literal.LowerASCII(a)] = i
	}
	// which[k] is the address of mention k, -1 for an address that is
	// not a recipient.
	first := make([]int, len(addrs))
	for i := range first {
		first[i] = -1
	}
	var ks []int  // mentions of recipients, in order
	var who []int // their addresses
	for k, mt := range mentions {
		i, ok := index[literal.LowerASCII(cleanAddress(text[mt.start:mt.end]))]
		if !ok {
			continue
		}
		if first[i] < 0 {
			first[i] = len(ks)
		}
		ks = append(ks, k)
		who = append(who, i)
	}
	// nextOther[j] is the first recipient mention after j that names a
	// different address, len(ks) when there is none.
	nextOther := make([]int, len(ks))
	for j := len(ks) - 1; j >= 0; j-- {
		switch {
		case j == len(ks)-1:
			nextOther[j] = len(ks)
		case who[j+1] != who[j]:
			nextOther[j] = j + 1
		default:
			nextOther[j] = nextOther[j+1]
		}
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		j := first[i]
		if j < 0 {
			// Named only outside the text (X-Failed-Recipients).
			if k := indexFold(text, a); k >= 0 {
				out[i] = text[k:]
			}
			continue
		}
		start := mentions[ks[j]].start
		end := len(text)
		if n := nextOther[j]; n < len(ks) {
			end = mentions[ks[n]].start
		}
		out[i] = text[start:end]
	}
	return out
}

// inURL reports whether the match at i is part of a URL.
func inURL(text string, i int) bool {
	k := strings.LastIndexAny(text[:i], " \t\n<(\"'")
	word := text[k+1 : i]
	return strings.Contains(word, "://") || strings.Contains(word, "mailto:")
}

// indexFold is strings.Index ignoring the case of ASCII letters. Offsets
// stay those of s, whatever else s holds.
func indexFold(s, sub string) int {
	return strings.Index(literal.LowerASCII(s), literal.LowerASCII(sub))
}

// diagnosticIn returns the paragraph of text that holds its first
// failure reply, unfolded onto one line, or "".
func diagnosticIn(text string) string {
	for _, r := range enhancedcode.Find(text) {
		if !r.Temporary() && !r.Permanent() {
			continue
		}
		start := strings.LastIndex(text[:r.Start], "\n\n")
		if start < 0 {
			start = 0
		}
		// Begin at the line of the reply when the paragraph is long.
		if ls := strings.LastIndexByte(text[:r.Start], '\n'); ls > start && r.Start-start > 300 {
			start = ls
		}
		end := strings.Index(text[r.Start:], "\n\n")
		if end < 0 {
			end = len(text)
		} else {
			end += r.Start
		}
		return collapseSpace(text[start:end])
	}
	return ""
}
