package mime

import (
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// LowerBody returns the body with ASCII letters lower-cased, offsets
// unchanged, made when first asked for: what detectors search for their
// lower-case texts before they run a regular expression.
func LowerBody(m *Message) string {
	if !m.hasLowerBody {
		m.lowerBody, m.hasLowerBody = literal.LowerASCII(m.Body), true
	}
	return m.lowerBody
}

// LowerBounce returns the lower-cased bounce text, the start of
// LowerBody with the same offsets as m.BounceText().
func LowerBounce(m *Message) string {
	return LowerBody(m)[:len(m.BounceText())]
}

// CollapsedBounce returns LowerBounce with each run of white space made
// one space, for texts that a program fills and wraps so that a phrase
// may span lines. It is made once per message.
func CollapsedBounce(m *Message) string {
	if !m.hasCollapsedBounce {
		m.collapsedBounce, m.hasCollapsedBounce = textutil.CollapseSpace(LowerBounce(m)), true
	}
	return m.collapsedBounce
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
// offsets of its start and of its end (the line break), or -1, -1. A
// marker with nothing but blank lines before it does not count: it heads
// a forwarded or pasted copy of the bounce itself ("-----Original
// Message-----" above a report that a user forwarded), not the returned
// copy that follows a report. When fields is not nil, it also notes
// there the lines before the marker line that begin with one of
// inlineHeaderFields.
func copyMarker(body string, fields *fieldLines) (int, int) {
	seen := false // whether a line with text came before
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
		line := TrimQuote(body[off:end])
		if line != "" {
			markers := plainByFirst
			if line[0] == '-' {
				markers = dashedByFirst
				line = strings.TrimLeft(line, "-")
				line = strings.TrimPrefix(line, " ")
			}
			if line != "" {
				for _, mk := range markers[literal.LowerByte(line[0])] {
					if seen && textutil.HasPrefixLower(line, mk) {
						return off, end
					}
				}
				seen = true
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

// TrimQuote returns line without its leading blanks and quote marks, as
// strings.TrimLeft(line, " \t>") does.
func TrimQuote(line string) string {
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
		if k >= 0 && LooksLikeHeader(text[k:]) {
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

// OriginalInBody is originalInText(m.body) without looking again when
// the bounce text is the whole body (then the body has neither a copy
// marker nor an inline header block, and holds no returned header), and
// without searching again for the copy marker that bounceText found.
func OriginalInBody(m *Message) (record.Original, bool) {
	if len(m.BounceText()) == len(m.Body) {
		return record.Original{}, false
	}
	return originalAfterMarker(m.Body, m.markEnd)
}

// OriginalInText finds the header of the returned message in plain text,
// after a copy marker or where a header block starts.
func OriginalInText(body string) (record.Original, bool) {
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
			if dsn.IsFieldLine(t) && LooksLikeHeader(strings.TrimLeft(body[off:], " \t>")) {
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
		fs[i].Value = DecodeHeader(fs[i].Value)
	}
	o := OriginalFrom(fs)
	return o, o.MessageID != "" || o.Subject != "" || o.From != "" || o.To != ""
}
