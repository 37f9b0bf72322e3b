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
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/ndr"
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
	language := *lang
	if language == "" {
		language = os.Getenv("LANG")
	}
	paths := fl.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	failed := false
	for _, p := range paths {
		for _, in := range collect(p, stdin) {
			if !explainOne(out, in, *asJSON, language) {
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
func explainOne(w io.Writer, in input, asJSON bool, lang string) bool {
	if in.err != nil {
		writeError(w, in.name, in.err, asJSON)
		return false
	}
	var reports []*ndr.Report
	if ndr.IsPastedText(in.data) {
		rep, err := ndr.ExplainText(string(in.data))
		if err != nil {
			writeError(w, in.name, err, asJSON)
			return false
		}
		reports = append(reports, rep)
	} else {
		for _, msg := range ndr.SplitMbox(in.data) {
			rep, err := ndr.ExplainBytes(msg)
			if err != nil {
				writeError(w, in.name, err, asJSON)
				return false
			}
			reports = append(reports, rep)
		}
	}
	for _, rep := range reports {
		if asJSON {
			writeJSON(w, in.name, rep)
		} else {
			writeText(w, in.name, rep)
		}
	}
	return true
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
	File              string     `json:"file"`
	Kind              ndr.Kind   `json:"kind"`
	Recipient         string     `json:"recipient"`
	OriginalRecipient string     `json:"original_recipient"`
	Action            ndr.Action `json:"action"`
	Status            string     `json:"status"`
	StatusInferred    bool       `json:"status_inferred"`
	ReplyCode         int        `json:"reply_code"`
	Diagnostic        string     `json:"diagnostic"`
	Cause             cause      `json:"cause"`
	Tokens            []string   `json:"tokens"`
	RemoteMTA         string     `json:"remote_mta"`
	ReportingMTA      string     `json:"reporting_mta"`
	Command           string     `json:"command"`
	ArrivalDate       string     `json:"arrival_date"`
	LastAttempt       string     `json:"last_attempt"`
	Temporary         bool       `json:"temporary"`
	HardBounce        bool       `json:"hard_bounce"`
	Reason            ndr.Reason `json:"reason"`
	DecodedBy         string     `json:"decoded_by"`
	Evidence          string     `json:"evidence"`
	FeedbackType      string     `json:"feedback_type,omitempty"`
	Original          original   `json:"original"`
	Warnings          []string   `json:"warnings"`
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
	}
	for _, wn := range rep.Warnings {
		fmt.Fprintf(w, "   warning: %v\n", wn)
	}
	fmt.Fprintln(w)
}

var _ = errors.Is
var _ = strings.TrimSpace
