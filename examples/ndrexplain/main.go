// Command ndrexplain explains bounce messages: who did not get the mail,
// what the receiving server said, why, and what to do about it.
//
// Usage:
//
//	go run ./examples/ndrexplain [-json] [-lang ja|en] [PATH ...]
//
// A PATH is a file or a directory (every regular file in it, sorted by
// name); no PATH, or "-", reads standard input. A file may hold a whole
// message, an mbox of several, or bounce text pasted without a header.
// With -json the output is JSON Lines, one object per recipient; a file
// that cannot be explained gives one object with "file" and "error". The
// exit status is 1 when any file could not be explained, 2 on bad usage.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// input is one message to explain and the name it is reported under.
type input struct {
	name string
	data []byte
	err  error
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("ndrexplain", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "write JSON Lines, one object per recipient")
	lang := fl.String("lang", "", "language of the explanations: ja or en (default: from $LANG, else en)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: ndrexplain [-json] [-lang ja|en] [PATH ...]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	pref := *lang
	if pref == "" {
		pref = localeLanguage(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG"))
	}
	if *lang != "" && *lang != "ja" && *lang != "en" {
		fmt.Fprintf(stderr, "ndrexplain: -lang must be ja or en, not %q\n", *lang)
		return 2
	}
	opts := []ndr.Option{ndr.WithLanguage(remedy.MatchLanguage(pref))}
	paths := fl.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	failed := false
	for _, p := range paths {
		for _, in := range collect(p, stdin) {
			if !explainOne(out, in, *asJSON, opts) {
				failed = true
			}
		}
	}
	if failed {
		return 1
	}
	return 0
}

// collect reads a path: standard input, a file, or every regular file of
// a directory in name order.
func collect(p string, stdin io.Reader) []input {
	if p == "-" {
		b, err := io.ReadAll(stdin)
		return []input{{name: "-", data: b, err: err}}
	}
	st, err := os.Stat(p)
	if err != nil {
		return []input{{name: p, err: err}}
	}
	if !st.IsDir() {
		b, err := os.ReadFile(p)
		return []input{{name: p, data: b, err: err}}
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return []input{{name: p, err: err}}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var ins []input
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		name := filepath.Join(p, e.Name())
		b, err := os.ReadFile(name)
		ins = append(ins, input{name: name, data: b, err: err})
	}
	return ins
}

// explainOne writes the result for one file and reports whether every
// message in it was explained.
func explainOne(w io.Writer, in input, asJSON bool, opts []ndr.Option) bool {
	if in.err != nil {
		writeError(w, in.name, in.err, asJSON)
		return false
	}
	write := func(rep *ndr.Report) {
		if asJSON {
			writeJSON(w, in.name, rep)
		} else {
			writeText(w, in.name, rep)
		}
	}
	if ndr.IsPastedText(in.data) {
		rep, err := ndr.ExplainText(string(in.data), opts...)
		if err != nil {
			writeError(w, in.name, err, asJSON)
			return false
		}
		write(rep)
		return true
	}
	msgs := ndr.SplitMbox(in.data)
	if len(msgs) == 0 {
		msgs = [][]byte{in.data}
	}
	// Every message of an mbox is explained; one that fails does not
	// hide the others.
	ok := true
	for _, msg := range msgs {
		rep, err := ndr.ExplainBytes(msg, opts...)
		if err != nil {
			writeError(w, in.name, err, asJSON)
			ok = false
			continue
		}
		write(rep)
	}
	return ok
}

func writeError(w io.Writer, name string, err error, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(map[string]string{"file": name, "error": err.Error()})
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	fmt.Fprintf(w, "%s: error: %v\n\n", name, err)
}

// line is one JSON Lines object: one recipient of one report.
type line struct {
	File              string       `json:"file"`
	Kind              ndr.Kind     `json:"kind"`
	Recipient         string       `json:"recipient"`
	OriginalRecipient string       `json:"original_recipient"`
	Action            ndr.Action   `json:"action"`
	Status            string       `json:"status"`
	StatusInferred    bool         `json:"status_inferred"`
	ReplyCode         int          `json:"reply_code"`
	Diagnostic        string       `json:"diagnostic"`
	Cause             cause        `json:"cause"`
	Tokens            []string     `json:"tokens"`
	RemoteMTA         string       `json:"remote_mta"`
	ReportingMTA      string       `json:"reporting_mta"`
	Command           string       `json:"command"`
	ArrivalDate       string       `json:"arrival_date"`
	LastAttempt       string       `json:"last_attempt"`
	Temporary         bool         `json:"temporary"`
	HardBounce        bool         `json:"hard_bounce"`
	Reason            ndr.Reason   `json:"reason"`
	DecodedBy         string       `json:"decoded_by"`
	Evidence          string       `json:"evidence"`
	FeedbackType      string       `json:"feedback_type,omitempty"`
	Original          original     `json:"original"`
	Warnings          []string     `json:"warnings"`
	Explanation       *explanation `json:"explanation"`
	SeeAlso           []string     `json:"see_also"`
}

// explanation is the most specific catalogue entry for the recipient.
type explanation struct {
	Language   string   `json:"language"`
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Summary    string   `json:"summary"`
	Actions    []action `json:"actions"`
	Retry      string   `json:"retry"`
	RetryText  string   `json:"retry_text"`
	Urgency    string   `json:"urgency"`
	References []string `json:"references"`
	Checked    string   `json:"checked"`
	Triggers   []string `json:"triggers"`
}

type action struct {
	Actor string `json:"actor"`
	Text  string `json:"text"`
}

func toExplanation(x remedy.Explanation) *explanation {
	e := &explanation{
		Language:   x.Language,
		ID:         x.ID,
		Title:      x.Title,
		Summary:    x.Summary,
		Actions:    []action{},
		Retry:      string(x.Retry),
		RetryText:  x.RetryText,
		Urgency:    string(x.Urgency),
		References: x.References,
		Checked:    x.Checked,
		Triggers:   x.Triggers,
	}
	for _, a := range x.Actions {
		e.Actions = append(e.Actions, action{Actor: string(a.Actor), Text: a.Text})
	}
	if e.References == nil {
		e.References = []string{}
	}
	if e.Triggers == nil {
		e.Triggers = []string{}
	}
	return e
}

// localeLanguage turns POSIX locale settings (ja_JP.UTF-8) into a
// language preference; the first non-empty one wins.
func localeLanguage(settings ...string) string {
	for _, s := range settings {
		if s == "" || s == "C" || s == "POSIX" {
			continue
		}
		if k := strings.IndexAny(s, ".@"); k >= 0 {
			s = s[:k]
		}
		return strings.ReplaceAll(s, "_", "-")
	}
	return ""
}

// cause is the innermost remote reply.
type cause struct {
	ReplyCode int    `json:"reply_code"`
	Status    string `json:"status"`
	Text      string `json:"text"`
}

type original struct {
	MessageID string `json:"message_id"`
	From      string `json:"from"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Date      string `json:"date"`
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func writeJSON(w io.Writer, name string, rep *ndr.Report) {
	warnings := []string{}
	for _, wn := range rep.Warnings {
		warnings = append(warnings, wn.Error())
	}
	for _, r := range rep.Recipients {
		tokens := r.Tokens
		if tokens == nil {
			tokens = []string{}
		}
		l := line{
			File:              name,
			Kind:              rep.Kind,
			Recipient:         r.Recipient,
			OriginalRecipient: r.OriginalRecipient,
			Action:            r.Action,
			Status:            r.Status.String(),
			StatusInferred:    r.StatusInferred,
			ReplyCode:         r.ReplyCode,
			Diagnostic:        r.Diagnostic,
			Cause:             cause{ReplyCode: r.Cause.Code, Status: r.Cause.Enhanced.String(), Text: r.Cause.Text},
			Tokens:            tokens,
			RemoteMTA:         r.RemoteMTA,
			ReportingMTA:      r.ReportingMTA,
			Command:           r.Command,
			ArrivalDate:       timeString(r.ArrivalDate),
			LastAttempt:       timeString(r.LastAttempt),
			Temporary:         r.Temporary,
			HardBounce:        r.HardBounce,
			Reason:            r.Reason,
			DecodedBy:         r.DecodedBy,
			Evidence:          r.Evidence,
			FeedbackType:      rep.FeedbackType,
			Original: original{
				MessageID: rep.Original.MessageID,
				From:      rep.Original.From,
				To:        rep.Original.To,
				Subject:   rep.Original.Subject,
				Date:      timeString(rep.Original.Date),
			},
			Warnings: warnings,
			SeeAlso:  []string{},
		}
		if len(r.Explanations) > 0 {
			l.Explanation = toExplanation(r.Explanations[0])
			for _, x := range r.Explanations[1:] {
				l.SeeAlso = append(l.SeeAlso, x.ID)
			}
		}
		b, err := json.Marshal(l)
		if err != nil {
			b, _ = json.Marshal(map[string]string{"file": name, "error": err.Error()})
		}
		fmt.Fprintf(w, "%s\n", b)
	}
}

func writeText(w io.Writer, name string, rep *ndr.Report) {
	fmt.Fprintf(w, "== %s (%s)\n", name, rep.Kind)
	if rep.Original.Subject != "" || rep.Original.MessageID != "" {
		fmt.Fprintf(w, "   original: %q %s\n", rep.Original.Subject, rep.Original.MessageID)
	}
	for _, r := range rep.Recipients {
		fmt.Fprintf(w, "-> %s\n", r.Recipient)
		fmt.Fprintf(w, "   reason:     %s (%s; decoded by %s)\n", r.Reason, r.Evidence, r.DecodedBy)
		status := r.Status.String()
		if r.StatusInferred {
			status += " (inferred)"
		}
		fmt.Fprintf(w, "   status:     %s  reply code: %d  temporary: %t  hard bounce: %t\n", status, r.ReplyCode, r.Temporary, r.HardBounce)
		if r.RemoteMTA != "" || r.Command != "" {
			fmt.Fprintf(w, "   remote:     %s  command: %s\n", r.RemoteMTA, r.Command)
		}
		if r.Diagnostic != "" {
			fmt.Fprintf(w, "   diagnostic: %s\n", r.Diagnostic)
		}
		if len(r.Explanations) > 0 {
			fmt.Fprintln(w)
			fmt.Fprintln(w, indent(r.Explanations[0].Text(), "   "))
			for _, x := range r.Explanations[1:] {
				fmt.Fprintf(w, "   + %s (%s)\n", x.Title, x.ID)
			}
		}
	}
	for _, wn := range rep.Warnings {
		fmt.Fprintf(w, "   warning: %v\n", wn)
	}
	fmt.Fprintln(w)
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
