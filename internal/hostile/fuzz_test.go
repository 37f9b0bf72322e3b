package hostile_test

import (
	"flag"
	"sort"
	"testing"
	"time"

	"github.com/ndrkit/ndrkit/internal/hostile"
	"github.com/ndrkit/ndrkit/ndr"
)

// fuzzBudget is the time one input of at most 1 MiB may take while
// fuzzing. It is far above what any input costs when the work is linear
// (a few milliseconds), and far below what the quadratic loops that the
// hostile shapes once found took.
const fuzzBudget = 2 * time.Second

// FuzzExplainTime checks that no input makes Explain panic or take
// longer than fuzzBudget. Its seeds are the hostile shapes of every test
// bounce, so that mutations start from the slow inputs found before. The
// time budget applies while fuzzing (-fuzz); a plain test run only runs
// the seeds.
func FuzzExplainTime(f *testing.F) {
	bs := bases(f)
	names := make([]string, 0, len(bs))
	for n := range bs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f.Add(bs[name])
		for _, s := range hostile.Shapes() {
			if b := s.Build(bs[name], 100); b != nil {
				f.Add(b)
			}
		}
	}
	fuzzing := false
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		fuzzing = true
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		start := time.Now()
		rep, err := ndr.ExplainBytes(b)
		if d := time.Since(start); fuzzing && d > fuzzBudget {
			t.Fatalf("%d bytes took %v", len(b), d)
		}
		if err == nil && len(rep.Recipients) == 0 {
			t.Fatal("a report without recipients and without an error")
		}
	})
}
