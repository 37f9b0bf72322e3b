package mime

import (
	"bytes"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Normalize turns CRLF and CR-only line ends into LF, so that every
// newline convention gives the same result, and removes a leading mbox
// "From " line. Only the first message of an mbox is kept.
func Normalize(b []byte) []byte {
	return FirstMessage(NormalizeNewlines(b))
}

// FirstMessage returns the first message of LF-normalised input, without
// its leading mbox "From " line (see StripMboxLine) and up to the next
// message's (see NextMboxMessage). It reads the first message only.
func FirstMessage(b []byte) []byte {
	b = StripMboxLine(b)
	if k := NextMboxMessage(b); k >= 0 {
		b = b[:k]
	}
	return b
}

// StripMboxLine removes leading blank lines and a leading mbox "From "
// line from LF-normalised input. A line that only begins with "From "
// ("From the remote server ...") is kept: it must be followed by a
// header field or carry the mbox date.
func StripMboxLine(b []byte) []byte {
	for len(b) > 0 && b[0] == '\n' {
		b = b[1:]
	}
	if bytes.HasPrefix(b, []byte("From ")) && (looksLikeMboxSeparator(b) || hasMboxDate(b)) {
		if k := bytes.IndexByte(b, '\n'); k >= 0 {
			return b[k+1:]
		}
		return nil
	}
	return b
}

// NextMboxMessage returns the offset of the "From " line that starts a
// second message in b (or of the blank line before it), or -1. The line
// must carry the mbox date, with or without a blank line before it.
func NextMboxMessage(b []byte) int {
	off := 0
	for {
		k := bytes.Index(b[off:], []byte("\nFrom "))
		if k < 0 {
			return -1
		}
		at := off + k + 1
		blank := at >= 2 && b[at-2] == '\n'
		if looksLikeMboxSeparator(b[at:]) && hasMboxDate(b[at:]) {
			if blank {
				// The blank line belongs to the separator.
				return at - 1
			}
			return at
		}
		off = at
	}
}

// hasMboxDate reports whether the "From " line at the start of b carries
// an mbox (asctime) date: a time of day and a four-digit year after the
// sender ("From addr Thu Jul  2 12:05:05 2020", a zone may follow).
func hasMboxDate(b []byte) bool {
	line := b
	if k := bytes.IndexByte(b, '\n'); k >= 0 {
		line = b[:k]
	}
	f := strings.Fields(string(line))
	if len(f) < 6 {
		return false
	}
	clock, year := false, false
	for _, w := range f[2:] {
		switch {
		case strings.Count(w, ":") == 2 && len(w) == 8:
			clock = true
		case len(w) == 4 && strings.Trim(w, "0123456789") == "":
			year = true
		}
	}
	return clock && year
}

// NormalizeNewlines returns b with CRLF and CR turned into LF. b itself is
// never modified.
func NormalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// looksLikeMboxSeparator reports whether b starts with an mbox "From "
// line followed by a header field, as between two messages of an mbox.
func looksLikeMboxSeparator(b []byte) bool {
	k := bytes.IndexByte(b, '\n')
	if k < 0 {
		return false
	}
	line := string(b[:k])
	next := b[k+1:]
	j := bytes.IndexByte(next, '\n')
	if j < 0 {
		return false
	}
	f := string(next[:j])
	colon := strings.IndexByte(f, ':')
	return colon > 0 && !strings.ContainsAny(f[:colon], " \t") && strings.Count(line, " ") >= 2
}

// LooksLikeHeader reports whether text starts with an RFC 5322 header:
// two or more "Name: value" lines, or one field that only a message
// header has (From, Content-Type, ...) followed by a blank line.
func LooksLikeHeader(text string) bool {
	lines := 0
	first := ""
	// At most the first eight lines.
	for n, end := 0, false; n < 8 && !end; n++ {
		var line string
		line, text, end = textutil.CutLine(text)
		if line == "" {
			return lines >= 2 || lines == 1 && messageFields[strings.ToLower(first)]
		}
		if line[0] == ' ' || line[0] == '\t' {
			if lines == 0 {
				return false
			}
			continue
		}
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || !fieldName(line[:colon]) {
			return false
		}
		if lines == 0 {
			first = line[:colon]
		}
		lines++
	}
	return lines >= 2
}

// fieldName reports whether name can be a header field's name as mail
// software writes them: letters, digits, hyphens, underscores and dots.
// RFC 5322 allows any printable character but the colon, but a pasted
// Postfix paragraph ("<user@example.com>: host ...") is no header.
func fieldName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i] | 0x20
		if !(c >= 'a' && c <= 'z' || name[i] >= '0' && name[i] <= '9' || name[i] == '-' || name[i] == '_' || name[i] == '.') {
			return false
		}
	}
	return true
}

// HeaderStart returns the start of b that looksLikeHeader looks at: its
// first eight lines and the line end after them.
func HeaderStart(b []byte) string {
	k := 0
	for range 8 {
		i := bytes.IndexByte(b[k:], '\n')
		if i < 0 {
			return string(b)
		}
		k += i + 1
	}
	return string(b[:k])
}

// messageFields are header fields that begin a message rather than a
// pasted piece of a report.
var messageFields = map[string]bool{
	"from": true, "to": true, "subject": true, "date": true, "content-type": true,
	"mime-version": true, "message-id": true, "return-path": true, "received": true,
}
