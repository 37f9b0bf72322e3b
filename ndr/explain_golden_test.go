package ndr_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/ndr"
)

// TestExplanationGolden renders the explanations of every case under
// testdata/explain (.txt: pasted NDR text; .eml: a whole message) in
// Japanese and English and compares them with <case>.ja.golden and
// <case>.en.golden. Run with -update to rewrite them.
func TestExplanationGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "explain", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		ext := filepath.Ext(file)
		if ext != ".txt" && ext != ".eml" {
			continue
		}
		n++
		for _, lang := range []string{"ja", "en"} {
			t.Run(filepath.Base(file)+"/"+lang, func(t *testing.T) {
				rep, _, err := explainFile(t, file, ndr.WithLanguage(language.Make(lang)))
				if err != nil {
					t.Fatalf("Explain: %v", err)
				}
				got := renderExplanations(rep)
				golden := strings.TrimSuffix(file, ext) + "." + lang + ".golden"
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./ndr -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("explanation differs from %s (-want +got):\n%s", golden, diff)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no cases under testdata/explain")
	}
}

// renderExplanations writes the facts and every explanation of a report
// as a helpdesk would read them.
func renderExplanations(rep *ndr.Report) string {
	var b strings.Builder
	for _, r := range rep.Recipients {
		fmt.Fprintf(&b, "recipient: %s\nreason: %s (%s)\nstatus: %s reply: %d temporary: %t hard: %t tokens: %v\n",
			r.Recipient, r.Reason, r.Evidence, r.Status, r.ReplyCode, r.Temporary, r.HardBounce, r.Tokens)
		if len(r.Explanations) == 0 {
			b.WriteString("(no explanation)\n")
		}
		for i, x := range r.Explanations {
			fmt.Fprintf(&b, "\n--- %d. %s\n%s\n", i+1, x.ID, strings.TrimRight(x.Text(), "\n"))
		}
		b.WriteString("\n")
	}
	return b.String()
}
