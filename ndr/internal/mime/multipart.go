package mime

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// multipartReader splits a multipart body into its parts. Like
// go-message it skips the preamble, ends a part at a line that starts
// with the delimiter followed by white space, a line end, "-" or the end
// of the input, and reports an error when the closing delimiter is
// missing or a stray line follows a part.
type multipartReader struct {
	body  string
	dash  string // "--" + boundary
	pos   int
	parts int
}

func newMultipartReader(body, boundary string) *multipartReader {
	return &multipartReader{body: body, dash: "--" + boundary}
}

// next returns the next part's text (header and body) and whether its body
// ran to the end without a delimiter. It returns io.EOF after the closing
// delimiter and another error when the structure is broken.
func (r *multipartReader) next() (part string, cut bool, err error) {
	if r.dash == "--" {
		return "", false, errors.New("multipart boundary is empty")
	}
	expectNew := false
	for {
		if r.pos >= len(r.body) {
			return "", false, errors.New("multipart: no closing delimiter")
		}
		end := textutil.LineEnd(r.body, r.pos)
		line := r.body[r.pos:end]
		atEOF := end >= len(r.body)
		r.pos = end + 1
		if r.isDelimiter(line) && !atEOF {
			r.parts++
			start := r.pos
			stop, found := r.partEnd(start)
			r.pos = stop
			return r.body[start:stop], !found, nil
		}
		if r.isClose(line) {
			return "", false, io.EOF
		}
		if atEOF {
			return "", false, errors.New("multipart: no closing delimiter")
		}
		if expectNew {
			return "", false, fmt.Errorf("multipart: a delimiter was expected, got %q", textutil.Clip(line, 60))
		}
		if r.parts == 0 {
			continue
		}
		if line == "" {
			expectNew = true
			continue
		}
		return "", false, fmt.Errorf("multipart: unexpected line %q", textutil.Clip(line, 60))
	}
}

// isDelimiter reports whether line is "--boundary" with optional white
// space after it.
func (r *multipartReader) isDelimiter(line string) bool {
	rest, ok := strings.CutPrefix(line, r.dash)
	return ok && textutil.TrimBlank(rest) == ""
}

// isClose reports whether line is the closing "--boundary--".
func (r *multipartReader) isClose(line string) bool {
	rest, ok := strings.CutPrefix(line, r.dash)
	if !ok || !strings.HasPrefix(rest, "--") {
		return false
	}
	return textutil.TrimBlank(rest[2:]) == ""
}

// partEnd finds where the part starting at start ends: the line feed
// before the next delimiter line. found is false when the part runs to
// the end of the body.
func (r *multipartReader) partEnd(start int) (end int, found bool) {
	s := r.body
	if strings.HasPrefix(s[start:], r.dash) && delimiterFollows(s, start+len(r.dash)) {
		return start, true
	}
	for i := start; ; {
		k := strings.Index(s[i:], r.dash)
		if k < 0 {
			return len(s), false
		}
		at := i + k
		if at > start && s[at-1] == '\n' && delimiterFollows(s, at+len(r.dash)) {
			return at - 1, true
		}
		i = at + 1
	}
}

// delimiterFollows reports whether the byte at i ends a delimiter.
func delimiterFollows(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	switch s[i] {
	case ' ', '\t', '\r', '\n', '-':
		return true
	}
	return false
}
