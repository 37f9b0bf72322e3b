package ndr_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

// TestExplainConcurrent explains every test bounce from several
// goroutines at once and expects the reports of a sequential run: the
// analysis keeps no state between calls (run it with -race).
func TestExplainConcurrent(t *testing.T) {
	files := bounceFiles(t)
	type result struct {
		rep *ndr.Report
		err error
	}
	// text renders a result for comparison: the report as JSON (its
	// warnings as their messages) and the error's message.
	text := func(r result) string {
		var warnings []string
		if r.rep != nil {
			for _, w := range r.rep.Warnings {
				warnings = append(warnings, fmt.Sprint(w))
			}
		}
		b, err := json.MarshalIndent(r.rep, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s\nwarnings %q\nerror %v", b, warnings, r.err)
	}
	data := make([][]byte, len(files))
	want := make([]result, len(files))
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data[i] = b
		want[i].rep, want[i].err = ndr.ExplainBytes(b)
	}
	const workers = 4
	got := make([][]result, workers)
	var wg sync.WaitGroup
	for w := range workers {
		got[w] = make([]result, len(files))
		wg.Go(func() {
			for j := range data {
				// Each worker starts at a different message.
				i := (j + w*len(data)/workers) % len(data)
				got[w][i].rep, got[w][i].err = ndr.ExplainBytes(data[i])
			}
		})
	}
	wg.Wait()
	for w := range workers {
		for i := range files {
			if diff := cmp.Diff(text(want[i]), text(got[w][i])); diff != "" {
				t.Errorf("%s, worker %d: report differs (-sequential +concurrent):\n%s", files[i], w, diff)
			}
		}
	}
}
