package enhancedcode

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under ../testdata/enhancedcode")

// goldenReply is a Reply as the golden files record it, with the span
// text[Start:End] written out so that a change of offsets is easy to
// review.
type goldenReply struct {
	Code     int    `json:"code,omitempty"`
	Enhanced Code   `json:"enhanced,omitzero"`
	Text     string `json:"text"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Span     string `json:"span"`
}

// goldenResult is what a golden file holds for one input: the replies
// Find returns for the text as it is and for the unfolded text.
type goldenResult struct {
	Find         []goldenReply `json:"find"`
	FindUnfolded []goldenReply `json:"find_unfolded"`
}

func toGolden(text string, rs []Reply) []goldenReply {
	out := []goldenReply{}
	for _, r := range rs {
		out = append(out, goldenReply{r.Code, r.Enhanced, r.Text, r.Start, r.End, text[r.Start:r.End]})
	}
	return out
}

// TestFindGolden runs Find over the sample texts in
// ../testdata/enhancedcode/find and compares the replies with the
// .golden files beside them. Run "go test -update" to rewrite them.
func TestFindGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "enhancedcode", "find", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no sample texts in ../testdata/enhancedcode/find")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			unfolded := Unfold(text)
			got := goldenResult{
				Find:         toGolden(text, Find(text)),
				FindUnfolded: toGolden(unfolded, Find(unfolded)),
			}
			checkReplies(t, text, Find(text))
			checkReplies(t, unfolded, Find(unfolded))
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want goldenResult
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Find mismatch with %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
