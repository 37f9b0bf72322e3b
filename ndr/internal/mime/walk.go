package mime

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// walker reads a message into a *message within the limits.
type walker struct {
	m      *Message
	limits Limits
	// truncated is set once a truncation was reported, so that the end
	// of the input is reported once, not again by every enclosing part.
	truncated bool
}

// readMessage parses normalised input.
func Walk(raw string, limits Limits) (*Message, error) {
	m := &Message{Raw: raw}
	if limits.ErrMalformed == nil {
		limits.ErrMalformed = errMalformed
	}
	w := &walker{m: m, limits: limits}
	fields, body, err := readRawFields(m.Raw)
	if err != nil {
		// Not even a header: treat the whole input as text. Text that
		// opens with a label in another script ("差出人: ...", the
		// header of a message as a mail program shows it when copied)
		// is such text, not a broken header, and gets no warning.
		m.Body = m.Raw
		if len(fields) > 0 || !opensWithLocalLabel(m.Raw) {
			m.Warnings = append(m.Warnings, Warning{Err: fmt.Errorf("%w: reading header: %w", limits.ErrMalformed, err)})
		}
		return m, nil
	}
	m.Header = fields
	m.ready = make([]bool, len(fields))
	ct := parseContentType(m.Get("Content-Type"))
	cte := m.Get("Content-Transfer-Encoding")
	m.Subject = m.Get("Subject")
	m.From = m.Get("From")
	m.mediaType = ct.mediaType
	m.ReportType = ct.reportType
	var texts []string
	if err := w.entity(entity{ct: ct, cte: cte, body: body}, "", 0, &texts); err != nil && err != errWalkStopped {
		return nil, err
	}
	m.Body = strings.Join(texts, "\n")
	if strings.TrimSpace(m.Body) == "" && m.DSN == nil && m.Limit == nil {
		// A broken structure exposed no text: fall back to the raw body.
		if k := strings.Index(m.Raw, "\n\n"); k >= 0 {
			m.Body = m.Raw[k+2:]
		}
	}
	return m, nil
}

// errWalkStopped ends the MIME walk at a limit on parts or depth; what
// was read before it is kept, and Message.Limit names the limit.
var errWalkStopped = errors.New("walk stopped at a limit")

// stop records that the walk reached limit at the part path and returns
// errWalkStopped.
func (w *walker) stop(path string, limit *LimitError) error {
	w.m.Limit, w.m.LimitPart = limit, path
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
	if depth > w.limits.MaxDepth {
		return w.stop(path, &LimitError{What: "depth", Limit: w.limits.MaxDepth})
	}
	w.m.parts++
	if w.m.parts > w.limits.MaxParts {
		return w.stop(path, &LimitError{What: "parts", Limit: w.limits.MaxParts})
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
		w.warnControls(body, mt, path)
		ds := dsn.Parse(body, mt == "message/global-delivery-status")
		if w.m.DSN == nil {
			w.m.DSN = ds
		} else {
			w.m.DSN.Recipients = append(w.m.DSN.Recipients, ds.Recipients...)
		}
	case "message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers", "message/partial":
		if !w.m.HasOriginal {
			// Only the header of the returned message is read; a broken
			// transfer encoding leaves what could be decoded.
			body, _ := decodeTransfer(e.body, e.cte)
			var cut bool
			w.m.Original, w.m.HasOriginal, cut = readOriginal(body)
			if cut {
				w.m.OriginalCutPart = path
			}
			if mt == "message/rfc822" || mt == "message/global" {
				w.m.Enclosed = body
			}
		}
	case "message/feedback-report":
		body, err := w.readBody(e, mt, path)
		if err != nil {
			return err
		}
		w.warnControls(body, mt, path)
		w.m.Feedback = dsn.ParseFields(body)
	default:
		if strings.HasPrefix(mt, "text/") || mt == "message/disposition-notification" {
			body, err := w.readBody(e, mt, path)
			if err != nil {
				return err
			}
			if strings.Contains(mt, "html") {
				body = htmlText(body)
			}
			// Text without a charset that is no UTF-8, and ISO-2022-JP
			// text under no label or a wrong one (its escape sequences
			// are 7-bit, so they pass any ASCII-compatible decoding
			// unchanged), is decoded by what its bytes look like.
			if !e.ct.hasCharset && !utf8.ValidString(body) || hasISO2022JP(body) {
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
				w.m.Warnings = append(w.m.Warnings, Warning{Part: path, Err: fmt.Errorf("%w (%v)", w.limits.ErrTruncated, err)})
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
		case !hasCT && textutil.EqualFold(name, "Content-Type"):
			ct, hasCT = unfoldValue(value), true
		case !hasCTE && textutil.EqualFold(name, "Content-Transfer-Encoding"):
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
	for _, err := range unjoin(err) {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w (%v)", w.limits.ErrTruncated, err)
			w.truncated = true
		} else {
			err = fmt.Errorf("%w: %w", w.limits.ErrMalformed, err)
		}
		warnings = append(warnings, Warning{Part: path, Err: err})
	}
	if e.cut && !w.truncated {
		warnings = append(warnings, Warning{Part: path, Err: fmt.Errorf("%w (%v)", w.limits.ErrTruncated, io.ErrUnexpectedEOF)})
		w.truncated = true
	}
	if strings.HasPrefix(mt, "text/") && e.ct.hasCharset {
		d, err := decodeCharset(body, e.ct.charset)
		switch {
		case errors.Is(err, errUTF7):
			// A known charset that the text breaks.
			warnings = append([]Warning{{Part: path, Err: fmt.Errorf("%w: %w: the text is kept undecoded", w.limits.ErrMalformed, err)}}, warnings...)
		case err != nil:
			// The charset is reported before anything read from the body.
			warnings = append([]Warning{{Part: path, Err: fmt.Errorf("%w %q: the text is kept undecoded", w.limits.ErrUnknownCharset, e.ct.charset)}}, warnings...)
		default:
			body = d
		}
	}
	w.m.Warnings = append(w.m.Warnings, warnings...)
	if len(body) > w.limits.MaxSize {
		return "", &LimitError{What: "size", Limit: w.limits.MaxSize}
	}
	if strings.IndexByte(body, '\r') >= 0 {
		body = string(NormalizeNewlines([]byte(body)))
	}
	return body, nil
}

// unjoin returns the errors that err joins (see errors.Join), err alone,
// or none for nil.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// warnControls warns of the control bytes that reading the fields of the
// part at path, of media type mt, drops from body.
func (w *walker) warnControls(body, mt, path string) {
	if n := dsn.CountControls(body); n > 0 {
		w.m.Warnings = append(w.m.Warnings, Warning{Part: path, Err: fmt.Errorf("%w: %w from the %s fields (%d)", w.limits.ErrMalformed, errControlBytes, mt, n)})
	}
}

// errControlBytes is wrapped by the warning for control bytes that were
// dropped from the fields of a delivery-status or feedback-report part
// (see dsn.CountControls).
var errControlBytes = errors.New("control bytes dropped")

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

// walkLimits bound the walk, as the Options of Explain set them, and name
// the errors that the warnings of a damaged part wrap.
type Limits struct {
	MaxSize, MaxParts, MaxDepth int
	// ErrTruncated is wrapped for a multipart body without its closing
	// boundary, ErrUnknownCharset for text in a charset that could not
	// be decoded, ErrMalformed for a header, transfer encoding or
	// report field that breaks the rules and was read as far as it
	// could be (errMalformed when nil).
	ErrTruncated, ErrUnknownCharset, ErrMalformed error
}

// errMalformed is Limits.ErrMalformed when the caller gives none.
var errMalformed = errors.New("malformed")

// LimitError reports input beyond one of the walk's limits.
type LimitError struct {
	// What names the limit: "size", "parts" or "depth".
	What string
	// Limit is the configured maximum.
	Limit int
}

// Error describes the limit that was exceeded.
func (e *LimitError) Error() string {
	return fmt.Sprintf("message exceeds the %s limit of %d", e.What, e.Limit)
}

// Warning describes a part of a message that could not be read
// completely.
type Warning struct {
	// Part names the MIME part, e.g. "1.2" (1-based, dotted), or "" for
	// the whole message.
	Part string
	// Err is the underlying problem.
	Err error
}

// opensWithLocalLabel reports whether the first line of s is a label
// of valid UTF-8 with a letter outside ASCII, followed by a colon (ASCII
// or full-width): "差出人:", "件名：". "Objet :" is not one (ASCII
// letters only), nor a header behind a byte order mark.
func opensWithLocalLabel(s string) bool {
	if strings.HasPrefix(s, "\ufeff") {
		return false
	}
	line := s[:textutil.LineEnd(s, 0)]
	i := strings.IndexByte(line, ':')
	if j := strings.Index(line, "："); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i <= 0 || i > 64 {
		return false
	}
	name := strings.TrimRight(line[:i], " \t")
	if !utf8.ValidString(name) {
		return false
	}
	letter := false
	for _, r := range name {
		switch {
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
			letter = true
		case r < ' ' || r == 0x7f:
			return false
		}
	}
	return letter
}
