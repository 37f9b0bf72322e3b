package ndr

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func init() {
	// Names seen in real bounces that go-message's charset table lacks.
	// RegisterEncoding writes a shared map, so it is done once, here.
	for name, enc := range map[string]encoding.Encoding{
		"cp932":          japanese.ShiftJIS,
		"ms932":          japanese.ShiftJIS,
		"x-sjis":         japanese.ShiftJIS,
		"sjis":           japanese.ShiftJIS,
		"shift-jis":      japanese.ShiftJIS,
		"x-ms-cp932":     japanese.ShiftJIS,
		"eucjp":          japanese.EUCJP,
		"x-euc-jp":       japanese.EUCJP,
		"euc-jp-ms":      japanese.EUCJP,
		"iso-2022-jp-2":  japanese.ISO2022JP,
		"iso-2022-jp-3":  japanese.ISO2022JP,
		"csiso2022jp":    japanese.ISO2022JP,
		"uft-8":          unicode.UTF8,
		"utf8":           unicode.UTF8,
		"latin1":         charmap.ISO8859_1,
		"ansi_x3.4-1968": charmap.Windows1252,
	} {
		charset.RegisterEncoding(name, enc)
	}
}

// message is a bounce after the MIME walk: what the detectors look at.
type message struct {
	// header is the top-level header, values as given.
	header []Field
	// subject and from are decoded top-level fields.
	subject string
	from    string
	// mediaType is the top-level media type, lower case; reportType its
	// report-type parameter.
	mediaType  string
	reportType string
	// body is the human-readable text: every text part outside returned
	// messages, decoded to UTF-8 and joined; for a message without MIME
	// structure, the whole body.
	body string
	// raw is the whole input after newline normalisation.
	raw string
	// dsn holds the parsed delivery-status parts.
	dsn *deliveryStatus
	// original is the returned message's header, when one was found.
	original    Original
	hasOriginal bool
	// feedback holds the fields of an ARF message/feedback-report part.
	feedback []Field
	warnings []Warning
	parts    int
	// pasted is true for bounce text given without a message header.
	pasted bool
	// lowerBody and lowerSubject are body and subject with ASCII letters
	// lower-cased (same length and offsets as the originals), made once
	// so that detectors can test their markers with strings.Contains.
	lowerBody    string
	lowerSubject string
	// bounce caches bounceText(body).
	bounce    string
	hasBounce bool
}

// bounceText returns the part of the body before the returned copy of
// the original message, computed once per message.
func (m *message) bounceText() string {
	if !m.hasBounce {
		m.bounce, m.hasBounce = bounceText(m.body), true
	}
	return m.bounce
}

// prepare fills the derived fields once the body is known.
func (m *message) prepare() {
	m.lowerBody = lowerASCII(m.body)
	m.lowerSubject = lowerASCII(m.subject)
}

// lowerASCII lower-cases the ASCII letters of s and keeps every other
// byte, so that offsets in the result are offsets in s.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// get returns the first top-level header field named name, or "".
func (m *message) get(name string) string {
	for _, f := range m.header {
		if equalFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// walker reads a message into a *message within the limits.
type walker struct {
	m    *message
	opts *Options
	// truncated is set once a truncation was reported, so that the end
	// of the input is reported once, not again by every enclosing part.
	truncated bool
}

// readMessage parses normalised input.
func readMessage(b []byte, opts *Options) (*message, error) {
	m := &message{raw: string(b)}
	w := &walker{m: m, opts: opts}
	e, err := gomessage.Read(bytes.NewReader(b))
	if err != nil && e == nil {
		// Not even a header: treat the whole input as text.
		m.body = m.raw
		m.warnings = append(m.warnings, Warning{Err: fmt.Errorf("reading header: %w", err)})
		return m, nil
	}
	if err != nil && gomessage.IsUnknownCharset(err) {
		m.warnings = append(m.warnings, Warning{Err: charsetError(e)})
	}
	m.header = fieldsOf(e.Header.Header)
	m.subject = decodeHeader(e.Header.Get("Subject"))
	m.from = decodeHeader(e.Header.Get("From"))
	mt, params, _ := e.Header.ContentType()
	m.mediaType = strings.ToLower(mt)
	m.reportType = strings.ToLower(params["report-type"])
	var texts []string
	if err := w.entity(e, "", 0, &texts); err != nil {
		return nil, err
	}
	m.body = strings.Join(texts, "\n")
	if strings.TrimSpace(m.body) == "" && m.dsn == nil {
		// A broken structure exposed no text: fall back to the raw body.
		if k := strings.Index(m.raw, "\n\n"); k >= 0 {
			m.body = m.raw[k+2:]
		}
	}
	return m, nil
}

// entity walks one entity. path is its dotted part number, depth its
// nesting depth; text parts are appended to texts.
func (w *walker) entity(e *gomessage.Entity, path string, depth int, texts *[]string) error {
	if depth > w.opts.MaxDepth {
		return &LimitError{What: "depth", Limit: w.opts.MaxDepth}
	}
	w.m.parts++
	if w.m.parts > w.opts.MaxParts {
		return &LimitError{What: "parts", Limit: w.opts.MaxParts}
	}
	mt, params, err := e.Header.ContentType()
	if err != nil || mt == "" {
		mt = "text/plain"
	}
	mt = strings.ToLower(mt)
	if mr := e.MultipartReader(); mr != nil {
		var alternatives [][]string
		isAlt := mt == "multipart/alternative"
		for i := 1; ; i++ {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			sub := joinPath(path, i)
			if err != nil && p == nil {
				if !w.truncated {
					w.m.warnings = append(w.m.warnings, Warning{Part: path, Err: fmt.Errorf("%w (%v)", ErrTruncated, err)})
				}
				break
			}
			if err != nil && gomessage.IsUnknownCharset(err) {
				w.m.warnings = append(w.m.warnings, Warning{Part: sub, Err: charsetError(p)})
			}
			var t []string
			if err := w.entity(p, sub, depth+1, &t); err != nil {
				return err
			}
			if isAlt {
				alternatives = append(alternatives, t)
			} else {
				*texts = append(*texts, t...)
			}
		}
		if isAlt {
			*texts = append(*texts, pickAlternative(alternatives)...)
		}
		return nil
	}
	switch mt {
	case "message/delivery-status", "message/global-delivery-status":
		body, err := w.readBody(e, path)
		if err != nil {
			return err
		}
		ds := parseDeliveryStatus(body, mt == "message/global-delivery-status")
		if w.m.dsn == nil {
			w.m.dsn = ds
		} else {
			w.m.dsn.Recipients = append(w.m.dsn.Recipients, ds.Recipients...)
		}
	case "message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers", "message/partial":
		if !w.m.hasOriginal {
			w.m.original, w.m.hasOriginal = readOriginal(e.Body)
		}
	case "message/feedback-report":
		body, err := w.readBody(e, path)
		if err != nil {
			return err
		}
		w.m.feedback = parseFields(body)
	default:
		if strings.HasPrefix(mt, "text/") || mt == "message/disposition-notification" {
			body, err := w.readBody(e, path)
			if err != nil {
				return err
			}
			if strings.Contains(mt, "html") {
				body = htmlText(body)
			}
			if _, ok := params["charset"]; !ok && !utf8.ValidString(body) {
				body = decodeUnlabelled(body)
			}
			*texts = append(*texts, body)
		}
	}
	return nil
}

// charsetError describes an entity whose charset could not be decoded.
func charsetError(e *gomessage.Entity) error {
	_, params, _ := e.Header.ContentType()
	return fmt.Errorf("%w %q: the text is kept undecoded", ErrUnknownCharset, params["charset"])
}

// readBody reads a leaf body within the size limit, normalising newlines
// (a base64 body may carry CRLF of its own).
func (w *walker) readBody(e *gomessage.Entity, path string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(e.Body, int64(w.opts.MaxSize)+1))
	if len(b) > w.opts.MaxSize {
		return "", &LimitError{What: "size", Limit: w.opts.MaxSize}
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w (%v)", ErrTruncated, err)
			w.truncated = true
		}
		w.m.warnings = append(w.m.warnings, Warning{Part: path, Err: err})
	}
	return string(normalizeNewlines(b)), nil
}

// pickAlternative keeps the first alternative that has text: plain text
// comes first in well-formed messages.
func pickAlternative(alts [][]string) []string {
	for _, a := range alts {
		if strings.TrimSpace(strings.Join(a, "")) != "" {
			return a
		}
	}
	return nil
}

func joinPath(path string, i int) string {
	if path == "" {
		return strconv.Itoa(i)
	}
	return path + "." + strconv.Itoa(i)
}

// fieldsOf lists a header's fields in order, values unfolded and decoded.
func fieldsOf(h textproto.Header) []Field {
	var out []Field
	fs := h.Fields()
	for fs.Next() {
		out = append(out, Field{Name: fs.Key(), Value: decodeHeader(fs.Value())})
	}
	return out
}

// readOriginal reads the header of a returned message. It reads no
// further than the header.
func readOriginal(r io.Reader) (Original, bool) {
	br := bufio.NewReader(io.LimitReader(r, 1<<20))
	h, err := textproto.ReadHeader(br)
	if err != nil && h.Len() == 0 {
		return Original{}, false
	}
	return originalFrom(fieldsOf(h)), h.Len() > 0
}

// originalFrom fills an Original from header fields.
func originalFrom(fields []Field) Original {
	o := Original{Header: fields}
	o.MessageID = strings.TrimSpace(o.Get("Message-Id"))
	o.From = o.Get("From")
	o.To = o.Get("To")
	o.Subject = o.Get("Subject")
	if t, err := mailDate(o.Get("Date")); err == nil {
		o.Date = t
	}
	return o
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeHeader decodes RFC 2047 encoded words and raw ISO-2022-JP or
// 8-bit Japanese text in a header value. Undecodable text is kept as it is.
func decodeHeader(s string) string {
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		}
	}
	if strings.Contains(s, "\x1b$") || !utf8.ValidString(s) {
		s = decodeUnlabelled(s)
	}
	return s
}

// decodeUnlabelled decodes text whose charset is not declared: ISO-2022-JP
// when it has its escape sequences, else Shift_JIS or EUC-JP when the
// bytes decode cleanly, else Windows-1252.
func decodeUnlabelled(s string) string {
	try := func(enc encoding.Encoding) (string, bool) {
		d, err := enc.NewDecoder().String(s)
		if err != nil || strings.ContainsRune(d, utf8.RuneError) {
			return "", false
		}
		return d, true
	}
	if strings.Contains(s, "\x1b$") || strings.Contains(s, "\x1b(") {
		if d, ok := try(japanese.ISO2022JP); ok {
			return d
		}
	}
	if utf8.ValidString(s) {
		return s
	}
	for _, enc := range []encoding.Encoding{japanese.ShiftJIS, japanese.EUCJP} {
		if d, ok := try(enc); ok {
			return d
		}
	}
	d, _ := charmap.Windows1252.NewDecoder().String(s)
	return d
}

// htmlText turns HTML into plain text well enough for matching: tags are
// dropped, block ends become line ends and common entities are decoded.
func htmlText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '<' {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		tag := strings.ToLower(s[i+1 : i+end])
		f := strings.Fields(tag)
		if len(f) == 0 {
			i += end + 1
			continue
		}
		name := strings.TrimLeft(f[0], "/")
		switch name {
		case "br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4":
			b.WriteByte('\n')
		case "td", "th":
			b.WriteByte(' ')
		case "style", "script":
			if !strings.HasPrefix(tag, "/") {
				if k := strings.Index(strings.ToLower(s[i:]), "</"+name); k >= 0 {
					i += k
					continue
				}
			}
		}
		i += end + 1
	}
	r := strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")
	return r.Replace(b.String())
}
