package mime

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"

	"github.com/ndrkit/ndrkit/internal/literal"
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

// contentType is a parsed Content-Type field.
type contentType struct {
	// mediaType is the lower-case media type; "" when the field is absent
	// or cannot be parsed.
	mediaType string
	// multipart is set for a multipart type with its boundary.
	multipart bool
	boundary  string
	// charset is the charset parameter; hasCharset tells whether the
	// parameter was given.
	charset    string
	hasCharset bool
	reportType string
}

// parseContentType parses a Content-Type value the way mime.ParseMediaType
// does. A value that does not parse has no media type; parameter values
// carrying RFC 2047 encoded words are decoded.
func parseContentType(v string) contentType {
	if v == "" {
		return contentType{}
	}
	if ct, ok := parseSimpleContentType(v); ok {
		return ct
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		// An unparsable value may still name a multipart type, which then
		// has no usable boundary.
		return contentType{multipart: strings.HasPrefix(v, "multipart/")}
	}
	ct := contentType{mediaType: mt}
	ct.charset, ct.hasCharset = params["charset"]
	ct.charset = paramValue(ct.charset)
	ct.reportType = strings.ToLower(paramValue(params["report-type"]))
	if strings.HasPrefix(mt, "multipart/") {
		ct.multipart = true
		ct.boundary = paramValue(params["boundary"])
	}
	return ct
}

// parseSimpleContentType parses the common shape of a Content-Type
// value, a media type and parameters with token or quoted-string values
// without escapes, without allocating. ok is false for anything else
// (RFC 2231 parameters, escapes, comments, repeated parameters), which
// mime.ParseMediaType then reads.
func parseSimpleContentType(v string) (ct contentType, ok bool) {
	mt, rest, _ := strings.Cut(v, ";")
	mt = strings.TrimSpace(mt)
	typ, sub, found := strings.Cut(mt, "/")
	if !found || !isToken(typ) || !isToken(sub) {
		return contentType{}, false
	}
	ct.mediaType = literal.LowerASCII(mt)
	ct.multipart = strings.HasPrefix(ct.mediaType, "multipart/")
	var keys [8]string
	n := 0
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 || n == len(keys) {
			return contentType{}, false
		}
		key := strings.TrimRight(rest[:eq], " \t")
		if !isToken(key) || strings.Contains(key, "*") {
			return contentType{}, false
		}
		for _, k := range keys[:n] {
			if strings.EqualFold(k, key) {
				return contentType{}, false
			}
		}
		keys[n] = key
		n++
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexAny(rest[1:], "\"\\\r\n")
			if end < 0 || rest[1+end] != '"' {
				return contentType{}, false
			}
			val, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := 0
			for end < len(rest) && isTokenByte(rest[end]) {
				end++
			}
			if end == 0 {
				return contentType{}, false
			}
			val, rest = rest[:end], rest[end:]
		}
		if strings.Contains(val, "=?") {
			return contentType{}, false
		}
		switch {
		case strings.EqualFold(key, "boundary"):
			if ct.multipart {
				ct.boundary = val
			}
		case strings.EqualFold(key, "charset"):
			ct.charset, ct.hasCharset = val, true
		case strings.EqualFold(key, "report-type"):
			ct.reportType = literal.LowerASCII(val)
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		if rest[0] != ';' {
			return contentType{}, false
		}
		rest = rest[1:]
	}
	return ct, true
}

// isToken reports whether s is a non-empty RFC 2045 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool { return tokenBytes[c] }

// tokenBytes marks the bytes allowed in an RFC 2045 token: printable
// ASCII except the tspecials.
var tokenBytes = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`()<>@,;:\"/[]?=`, c)
	}
	return t
}()

// paramValue decodes encoded words in a parameter value.
func paramValue(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			return d
		}
	}
	return v
}

// errUnknownEncoding reports a Content-Transfer-Encoding that cannot be
// decoded; the body is then kept as it is.
var errUnknownEncoding = errors.New("unknown transfer encoding")

// decodeTransfer undoes a Content-Transfer-Encoding. It returns what
// could be decoded with an error when the encoding is broken or unknown.
func decodeTransfer(body, enc string) (string, error) {
	switch {
	case enc == "", strings.EqualFold(enc, "7bit"), strings.EqualFold(enc, "8bit"), strings.EqualFold(enc, "binary"):
		return body, nil
	case strings.EqualFold(enc, "base64"):
		return decodeBase64(body)
	case strings.EqualFold(enc, "quoted-printable"):
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		return string(b), err
	}
	return body, fmt.Errorf("%w %q: the body is kept encoded", errUnknownEncoding, enc)
}

// decodeBase64 decodes a base64 body, ignoring white space. Input cut in
// the middle of a group is decoded up to the last whole group and
// reported as io.ErrUnexpectedEOF.
func decodeBase64(body string) (string, error) {
	clean := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case ' ', '\t', '\r', '\n':
		default:
			clean = append(clean, c)
		}
	}
	whole := len(clean) / 4 * 4
	out := make([]byte, base64.StdEncoding.DecodedLen(whole))
	n, err := base64.StdEncoding.Decode(out, clean[:whole])
	if err != nil {
		var corrupt base64.CorruptInputError
		if errors.As(err, &corrupt) {
			// Keep the groups before the bad one.
			good := int(corrupt) / 4 * 4
			n, _ = base64.StdEncoding.Decode(out, clean[:good])
		}
		return string(out[:n]), err
	}
	if whole < len(clean) {
		return string(out[:n]), io.ErrUnexpectedEOF
	}
	return string(out[:n]), nil
}

// decodeCharset decodes text in the named charset to UTF-8. UTF-8 and
// ASCII, and ASCII-only text in a charset that is a superset of ASCII,
// are returned as they are. An unknown charset is an error, and the text
// is returned undecoded.
func decodeCharset(text, label string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == "utf-8" || l == "us-ascii" {
		return text, nil
	}
	if isPlainASCII(text) && commonASCIICharsets[l] {
		return text, nil
	}
	if enc := charsetEncoding(l); enc != nil {
		if isPlainASCII(text) && asciiCompatible(l) {
			return text, nil
		}
		d, err := enc.NewDecoder().String(text)
		if err != nil {
			return text, err
		}
		return d, nil
	}
	r, err := charset.Reader(l, strings.NewReader(text))
	if err != nil {
		return text, err
	}
	if isPlainASCII(text) && asciiCompatible(l) {
		return text, nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return text, err
	}
	return string(b), nil
}

// charsetEncoding finds the encoding of a lower-case charset label the
// way go-message's charset package does, for the labels it finds in
// charsetAliases or the IANA registry; nil means the label is left to
// charset.Reader (its own quirks table, "cs" names, the WHATWG names, and
// the error for an unknown charset).
func charsetEncoding(label string) encoding.Encoding {
	if enc, ok := charsetAliases[label]; ok {
		return enc
	}
	switch label {
	case "ansi_x3.110-1983", "x-utf_8j":
		// In go-message's quirks table.
		return nil
	}
	enc, err := ianaindex.MIME.Encoding(label)
	if err != nil {
		return nil
	}
	return enc
}

// commonASCIICharsets are charsets found in bounces that encode ASCII text
// as ASCII: text in them with only 7-bit bytes needs no decoder.
var commonASCIICharsets = map[string]bool{
	"ascii": true, "iso-8859-1": true, "iso-8859-15": true, "windows-1252": true,
	"iso-2022-jp": true, "shift_jis": true, "euc-jp": true, "windows-31j": true,
	"cp932": true, "utf8": true, "gb2312": true, "gbk": true, "big5": true,
	"euc-kr": true, "ks_c_5601-1987": true, "koi8-r": true, "windows-1251": true,
}

// isPlainASCII reports whether s has only 7-bit bytes and no escape,
// which every ASCII-compatible charset decodes to itself.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == 0x1b || c == 0 {
			return false
		}
	}
	return true
}

// asciiCompatible reports whether a charset encodes ASCII text as ASCII
// bytes. UTF-7, the UTF-16 and UTF-32 families and EBCDIC code pages do
// not.
func asciiCompatible(label string) bool {
	switch {
	case strings.Contains(label, "utf-7"), strings.Contains(label, "utf7"),
		strings.Contains(label, "16"), strings.Contains(label, "32"),
		strings.Contains(label, "ucs"), strings.Contains(label, "ebcdic"),
		strings.Contains(label, "ibm0"), strings.Contains(label, "037"),
		strings.Contains(label, "1047"), strings.Contains(label, "1140"):
		return false
	}
	return true
}

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
