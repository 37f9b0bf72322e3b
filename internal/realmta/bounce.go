package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
)

// bounceDoc is the readable text of a bounce and its DSN fields.
type bounceDoc struct {
	all   string // header and every part, whitespace collapsed
	named string // all, less the To and Cc lines of returned headers
	text  string // the report parts only (not a returned message), collapsed
	dsn   map[string]dsnFields
}

type dsnFields struct {
	action, status, diagnostic string
}

func (d *bounceDoc) hasToken(tok string) bool {
	re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(tok) + `($|[^0-9]|\.[^0-9]|\.$)`)
	return re.MatchString(d.text)
}

func (d *bounceDoc) hasCode(code int, status, text string) bool {
	var next string
	switch {
	case status != "":
		next = regexp.QuoteMeta(status)
	case text != "":
		next = regexp.QuoteMeta(firstWords(text, 2))
	}
	re := regexp.MustCompile(fmt.Sprintf(`(^|[^0-9.])%d[ -]%s`, code, next))
	return re.MatchString(d.text)
}

func (d *bounceDoc) hasText(text string) bool {
	return strings.Contains(strings.ToLower(d.text), strings.ToLower(firstWords(text, 5)))
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

func collapse(s string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

// readBounce extracts the texts of a bounce: every part but returned
// messages, decoded, and the per-recipient fields of a delivery-status part.
func readBounce(raw []byte) (*bounceDoc, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("not a message: %w", err)
	}
	d := &bounceDoc{dsn: map[string]dsnFields{}}
	var texts []string
	var hdr strings.Builder
	for k, vs := range m.Header {
		for _, v := range vs {
			hdr.WriteString(k + ": " + v + "\n")
		}
	}
	if err := walk(m.Header, m.Body, &texts, d, 0); err != nil {
		return nil, err
	}
	joined := strings.Join(texts, "\n")
	d.text = collapse(joined)
	d.all = collapse(hdr.String() + "\n" + d.text)
	// A report in plain text may quote the returned message's header,
	// whose To and Cc lines name every recipient, failed or not.
	d.named = collapse(hdr.String() + "\n" + returnedRcptRE.ReplaceAllString(joined, ""))
	return d, nil
}

// header is the part of a MIME header walk needs.
type header interface {
	Get(string) string
}

func walk(h header, body io.Reader, texts *[]string, d *bounceDoc, depth int) error {
	if depth > 10 {
		return errors.New("MIME nesting too deep")
	}
	ct := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		mt = "text/plain"
	}
	data, err := io.ReadAll(decoder(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		mr := multipart.NewReader(bytes.NewReader(data), params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p.Header, p, texts, d, depth+1); err != nil {
				return err
			}
		}
	case mt == "message/rfc822" || mt == "text/rfc822-headers" || mt == "message/rfc822-headers":
		return nil
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		*texts = append(*texts, string(data))
		parseDSN(string(data), d)
		return nil
	case strings.HasPrefix(mt, "text/"):
		*texts = append(*texts, string(data))
	}
	return nil
}

func decoder(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	}
	return r
}

// stripSpace drops line breaks and blanks so base64 decodes.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// parseDSN reads the per-recipient groups of a delivery-status body.
func parseDSN(body string, d *bounceDoc) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	for _, group := range strings.Split(body, "\n\n") {
		fields := map[string]string{}
		var last string
		for _, line := range strings.Split(group, "\n") {
			if line == "" {
				continue
			}
			if (line[0] == ' ' || line[0] == '\t') && last != "" {
				fields[last] += " " + strings.TrimSpace(line)
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			last = strings.ToLower(strings.TrimSpace(k))
			fields[last] = strings.TrimSpace(v)
		}
		rcpt := fields["final-recipient"]
		if rcpt == "" {
			rcpt = fields["original-recipient"]
		}
		if rcpt == "" {
			continue
		}
		if _, addr, ok := strings.Cut(rcpt, ";"); ok {
			rcpt = addr
		}
		rcpt = strings.ToLower(strings.Trim(strings.TrimSpace(rcpt), "<>"))
		st := fields["status"]
		if f := strings.Fields(st); len(f) > 0 {
			st = f[0]
		}
		d.dsn[rcpt] = dsnFields{
			action:     strings.ToLower(strings.TrimSpace(fields["action"])),
			status:     st,
			diagnostic: fields["diagnostic-code"],
		}
	}
}
