package ndr

import (
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/record"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

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
					if textutil.HasPrefixLower(line, mk) {
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
func originalInBody(m *message) (record.Original, bool) {
	if len(m.bounceText()) == len(m.body) {
		return record.Original{}, false
	}
	return originalAfterMarker(m.body, m.markEnd)
}

// originalInText finds the header of the returned message in plain text,
// after a copy marker or where a header block starts.
func originalInText(body string) (record.Original, bool) {
	_, markEnd := copyMarker(body, nil)
	return originalAfterMarker(body, markEnd)
}

// originalAfterMarker is originalInText given the end of body's
// copy-marker line (-1 for none).
func originalAfterMarker(body string, markEnd int) (record.Original, bool) {
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
			if dsn.IsFieldLine(t) && looksLikeHeader(strings.TrimLeft(body[off:], " \t>")) {
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
		return record.Original{}, false
	}
	block := body[start:]
	if k := strings.Index(block, "\n\n"); k >= 0 {
		block = block[:k]
	}
	fs := dsn.ParseFields(block)
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
	if f := mailaddr.CleanAddress(m.from); f != "" && strings.EqualFold(f, addr) {
		return true
	}
	return false
}

// detectGeneric is the fallback for layouts no other detector knows: it
// takes the addresses named in the bounce text (or in X-Failed-Recipients)
// and, for each, the reply that follows it.
func detectGeneric(m *message) []record.Recipient {
	text := m.bounceText()
	var addrs []string
	seen := map[string]bool{}
	add := func(a string) {
		a = mailaddr.CleanAddress(a)
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
	for _, loc := range mailaddr.AddressIndexes(text) {
		a := text[loc[0]:loc[1]]
		if skipAddress(a, m) || inURL(text, loc[0]) {
			continue
		}
		if insideReply(replies, loc[0]) {
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
	lowText := literal.LowerASCII(text)
	lowAddrs := make([]string, len(addrs))
	for i, a := range addrs {
		lowAddrs[i] = literal.LowerASCII(a)
	}
	var out []record.Recipient
	for _, a := range addrs {
		seg := segmentFor(text, lowText, a, lowAddrs)
		diag := strings.TrimLeft(strings.TrimPrefix(diagnosticIn(seg), a), " >:,;")
		if diag == "" {
			diag = diagnosticIn(text)
		}
		if diag == "" {
			diag = textutil.CollapseSpace(strings.ReplaceAll(seg, a, ""))
			diag = strings.Trim(diag, " :<>-")
		}
		out = append(out, record.Recipient{Recipient: a, Diagnostic: diag})
	}
	return out
}

// insideReply reports whether offset i lies in the text of one of the
// replies, after its codes.
func insideReply(replies []enhancedcode.Reply, i int) bool {
	for _, r := range replies {
		if r.Start < i && i < r.End && (r.Code != 0 || !r.Enhanced.IsZero()) {
			return true
		}
	}
	return false
}

// inURL reports whether the match at i is part of a URL.
func inURL(text string, i int) bool {
	k := strings.LastIndexAny(text[:i], " \t\n<(\"'")
	word := text[k+1 : i]
	return strings.Contains(word, "://") || strings.Contains(word, "mailto:")
}

// segmentFor returns the text from the first mention of addr to the
// first mention of a later address.
// Addresses are compared ignoring ASCII case: low is text and lowAddrs
// the addresses, lower-cased once by the caller.
func segmentFor(text, low, addr string, lowAddrs []string) string {
	la := literal.LowerASCII(addr)
	start := strings.Index(low, la)
	if start < 0 {
		return ""
	}
	end := len(text)
	from := start + len(la)
	for _, other := range lowAddrs {
		if other == la {
			continue
		}
		if k := strings.Index(low[from:], other); k >= 0 && from+k < end {
			end = from + k
		}
	}
	return text[start:end]
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
		return textutil.CollapseSpace(text[start:end])
	}
	return ""
}
