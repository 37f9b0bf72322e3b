package mime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// The MIME layer below works on the normalised input held in memory:
// headers, parts and bodies are substrings of it, and only bodies that
// need decoding (a transfer encoding, a charset other than UTF-8 or
// ASCII) are copied. It follows go-message's reading of headers and
// multipart bodies, so that a message reads the same as through
// go-message's Entity walk, without a buffered reader per part.

// errMalformedHeader is returned for a header line that is neither a
// field nor a continuation.
var errMalformedHeader = errors.New("malformed header line")

// headerReader iterates over the fields of a header block.
type headerReader struct {
	s   string
	pos int
}

// next returns the next field. The name is as written, the value as
// written after the colon, line breaks included (see unfoldValue). ok
// is false at the end of the header, where rest is the offset of the
// body; err is set for a malformed header.
func (h *headerReader) next() (name, value string, ok bool, err error) {
	for {
		s := h.s
		if h.pos == 0 && len(s) > 0 && textutil.IsBlank(s[0]) {
			return "", "", false, fmt.Errorf("%w: header starts with white space", errMalformedHeader)
		}
		if h.pos >= len(s) {
			return "", "", false, nil
		}
		// The first physical line of the field.
		start := h.pos
		end := textutil.LineEnd(s, start)
		if end == start {
			// The blank line that ends the header.
			h.pos = end + 1
			return "", "", false, nil
		}
		next := end + 1
		for next < len(s) && textutil.IsBlank(s[next]) {
			next = textutil.LineEnd(s, next) + 1
		}
		if next > len(s) {
			next = len(s)
		}
		h.pos = next
		line := s[start:next]
		colon := strings.IndexByte(line, ':')
		if colon < 0 || colon > end-start {
			return "", "", false, fmt.Errorf("%w: %q", errMalformedHeader, textutil.Clip(s[start:end], 60))
		}
		key := textutil.TrimBlank(line[:colon])
		for i := 0; i < len(key); i++ {
			if c := key[i]; c < 33 || c > 126 {
				return "", "", false, fmt.Errorf("%w: field name %q", errMalformedHeader, textutil.Clip(key, 60))
			}
		}
		if key == "" {
			continue
		}
		return key, strings.TrimSuffix(line[colon+1:], "\n"), true, nil
	}
}

// body returns the text after the header; valid once next has reported
// the end of the header.
func (h *headerReader) body() string {
	if h.pos >= len(h.s) {
		return ""
	}
	return h.s[h.pos:]
}

// readFields reads a whole header block, values unfolded. On a malformed
// line it returns the fields read so far with the error.
func readFields(s string) (fields []record.Field, body string, err error) {
	fields, body, err = readRawFields(s)
	for i := range fields {
		fields[i].Value = unfoldValue(fields[i].Value)
	}
	return fields, body, err
}

// readRawFields is readFields with the values as written.
func readRawFields(s string) (fields []record.Field, body string, err error) {
	h := headerReader{s: s}
	fields = make([]record.Field, 0, countFields(s))
	for {
		name, value, ok, err := h.next()
		if err != nil {
			return fields, "", err
		}
		if !ok {
			return fields, h.body(), nil
		}
		fields = append(fields, record.Field{Name: name, Value: value})
	}
}

// countFields estimates the number of fields of the header block that
// starts s: its lines that do not begin with white space.
func countFields(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\n' {
			break
		}
		if !textutil.IsBlank(s[i]) {
			n++
		}
		k := strings.IndexByte(s[i:], '\n')
		if k < 0 {
			break
		}
		i += k + 1
	}
	return n
}

// unfoldValue joins the physical lines of a field value with one space,
// dropping the white space around each line break and empty lines.
func unfoldValue(v string) string {
	v = strings.TrimSuffix(v, "\n")
	if !strings.Contains(v, "\n") {
		return textutil.TrimBlank(strings.TrimSuffix(v, "\r"))
	}
	var b strings.Builder
	b.Grow(len(v))
	for line := range strings.SplitSeq(v, "\n") {
		line = textutil.TrimBlank(strings.TrimSuffix(line, "\r"))
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
	}
	return b.String()
}
