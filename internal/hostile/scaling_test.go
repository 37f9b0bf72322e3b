package hostile_test

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ndrkit/ndrkit/internal/hostile"
	"github.com/ndrkit/ndrkit/ndr"
)

var scalingN = flag.Int("scaling.n", 400, "repetitions of the smaller run of each shape")

// bases returns every test bounce under testdata/bounces.
func bases(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	root := filepath.Join("..", "..", "testdata", "bounces")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".json") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// cost runs Explain on b and returns the shortest time of three runs and
// the bytes allocated by one run, or ok false when a run takes longer
// than limit.
func cost(b []byte, limit time.Duration) (best time.Duration, alloc uint64, ok bool) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		best = time.Hour
		for range 3 {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			ndr.ExplainBytes(b, ndr.WithLimits(64<<20, 4096, 64))
			d := time.Since(start)
			runtime.ReadMemStats(&m1)
			alloc = m1.TotalAlloc - m0.TotalAlloc
			best = min(best, d)
		}
	}()
	select {
	case <-done:
		return best, alloc, true
	case <-time.After(limit):
		return 0, 0, false
	}
}

func TestScalingExplore(t *testing.T) {
	if os.Getenv("NDRKIT_EXPLORE") == "" {
		t.Skip("exploration only")
	}
	bs := bases(t)
	names := make([]string, 0, len(bs))
	for n := range bs {
		names = append(names, n)
	}
	sort.Strings(names)
	n := *scalingN
	for _, name := range names {
		for _, s := range hostile.Shapes() {
			small, large := s.Build(bs[name], n), s.Build(bs[name], 4*n)
			if small == nil {
				continue
			}
			t1, a1, ok1 := cost(small, 20*time.Second)
			if !ok1 {
				fmt.Printf("%-45s %-22s small TIMEOUT (%d bytes)\n", name, s.Name, len(small))
				continue
			}
			t2, a2, ok2 := cost(large, 30*time.Second)
			if !ok2 {
				fmt.Printf("%-45s %-22s large TIMEOUT (%d bytes) small %v\n", name, s.Name, len(large), t1)
				continue
			}
			size := float64(len(large)) / float64(len(small))
			tr := float64(t2) / float64(t1) / size
			ar := float64(a2) / float64(a1) / size
			flag := ""
			if tr > 2 || ar > 2 {
				flag = "  <<<"
			}
			fmt.Printf("%-45s %-22s %7dB %8v t×%.2f a×%.2f mem/in %.1f%s\n", name, s.Name, len(large), t2, tr, ar, float64(a2)/float64(len(large)), flag)
		}
	}
}
