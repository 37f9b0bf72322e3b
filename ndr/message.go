package ndr

import (
	"context"
	"errors"
	"fmt"
	"github.com/ndrkit/ndrkit/internal/literal"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// charsetAliases are charset names seen in real bounces that go-message's
// charset table lacks.
var charsetAliases = map[string]encoding.Encoding{
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
}

func init() {
	// RegisterEncoding writes a shared map, so it is done once, here.
	for name, enc := range charsetAliases {
		charset.RegisterEncoding(name, enc)
	}
}

// message is a bounce after the MIME walk: what the detectors look at.
type message struct {
	// header is the top-level header. Values are as written until value
	// unfolds and decodes them (ready[i] is then set): most are never read.
	header []Field
	ready  []bool
	// subject and from are decoded top-level fields.
	subject string
	from    string
	// ctx ends the analysis early; nil reads as never ending.
	ctx context.Context
	// maxAddresses caps the address mentions the text scanner reads;
	// addressesCut is set when the scanner stopped there.
	maxAddresses int
	addressesCut bool
	// limit is the limit on parts or depth at which the MIME walk
	// stopped, nil when it read every part.
	limit *LimitError
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
	// lower-cased (same length and offsets as the originals), so that
	// detectors can search for lower-case texts; lowerBody is made when
	// first asked for (see the function lowerBody).
	lowerBody    string
	hasLowerBody bool
	lowerSubject string
	// bounce caches bounceText(body).
	bounce    string
	hasBounce bool
	// markEnd is the end of the copy-marker line that ends the bounce
	// text, or -1; set with bounce.
	markEnd int
	// delayed caches delayedText: 1 yes, -1 no, 0 not asked yet.
	delayed int8
	// markers holds the first offset of every marker in the body, or -1;
	// nil until a detector first asks (see markerAt).
	markers []int32
}

// bounceText returns the part of the body before the returned copy of
// the original message, computed once per message.
func (m *message) bounceText() string {
	if !m.hasBounce {
		m.bounce, m.markEnd = bounceSplit(m.body)
		m.hasBounce = true
	}
	return m.bounce
}

// prepare fills the derived fields once the body is known.
func (m *message) prepare() {
	m.lowerSubject = literal.LowerASCII(m.subject)
}

// get returns the first top-level header field named name, or "".
func (m *message) get(name string) string {
	for i, f := range m.header {
		if equalFold(f.Name, name) {
			return m.value(i)
		}
	}
	return ""
}

// value returns the value of the i-th top-level header field, unfolded and
// decoded when first asked for.
func (m *message) value(i int) string {
	if len(m.ready) != len(m.header) {
		m.ready = make([]bool, len(m.header))
	}
	if !m.ready[i] {
		m.header[i].Value = decodeHeader(unfoldValue(m.header[i].Value))
		m.ready[i] = true
	}
	return m.header[i].Value
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
func readMessage(raw string, opts *Options) (*message, error) {
	m := &message{raw: raw}
	w := &walker{m: m, opts: opts}
	fields, body, err := readRawFields(m.raw)
	if err != nil {
		// Not even a header: treat the whole input as text.
		m.body = m.raw
		m.warnings = append(m.warnings, Warning{Err: fmt.Errorf("reading header: %w", err)})
		return m, nil
	}
	m.header = fields
	m.ready = make([]bool, len(fields))
	ct := parseContentType(m.get("Content-Type"))
	cte := m.get("Content-Transfer-Encoding")
	m.subject = m.get("Subject")
	m.from = m.get("From")
	m.mediaType = ct.mediaType
	m.reportType = ct.reportType
	var texts []string
	if err := w.entity(entity{ct: ct, cte: cte, body: body}, "", 0, &texts); err != nil && err != errWalkStopped {
		return nil, err
	}
	m.body = strings.Join(texts, "\n")
	if strings.TrimSpace(m.body) == "" && m.dsn == nil && m.limit == nil {
		// A broken structure exposed no text: fall back to the raw body.
		if k := strings.Index(m.raw, "\n\n"); k >= 0 {
			m.body = m.raw[k+2:]
		}
	}
	return m, nil
}

// errWalkStopped ends the MIME walk at a limit on parts or depth; what
// was read before it is analysed, with a warning naming the limit.
var errWalkStopped = errors.New("walk stopped at a limit")

// stop records that the walk reached limit at the part path and returns
// errWalkStopped.
func (w *walker) stop(path string, limit *LimitError) error {
	w.m.limit = limit
	w.m.warnings = append(w.m.warnings, Warning{Part: path, Err: fmt.Errorf("%w: the parts after it were not read", limit)})
	return errWalkStopped
}

// entity is a message or one part of it, before decoding.
type entity struct {
	ct  contentType
	cte string
	// body is the undecoded body.
	body string
	// cut is set for a part whose body ran to the end of its enclosing
	// entity without a closing delimiter.
	cut bool
}

// entity walks one entity. path is its dotted part number, depth its
// nesting depth; text parts are appended to texts.
func (w *walker) entity(e entity, path string, depth int, texts *[]string) error {
	if depth > w.opts.MaxDepth {
		return w.stop(path, &LimitError{What: "depth", Limit: w.opts.MaxDepth})
	}
	w.m.parts++
	if w.m.parts > w.opts.MaxParts {
		return w.stop(path, &LimitError{What: "parts", Limit: w.opts.MaxParts})
	}
	mt := e.ct.mediaType
	if mt == "" {
		mt = "text/plain"
	}
	if e.ct.multipart {
		return w.multipart(e, mt, path, depth, texts)
	}
	switch mt {
	case "message/delivery-status", "message/global-delivery-status":
		body, err := w.readBody(e, mt, path)
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
			// Only the header of the returned message is read; a broken
			// transfer encoding leaves what could be decoded.
			body, _ := decodeTransfer(e.body, e.cte)
			w.m.original, w.m.hasOriginal = readOriginal(body)
		}
	case "message/feedback-report":
		body, err := w.readBody(e, mt, path)
		if err != nil {
			return err
		}
		w.m.feedback = parseFields(body)
	default:
		if strings.HasPrefix(mt, "text/") || mt == "message/disposition-notification" {
			body, err := w.readBody(e, mt, path)
			if err != nil {
				return err
			}
			if strings.Contains(mt, "html") {
				body = htmlText(body)
			}
			if !e.ct.hasCharset && !utf8.ValidString(body) {
				body = decodeUnlabelled(body)
			}
			*texts = append(*texts, body)
		}
	}
	return nil
}

// multipart walks the parts of a multipart entity. Of the parts of a
// multipart/alternative, the first with text is kept.
func (w *walker) multipart(e entity, mt, path string, depth int, texts *[]string) error {
	var alternatives [][]string
	isAlt := mt == "multipart/alternative"
	mr := newMultipartReader(e.body, e.ct.boundary)
	for i := 1; ; i++ {
		text, cut, err := mr.next()
		if err == io.EOF {
			break
		}
		var p entity
		if err == nil {
			p, err = readPart(text, cut)
		}
		if err != nil {
			if !w.truncated {
				w.m.warnings = append(w.m.warnings, Warning{Part: path, Err: fmt.Errorf("%w (%v)", ErrTruncated, err)})
			}
			break
		}
		var t []string
		if err := w.entity(p, joinPath(path, i), depth+1, &t); err != nil {
			// Keep the text read before the walk stopped.
			*texts = append(*texts, t...)
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

// readPart reads the header of a body part.
func readPart(text string, cut bool) (entity, error) {
	h := headerReader{s: text}
	var ct, cte string
	var hasCT, hasCTE bool
	for {
		name, value, ok, err := h.next()
		if err != nil {
			return entity{}, err
		}
		if !ok {
			break
		}
		switch {
		case !hasCT && equalFold(name, "Content-Type"):
			ct, hasCT = unfoldValue(value), true
		case !hasCTE && equalFold(name, "Content-Transfer-Encoding"):
			cte, hasCTE = unfoldValue(value), true
		}
	}
	return entity{ct: parseContentType(ct), cte: cte, body: h.body(), cut: cut}, nil
}

// readBody decodes a leaf body within the size limit, normalising
// newlines (a base64 body may carry CRLF of its own). mt is the media
// type: only text has a charset.
func (w *walker) readBody(e entity, mt, path string) (string, error) {
	var warnings []Warning
	body, err := decodeTransfer(e.body, e.cte)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w (%v)", ErrTruncated, err)
			w.truncated = true
		}
		warnings = append(warnings, Warning{Part: path, Err: err})
	}
	if e.cut && !w.truncated {
		warnings = append(warnings, Warning{Part: path, Err: fmt.Errorf("%w (%v)", ErrTruncated, io.ErrUnexpectedEOF)})
		w.truncated = true
	}
	if strings.HasPrefix(mt, "text/") && e.ct.hasCharset {
		d, err := decodeCharset(body, e.ct.charset)
		if err != nil {
			// The charset is reported before anything read from the body.
			warnings = append([]Warning{{Part: path, Err: fmt.Errorf("%w %q: the text is kept undecoded", ErrUnknownCharset, e.ct.charset)}}, warnings...)
		} else {
			body = d
		}
	}
	w.m.warnings = append(w.m.warnings, warnings...)
	if len(body) > w.opts.MaxSize {
		return "", &LimitError{What: "size", Limit: w.opts.MaxSize}
	}
	if strings.IndexByte(body, '\r') >= 0 {
		body = string(normalizeNewlines([]byte(body)))
	}
	return body, nil
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

// decodeFields decodes the fields' values in place.
func decodeFields(fields []Field) {
	for i := range fields {
		fields[i].Value = decodeHeader(fields[i].Value)
	}
}

// maxOriginalHeader bounds the header read from a returned message.
const maxOriginalHeader = 1 << 20

// readOriginal reads the header of a returned message. It reads no
// further than the header.
func readOriginal(text string) (Original, bool) {
	if len(text) > maxOriginalHeader {
		text = text[:maxOriginalHeader]
	}
	fields, _, _ := readFields(text)
	if len(fields) == 0 {
		return Original{}, false
	}
	decodeFields(fields)
	return originalFrom(fields), true
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

// wordDecoder decodes RFC 2047 encoded words. Its charset reader hands
// back the decoded text as a strings.Reader, which the decoder copies out
// without a copy buffer of its own.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(input)
	if err != nil {
		return nil, err
	}
	text, err := decodeCharset(string(b), label)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(text), nil
}}

// decodeHeader decodes RFC 2047 encoded words and raw ISO-2022-JP or
// 8-bit Japanese text in a header value. Undecodable text is kept as it is.
func decodeHeader(s string) string {
	if plainHeader(s) {
		return s
	}
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

// plainHeader reports whether a header value needs no decoding: ASCII
// without encoded words or escape sequences.
func plainHeader(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c == 0x1b:
			return false
		case c == '=' && i+1 < len(s) && s[i+1] == '?':
			return false
		}
	}
	return true
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
	low := literal.LowerASCII(s)
	// closeAt holds, per element whose content is skipped, the place of
	// its next end tag (-1: none follows), so that the text is searched
	// for it once however many start tags there are.
	closeAt := map[string]int{}
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
				at, ok := closeAt[name]
				if !ok || at >= 0 && at < i {
					at = strings.Index(low[i:], "</"+name)
					if at >= 0 {
						at += i
					}
					closeAt[name] = at
				}
				if at >= 0 {
					i = at
					continue
				}
			}
		}
		i += end + 1
	}
	r := strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")
	return r.Replace(b.String())
}
