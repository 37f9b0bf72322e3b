package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/internal/groundtruth"
	"github.com/ndrkit/ndrkit/internal/smtppeer"
)

func runTruth(args []string) error {
	fs := flag.NewFlagSet("truth", flag.ExitOnError)
	casePath := fs.String("case", "", "case file")
	mta := fs.String("mta", "", "MTA name")
	record := fs.String("record", "", "peer record (JSON lines)")
	bounce := fs.String("bounce", "", "the bounce message")
	out := fs.String("out", "", "output file")
	partial := fs.Bool("partial", false, "the bounce is one of several: skip recipients it does not name")
	fs.Parse(args)
	if *casePath == "" || *mta == "" || *bounce == "" || *out == "" {
		return errors.New("truth needs -case, -mta, -bounce and -out")
	}
	c, err := loadCase(*casePath)
	if err != nil {
		return err
	}
	entries, err := readRecord(*record)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(*bounce)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(*casePath), filepath.Ext(*casePath))
	t, err := buildTruth(c, name, *mta, entries, raw, *partial)
	if err != nil {
		return fmt.Errorf("%s: %w", *bounce, err)
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

func readRecord(path string) ([]smtppeer.Entry, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []smtppeer.Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e smtppeer.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// answer is what the peer did to one recipient.
type answer struct {
	stage string
	event string
	reply smtppeer.Reply
}

// peerAnswer picks the answer that decided the recipient's fate: the last
// refusal (or drop) aimed at it, else the last connection-level failure,
// else what the script says it would have answered.
func peerAnswer(c *caseFile, addr string, entries []smtppeer.Entry) answer {
	var best *smtppeer.Entry
	for i := range entries {
		e := &entries[i]
		if !strings.EqualFold(e.Recipient, addr) {
			continue
		}
		if e.Dropped || e.NoAnswer || e.Reply.Code()/100 != 2 {
			best = e
		}
	}
	if best == nil {
		for i := range entries {
			e := &entries[i]
			if e.Stage == smtppeer.StageConnect && (e.Dropped || e.NoAnswer || e.Reply.Code() >= 400) {
				best = e
			}
		}
	}
	if best != nil {
		return entryAnswer(best)
	}
	for _, e := range entries {
		if e.Stage == smtppeer.StageRcpt {
			// The MTA reached RCPT for others, never for this one.
			return answer{stage: "RCPT", event: "not reached", reply: smtppeer.Reply{}}
		}
	}
	// Nothing recorded: fall back on the script.
	sc := c.Peer
	switch {
	case sc.Hang:
		return answer{stage: "connect", event: "no answer"}
	case sc.DropAfterGreeting:
		return answer{stage: "connect", event: "dropped"}
	case len(sc.Greeting) > 0 && sc.Greeting.Code() >= 400:
		return answer{stage: "connect", event: "replied", reply: sc.Greeting}
	}
	for k, rc := range sc.Recipients {
		if !strings.EqualFold(k, addr) {
			continue
		}
		switch {
		case rc.Drop:
			return answer{stage: "RCPT", event: "dropped"}
		case len(rc.Rcpt) > 0 && rc.Rcpt.Code()/100 != 2:
			return answer{stage: "RCPT", event: "replied", reply: rc.Rcpt}
		case len(rc.Data) > 0:
			return answer{stage: "DATA", event: "replied", reply: rc.Data}
		}
	}
	return answer{}
}

func entryAnswer(e *smtppeer.Entry) answer {
	a := answer{stage: string(e.Stage), event: "replied", reply: e.Reply}
	switch {
	case e.NoAnswer:
		a.event = "no answer"
	case e.Dropped && len(e.Reply) == 0:
		a.event = "dropped"
	}
	return a
}

var (
	statusRE       = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}$`)
	spaceRE        = regexp.MustCompile(`\s+`)
	returnedRcptRE = regexp.MustCompile(`(?im)^(to|cc|bcc):.*(\n[ \t].*)*$`)
	diagRE         = regexp.MustCompile(`(?i)^\s*smtp\s*;\s*([245]\d\d)\b`)
	mtaCodeRE      = regexp.MustCompile(`(?:^|[^0-9.])([45]\d\d)[ -]([45]\.\d{1,3}\.\d{1,3})(?:$|[^0-9])`)
	failureWordsRE = regexp.MustCompile(`(?i)connect|timed? ?-?out|lost|reset|shut ?down|closed|read error|expired|giving up|retry|network|no answer|respond`)
)

// replyParts splits the first line of a reply into code, enhanced status
// and text.
func replyParts(r smtppeer.Reply) (code int, status, text string) {
	if len(r) == 0 {
		return 0, "", ""
	}
	code = r.Code()
	rest := strings.TrimSpace(r[0][min(4, len(r[0])):])
	if f, after, _ := strings.Cut(rest, " "); statusRE.MatchString(f) {
		status = f
		rest = strings.TrimSpace(after)
	}
	return code, status, rest
}

func buildTruth(c *caseFile, name, mta string, entries []smtppeer.Entry, raw []byte, partial bool) (*groundtruth.Truth, error) {
	doc, err := readBounce(raw)
	if err != nil {
		return nil, err
	}
	t := &groundtruth.Truth{MTA: mta, Case: name, Description: c.Description, Kind: c.Kind}
	for _, cr := range c.Recipients {
		if cr.Delivered && deliveredTo(cr.Address, entries) {
			t.NotFailed = append(t.NotFailed, cr.Address)
			continue
		}
		if !strings.Contains(strings.ToLower(doc.named), strings.ToLower(cr.Address)) {
			if partial {
				continue
			}
			return nil, fmt.Errorf("recipient %s does not appear in the bounce", cr.Address)
		}
		a := peerAnswer(c, cr.Address, entries)
		abandoned := false
		if cr.Delivered {
			// Accepted at RCPT, yet the message never reached the peer for
			// it: the MTA gave up the whole transaction.
			abandoned = true
			a = answer{stage: "RCPT", event: "accepted", reply: lastReply(cr.Address, entries)}
		}
		if a.event == "" {
			return nil, fmt.Errorf("no answer to %s recorded or scripted", cr.Address)
		}
		code, status, text := replyParts(a.reply)
		if abandoned {
			code, status, text = 0, "", ""
		}
		tr := groundtruth.Recipient{
			Recipient: cr.Address,
			Stage:     a.stage,
			PeerEvent: a.event,
			PeerReply: a.reply,
			ReplyCode: code,
			Status:    status,
			Temporary: code == 0 || code/100 == 4,
			Action:    "failed",
			Reasons:   slices.Clone(cr.Reasons),
		}
		if a.event == "not reached" {
			tr.Temporary = false
			tr.Allow.Temporary = []bool{true}
			tr.Reasons = []string{"undefined", "onhold"}
			tr.Notes = append(tr.Notes, "the MTA never offered this recipient to the peer")
		}
		if abandoned {
			tr.Temporary = false
			tr.Allow.Temporary = []bool{true}
			tr.Reasons = []string{"undefined", "onhold"}
			tr.Notes = append(tr.Notes, "the peer accepted this recipient, but the MTA abandoned the whole transaction after another recipient was refused")
		}
		if c.Kind == "delay" {
			tr.Action = "delayed"
		}
		if tr.PeerReply == nil {
			tr.PeerReply = []string{}
		}
		dsn := doc.dsn[strings.ToLower(cr.Address)]
		codeKnown := code != 0 && doc.hasCode(code, status, text)
		statusKnown := status != "" && doc.hasToken(status)
		textKnown := text != "" && doc.hasText(text)

		if !codeKnown {
			tr.Allow.ReplyCode = append(tr.Allow.ReplyCode, 0)
			if m := diagRE.FindStringSubmatch(dsn.diagnostic); m != nil {
				if n, _ := strconv.Atoi(m[1]); n != code {
					tr.Allow.ReplyCode = appendNew(tr.Allow.ReplyCode, n)
				}
			}
			if code != 0 {
				tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce does not carry the remote reply code %d", code))
			}
		}
		if !statusKnown {
			if status != "" {
				tr.Allow.Status = append(tr.Allow.Status, "")
				tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce does not carry the remote status %s", status))
			}
			if dsn.status != "" && dsn.status != status {
				tr.Allow.Status = appendNew(tr.Allow.Status, dsn.status)
				tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce's own Status is %s", dsn.status))
			}
		}
		if !codeKnown {
			dsnTemp := strings.HasPrefix(dsn.status, "4.") || dsn.action == "delayed"
			if dsnTemp != tr.Temporary {
				tr.Allow.Temporary = append(tr.Allow.Temporary, !tr.Temporary)
				tr.Notes = append(tr.Notes, "without the remote code the bounce does not show whether the condition was temporary")
			}
		}
		if dsn.action != "" && dsn.action != tr.Action {
			tr.Allow.Action = append(tr.Allow.Action, dsn.action)
			tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce's own Action is %q", dsn.action))
		}
		for _, other := range c.Recipients {
			if other.Address == cr.Address {
				continue
			}
			oa := peerAnswer(c, other.Address, entries)
			ocode, ostatus, otext := replyParts(oa.reply)
			if otext == "" || ocode/100 == 2 || (text != "" && strings.Contains(collapse(dsn.diagnostic), firstWords(text, 5))) {
				continue
			}
			if !strings.Contains(strings.ToLower(collapse(dsn.diagnostic)), strings.ToLower(firstWords(otext, 5))) {
				continue
			}
			tr.Reasons = appendNew(tr.Reasons, other.Reasons...)
			tr.Allow.ReplyCode = appendNew(tr.Allow.ReplyCode, ocode)
			if ostatus != "" && ostatus != status {
				tr.Allow.Status = appendNew(tr.Allow.Status, ostatus)
			}
			tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce gives this recipient the reply to %s", other.Address))
		}
		mtaTemp := strings.HasPrefix(dsn.status, "4.") || dsn.action == "delayed"
		if text != "" && !textKnown {
			if tr.Temporary || mtaTemp {
				tr.Reasons = appendNew(tr.Reasons, "expired")
			}
			if !tr.Temporary {
				tr.Reasons = appendNew(tr.Reasons, "undefined", "onhold")
			}
			tr.Notes = append(tr.Notes, "the bounce does not carry the remote reply text")
		}
		if code == 0 && a.event != "accepted" && a.event != "not reached" {
			// No remote reply: the codes in the bounce are the MTA's own.
			for _, m := range mtaCodeRE.FindAllStringSubmatch(doc.text, -1) {
				n, _ := strconv.Atoi(m[1])
				tr.Allow.ReplyCode = appendNew(tr.Allow.ReplyCode, n)
				tr.Allow.Status = appendNew(tr.Allow.Status, m[2])
			}
			if !failureWordsRE.MatchString(doc.text) {
				tr.Reasons = appendNew(tr.Reasons, "undefined", "onhold")
				tr.Notes = append(tr.Notes, "the bounce does not say what went wrong")
			}
		}
		t.Recipients = append(t.Recipients, tr)
	}
	if len(t.Recipients) == 0 {
		return nil, errors.New("the bounce names none of the recipients the case expects to fail")
	}
	return t, nil
}

func appendNew[T comparable](s []T, vs ...T) []T {
	for _, v := range vs {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}

// deliveredTo reports whether the peer accepted the message data for addr.
func deliveredTo(addr string, entries []smtppeer.Entry) bool {
	for _, e := range entries {
		if e.Stage == smtppeer.StageData && strings.EqualFold(e.Recipient, addr) && e.Reply.Code()/100 == 2 {
			return true
		}
	}
	return false
}

// lastReply returns the last reply recorded for addr, or an empty reply.
func lastReply(addr string, entries []smtppeer.Entry) smtppeer.Reply {
	r := smtppeer.Reply{}
	for _, e := range entries {
		if strings.EqualFold(e.Recipient, addr) && len(e.Reply) > 0 {
			r = e.Reply
		}
	}
	return r
}

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
