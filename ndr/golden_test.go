package ndr_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// summary is the golden form of a report: every fact a caller relies on.
type summary struct {
	Kind         ndr.Kind       `json:"kind"`
	ReportingMTA string         `json:"reporting_mta,omitempty"`
	Recipients   []recipientSum `json:"recipients"`
	Original     originalSum    `json:"original"`
	FeedbackType string         `json:"feedback_type,omitempty"`
	Warnings     []string       `json:"warnings,omitempty"`
}

type recipientSum struct {
	Recipient         string     `json:"recipient"`
	ListedName        string     `json:"listed_name,omitempty"`
	AsListed          bool       `json:"as_listed,omitempty"`
	OriginalRecipient string     `json:"original_recipient,omitempty"`
	Action            ndr.Action `json:"action"`
	Status            string     `json:"status"`
	StatusInferred    bool       `json:"status_inferred,omitempty"`
	ReplyCode         int        `json:"reply_code"`
	Diagnostic        string     `json:"diagnostic"`
	Cause             string     `json:"cause,omitempty"`
	Tokens            []string   `json:"tokens,omitempty"`
	RemoteMTA         string     `json:"remote_mta,omitempty"`
	ReportingMTA      string     `json:"reporting_mta,omitempty"`
	Command           string     `json:"command,omitempty"`
	ArrivalDate       string     `json:"arrival_date,omitempty"`
	LastAttempt       string     `json:"last_attempt,omitempty"`
	Temporary         bool       `json:"temporary"`
	HardBounce        bool       `json:"hard_bounce"`
	Reason            ndr.Reason `json:"reason"`
	DecodedBy         string     `json:"decoded_by"`
	Evidence          string     `json:"evidence"`
}

type originalSum struct {
	MessageID string `json:"message_id,omitempty"`
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Subject   string `json:"subject,omitempty"`
	Date      string `json:"date,omitempty"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func summarize(rep *ndr.Report) summary {
	s := summary{
		Kind:         rep.Kind,
		ReportingMTA: rep.ReportingMTA,
		FeedbackType: rep.FeedbackType,
		Original: originalSum{
			MessageID: rep.Original.MessageID,
			From:      rep.Original.From,
			To:        rep.Original.To,
			Subject:   rep.Original.Subject,
			Date:      stamp(rep.Original.Date),
		},
	}
	for _, w := range rep.Warnings {
		s.Warnings = append(s.Warnings, w.Error())
	}
	for _, r := range rep.Recipients {
		rs := recipientSum{
			Recipient:         r.Recipient,
			ListedName:        r.ListedName,
			AsListed:          r.AsListed,
			OriginalRecipient: r.OriginalRecipient,
			Action:            r.Action,
			Status:            r.Status.String(),
			StatusInferred:    r.StatusInferred,
			ReplyCode:         r.ReplyCode,
			Diagnostic:        r.Diagnostic,
			Tokens:            r.Tokens,
			RemoteMTA:         r.RemoteMTA,
			ReportingMTA:      r.ReportingMTA,
			Command:           r.Command,
			ArrivalDate:       stamp(r.ArrivalDate),
			LastAttempt:       stamp(r.LastAttempt),
			Temporary:         r.Temporary,
			HardBounce:        r.HardBounce,
			Reason:            r.Reason,
			DecodedBy:         r.DecodedBy,
			Evidence:          r.Evidence,
		}
		if r.Cause.Code != 0 || !r.Cause.Enhanced.IsZero() {
			rs.Cause = strings.Join(strings.Fields(strings.Join([]string{itoa(r.Cause.Code), r.Cause.Enhanced.String(), r.Cause.Text}, " ")), " ")
		}
		s.Recipients = append(s.Recipients, rs)
	}
	return s
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	b, _ := json.Marshal(n)
	return string(b)
}

// bounceFiles lists the test bounces: every .eml file below
// testdata/bounces (messages) and every .txt file (pasted bounce text).
func bounceFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "testdata", "bounces"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".eml") || strings.HasSuffix(p, ".txt")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no test bounces found")
	}
	return files
}

// TestGolden explains every test bounce and compares the result with its
// .golden.json file. Run with -update to rewrite the golden files.
func TestGolden(t *testing.T) {
	for _, file := range bounceFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := ndr.ExplainBytes(b)
			if err != nil {
				t.Fatalf("Explain: %v", err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(summarize(rep)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := strings.TrimSuffix(file, filepath.Ext(file)) + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./ndr -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestNewlines checks that LF, CRLF and CR-only line ends give the same
// report for every test bounce.
func TestNewlines(t *testing.T) {
	for _, file := range bounceFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lf := bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
			want := explainSummary(t, lf)
			for name, v := range map[string][]byte{
				"crlf": bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")),
				"cr":   bytes.ReplaceAll(lf, []byte("\n"), []byte("\r")),
			} {
				if diff := cmp.Diff(want, explainSummary(t, v)); diff != "" {
					t.Errorf("%s line ends give another report (-lf +%s):\n%s", name, name, diff)
				}
			}
		})
	}
}

func explainSummary(t *testing.T, b []byte) summary {
	t.Helper()
	rep, err := ndr.ExplainBytes(b)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	return summarize(rep)
}
