package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/examples/internal/present"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
	"github.com/ndrkit/ndrkit/remedy"
)

// emitter writes the entries of one output format.
type emitter interface {
	// report writes the recipients of rep that are kept, with the
	// findings of the DNS check of each (dns is nil when the DNS was
	// not checked).
	report(file string, pos int, rep *ndr.Report, kept []ndr.Recipient, dns [][]dnscheck.Finding)
	// notBounce writes the entry for an ordinary message.
	notBounce(file string, pos int)
	// problem writes the entry for a message that could not be read.
	problem(file string, pos int, err error)
	// close ends the output.
	close()
}

func newEmitter(format string, w io.Writer, tag language.Tag) emitter {
	switch format {
	case "jsonl":
		return &jsonEmitter{w: w, tag: tag}
	case "json":
		return &jsonEmitter{w: w, tag: tag, array: true}
	case "csv":
		return newCSVEmitter(w, tag)
	}
	return &textEmitter{w: w, tag: tag}
}

// discard is the output of -summary: nothing per message.
type discard struct{}

func (discard) report(string, int, *ndr.Report, []ndr.Recipient, [][]dnscheck.Finding) {}
func (discard) notBounce(string, int)                                                  {}
func (discard) problem(string, int, error)                                             {}
func (discard) close()                                                                 {}

// jsonEmitter writes JSON Lines, or one JSON array with array set.
type jsonEmitter struct {
	w     io.Writer
	tag   language.Tag
	array bool
	n     int
}

func (e *jsonEmitter) put(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(present.Problem{Error: err.Error()})
	}
	switch {
	case !e.array:
	case e.n == 0:
		io.WriteString(e.w, "[\n")
	default:
		io.WriteString(e.w, ",\n")
	}
	e.n++
	e.w.Write(b)
	if !e.array {
		io.WriteString(e.w, "\n")
	}
}

func (e *jsonEmitter) report(file string, _ int, rep *ndr.Report, kept []ndr.Recipient, dns [][]dnscheck.Finding) {
	for i, r := range kept {
		l := present.NewLine(file, rep, r)
		if dns != nil {
			l.DNSFindings = dnscheck.Localize(dns[i], e.tag)
		}
		e.put(l)
	}
}

func (e *jsonEmitter) notBounce(file string, pos int) {
	e.put(present.Problem{File: file, Message: pos, NotBounce: true})
}

func (e *jsonEmitter) problem(file string, pos int, err error) {
	e.put(present.Problem{File: file, Message: pos, Error: err.Error()})
}

func (e *jsonEmitter) close() {
	if !e.array {
		return
	}
	if e.n == 0 {
		io.WriteString(e.w, "[")
	}
	io.WriteString(e.w, "\n]\n")
}

// csvColumns are the columns of -format csv.
var csvColumns = []string{
	"file", "message", "kind", "recipient", "action", "status", "status_inferred", "reply_code",
	"reason", "temporary", "hard_bounce", "remote_mta", "tokens", "explanation_id", "title",
	"who_must_act", "diagnostic", "error",
}

// csvEmitter writes one row per recipient, not-bounce message or error.
type csvEmitter struct {
	w   *csv.Writer
	tag language.Tag
}

func newCSVEmitter(w io.Writer, tag language.Tag) *csvEmitter {
	e := &csvEmitter{w: csv.NewWriter(w), tag: tag}
	e.w.Write(csvColumns)
	return e
}

// cell keeps a spreadsheet from reading text from a bounce as a
// formula: a leading =, +, -, @, tab or CR gets a quote before it.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func position(pos int) string {
	if pos == 0 {
		return ""
	}
	return strconv.Itoa(pos)
}

func (e *csvEmitter) report(file string, pos int, rep *ndr.Report, kept []ndr.Recipient, _ [][]dnscheck.Finding) {
	for _, r := range kept {
		var id, title string
		var actors []string
		if len(r.Explanations) > 0 {
			x := r.Explanations[0]
			id, title = x.ID, x.Title
			for _, a := range x.Actions {
				if !contains(actors, a.Label) {
					actors = append(actors, a.Label)
				}
			}
		}
		reply := ""
		if r.ReplyCode != 0 {
			reply = strconv.Itoa(r.ReplyCode)
		}
		e.w.Write([]string{
			cell(file), position(pos), string(rep.Kind), cell(r.Recipient), string(r.Action), r.Status.String(),
			strconv.FormatBool(r.StatusInferred), reply, string(r.Reason), strconv.FormatBool(r.Temporary),
			strconv.FormatBool(r.HardBounce), cell(r.RemoteMTA), cell(strings.Join(r.Tokens, " ")), id, title,
			strings.Join(actors, "; "), cell(r.Diagnostic), "",
		})
	}
}

func (e *csvEmitter) notBounce(file string, pos int) {
	row := make([]string, len(csvColumns))
	row[0], row[1], row[2] = cell(file), position(pos), "not-bounce"
	e.w.Write(row)
}

func (e *csvEmitter) problem(file string, pos int, err error) {
	row := make([]string, len(csvColumns))
	row[0], row[1], row[2] = cell(file), position(pos), "error"
	row[len(row)-1] = cell(err.Error())
	e.w.Write(row)
}

func (e *csvEmitter) close() { e.w.Flush() }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// textEmitter writes the readable, localized form. Every string from a
// bounce goes through present.Visible: no control character reaches the
// terminal.
type textEmitter struct {
	w   io.Writer
	tag language.Tag
}

// textLabels are the labels of the text output.
var textLabels = map[string][2]string{
	"original":   {"original", "元のメール"},
	"reason":     {"reason", "理由"},
	"evidence":   {"evidence", "理由の根拠"},
	"decodedBy":  {"decoded by", "読み取り"},
	"status":     {"status", "拡張ステータス"},
	"inferred":   {"inferred", "推定"},
	"reply":      {"reply code", "応答コード"},
	"temporary":  {"temporary", "一時的"},
	"hard":       {"hard bounce", "ハードバウンス"},
	"remote":     {"failing server", "拒否・失敗したサーバー"},
	"remoteOK":   {"receiving server", "受け取ったサーバー"},
	"command":    {"command", "コマンド"},
	"tokens":     {"provider's own code", "事業者独自のコード"},
	"diagnostic": {"diagnostic", "診断メッセージ"},
	"see":        {"see also", "関連"},
	"warning":    {"warning", "警告"},
	"notBounce":  {"not a bounce", "不達通知ではありません"},
	"yes":        {"yes", "はい"},
	"no":         {"no", "いいえ"},
	"gaveUp":     {"yes, but the sending server has stopped retrying", "はい（ただし送信サーバーは再試行をやめています）"},
	"error":      {"error", "エラー"},
	"dns":        {"DNS check", "DNS の確認"},
	"dnsNone":    {"no DNS check applies to this bounce", "この不達通知に関係する DNS の確認はありません"},
}

func (e *textEmitter) label(key string) string {
	l := textLabels[key]
	return present.Pick(e.tag, l[0], l[1])
}

func (e *textEmitter) yesNo(b bool) string {
	if b {
		return e.label("yes")
	}
	return e.label("no")
}

// sep is the separator between a label and its value.
func (e *textEmitter) sep() string { return present.Pick(e.tag, ": ", "：") }

// paren puts s in parentheses, full-width in Japanese.
func (e *textEmitter) paren(s string) string { return present.Pick(e.tag, " ("+s+")", "（"+s+"）") }

// field writes one "label: value" line.
func (e *textEmitter) field(key, value string) {
	fmt.Fprintf(e.w, "   %s%s%s\n", e.label(key), e.sep(), value)
}

// pair writes two labelled values on one line.
func (e *textEmitter) pair(k1, v1, k2, v2 string) {
	fmt.Fprintf(e.w, "   %s%s%s  %s%s%s\n", e.label(k1), e.sep(), v1, e.label(k2), e.sep(), v2)
}

func (e *textEmitter) report(file string, pos int, rep *ndr.Report, kept []ndr.Recipient, dns [][]dnscheck.Finding) {
	v := present.Visible
	fmt.Fprintf(e.w, "== %s%s\n", v(where(file, pos)), e.paren(present.KindLabel(string(rep.Kind), e.tag)))
	if rep.Original.Subject != "" || rep.Original.MessageID != "" {
		e.field("original", fmt.Sprintf("%q %s", rep.Original.Subject, v(rep.Original.MessageID)))
	}
	for i, r := range kept {
		fmt.Fprintf(e.w, "-> %s\n", present.RecipientLabel(r, e.tag))
		// The explanation's text starts with its gist: that line comes
		// first, before the facts.
		var text []string
		if len(r.Explanations) > 0 {
			text = strings.Split(strings.TrimRight(r.Explanations[0].Text(), "\n"), "\n")
			if r.Explanations[0].Gist != "" {
				fmt.Fprintf(e.w, "   %s\n", v(text[0]))
				text = text[1:]
			}
		}
		e.field("reason", string(r.Reason)+e.paren(present.ReasonTitleOf(&r, e.tag)))
		e.field("evidence", v(present.Evidence(r.Evidence, e.tag))+e.paren(e.label("decodedBy")+e.sep()+v(r.DecodedBy)))
		if !r.Status.IsZero() {
			status := r.Status.String() + " " + present.StatusMeaningOf(&r, e.tag)
			if r.StatusInferred {
				status += " [" + e.label("inferred") + "]"
			}
			e.field("status", status)
		}
		if r.ReplyCode != 0 {
			e.field("reply", strconv.Itoa(r.ReplyCode)+" "+present.ReplyMeaningOf(&r, e.tag))
		}
		temporary := e.yesNo(r.Temporary)
		if r.Temporary && r.Action == ndr.ActionFailed && (len(r.Explanations) == 0 || r.Explanations[0].RetryCase == remedy.CaseExpired) {
			// A temporary condition that outlasted the retries: say
			// so, lest "temporary" read as still being retried. A
			// refusal at submission was never queued: no retry
			// stopped.
			temporary = e.label("gaveUp")
		}
		e.pair("temporary", temporary, "hard", e.yesNo(r.HardBounce))
		remote := "remote"
		if r.Action == ndr.ActionDelivered || r.Action == ndr.ActionRelayed || r.Action == ndr.ActionExpanded {
			// A delivery or relay report: the server accepted it.
			remote = "remoteOK"
		}
		switch {
		case r.RemoteMTA != "" && r.Command != "":
			e.pair(remote, v(r.RemoteMTA), "command", v(r.Command))
		case r.RemoteMTA != "":
			e.field(remote, v(r.RemoteMTA))
		case r.Command != "":
			e.field("command", v(r.Command))
		}
		if len(r.Tokens) > 0 {
			e.field("tokens", v(strings.Join(r.Tokens, " ")))
		}
		if r.Diagnostic != "" {
			e.field("diagnostic", v(r.Diagnostic))
		}
		if len(r.Explanations) > 0 {
			fmt.Fprintln(e.w)
			for _, l := range text {
				if l != "" {
					l = "   " + v(l)
				}
				fmt.Fprintln(e.w, l)
			}
			for _, x := range present.SeeAlso(r.Explanations) {
				fmt.Fprintf(e.w, "   + %s%s%s%s\n", e.label("see"), e.sep(), v(x.Title), e.paren(x.ID))
			}
		}
		if dns != nil {
			e.dns(dns[i])
		}
	}
	for _, wn := range rep.Warnings {
		e.field("warning", v(present.WarningLine(wn, e.tag)))
	}
	fmt.Fprintln(e.w)
}

// dns writes the findings of the DNS check of one recipient.
func (e *textEmitter) dns(findings []dnscheck.Finding) {
	v := present.Visible
	fmt.Fprintf(e.w, "\n   %s%s\n", e.label("dns"), present.Pick(e.tag, ":", "："))
	if len(findings) == 0 {
		fmt.Fprintf(e.w, "   - %s\n", e.label("dnsNone"))
		return
	}
	for _, f := range dnscheck.Localize(findings, e.tag) {
		id := ""
		if f.RemedyID != "" {
			id = " [" + f.RemedyID + "]"
		}
		fmt.Fprintf(e.w, "   - [%s] %s%s%s%s\n", present.SeverityLabel(f.Severity, e.tag), present.CheckLabel(f.Check, e.tag), e.sep(), v(f.Summary), id)
		for _, ev := range f.Evidence {
			fmt.Fprintf(e.w, "       %s\n", v(ev))
		}
	}
}

func (e *textEmitter) notBounce(file string, pos int) {
	fmt.Fprintf(e.w, "== %s%s%s\n\n", present.Visible(where(file, pos)), e.sep(), e.label("notBounce"))
}

// problem writes nothing: errors go to standard error only.
func (e *textEmitter) problem(string, int, error) {}

func (e *textEmitter) close() {}
