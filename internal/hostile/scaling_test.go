package hostile_test

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ndrkit/ndrkit/internal/hostile"
	"github.com/ndrkit/ndrkit/ndr"
)

var (
	scalingN     = flag.Int("scaling.n", 250, "repetitions of the smaller run of each shape; the larger has eight times as many")
	scalingMatch = flag.String("scaling.match", "", "run only the cases whose \"base shape\" name holds this text")
)

// bases returns every test bounce under testdata/bounces, by its path
// below that folder.
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
	if len(out) == 0 {
		t.Fatal("no test bounces")
	}
	return out
}

// limits are generous enough that no shape is cut short by them.
var limits = ndr.WithOptions(ndr.Options{MaxSize: 64 << 20, MaxParts: 4096, MaxDepth: 64,
	MaxRecipients: 1 << 20, MaxAddresses: 1 << 20, MaxDiagnostic: 64 << 20})

// cost is what one run of Explain took.
type cost struct {
	time  time.Duration // the shortest of the runs
	alloc uint64        // bytes allocated by one run
}

// measure runs Explain on b runs times and returns its cost, or ok false
// when the runs take longer than limit in all.
func measure(b []byte, runs int, limit time.Duration) (c cost, ok bool) {
	done := make(chan cost, 1)
	go func() {
		best := cost{time: time.Hour}
		for range runs {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			_, _ = ndr.ExplainBytes(b, limits)
			d := time.Since(start)
			runtime.ReadMemStats(&m1)
			best.time = min(best.time, d)
			best.alloc = m1.TotalAlloc - m0.TotalAlloc
		}
		done <- best
	}()
	select {
	case c := <-done:
		return c, true
	case <-time.After(limit):
		return cost{}, false
	}
}

// TestScaling runs every shape over every test bounce at two sizes, the
// larger grown eight times as much as the smaller, and fails when the
// larger run costs more than its share: its time (the shortest of three
// runs, up to three tries) or the bytes it allocates, each divided by
// the ratio of the input sizes, may not exceed 3. Work linear in the
// input gives a ratio near 1 (caches and the garbage collector add a
// little for the larger input); quadratic work gives about 8.
func TestScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("scaling check: not with -short")
	}
	if raceEnabled {
		t.Skip("scaling check: timings under the race detector say nothing")
	}
	eachGrown(t, hostile.Shapes(), *scalingN, 8, func(t *testing.T, small, large []byte) {
		size := float64(len(large)) / float64(len(small))
		var tr, ar float64
		for try := range 3 {
			c1, ok := measure(small, 3, 20*time.Second)
			if !ok {
				t.Fatalf("%d bytes: no result within 20 s", len(small))
			}
			c2, ok := measure(large, 3, 80*time.Second)
			if !ok {
				t.Fatalf("%d bytes: no result within 80 s", len(large))
			}
			// Below a millisecond the timer and the scheduler
			// decide the ratio, not the work.
			tr = 1
			if c2.time > time.Millisecond {
				tr = float64(c2.time) / float64(max(c1.time, 1)) / size
			}
			ar = float64(c2.alloc) / float64(max(c1.alloc, 1)) / size
			if tr <= 3 && ar <= 3 {
				return
			}
			t.Logf("try %d: %d -> %d bytes: time %v -> %v (×%.2f per byte), allocated %d -> %d (×%.2f per byte)",
				try+1, len(small), len(large), c1.time, c2.time, tr, c1.alloc, c2.alloc, ar)
		}
		t.Errorf("cost grows faster than the input: time ×%.2f, allocation ×%.2f per byte", tr, ar)
	})
}

// eachGrown runs f, in a subtest named after the bounce and the shape,
// for each shape of shapes over every test bounce it applies to (those
// that -scaling.match picks), with the bounce grown n times and
// times·n times.
func eachGrown(t *testing.T, shapes []hostile.Shape, n, times int, f func(t *testing.T, small, large []byte)) {
	bs := bases(t)
	names := make([]string, 0, len(bs))
	for n := range bs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, s := range shapes {
			if *scalingMatch != "" && !strings.Contains(name+" "+s.Name, *scalingMatch) {
				continue
			}
			small, large := s.Build(bs[name], n), s.Build(bs[name], times*n)
			if small == nil {
				continue
			}
			t.Run(name+"/"+s.Name, func(t *testing.T) { f(t, small, large) })
		}
	}
}

// plausible reports whether addr reads as a mailbox address: net/mail
// parses it, and its domain has a dot and a last label of at least two
// letters (or an "xn--" label).
func plausible(addr string) bool {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address == "" {
		return false
	}
	at := strings.LastIndexByte(a.Address, '@')
	domain := a.Address[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	if dot < 0 {
		return false
	}
	tld := domain[dot+1:]
	if strings.HasPrefix(tld, "xn--") {
		return true
	}
	letters := 0
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
		letters++
	}
	return letters >= 2
}

// TestNoiseInventsNoRecipient feeds random bytes, random ASCII with mail
// punctuation and random non-Latin text under a bounce Subject: whatever
// is reported must be a plausible address that the input holds.
func TestNoiseInventsNoRecipient(t *testing.T) {
	size := 1 << 20
	if testing.Short() {
		size = 64 << 10
	}
	for _, kind := range []string{"bytes", "ascii", "cjk"} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("%s/%d", kind, seed), func(t *testing.T) {
				b := hostile.Noise(kind, size, seed)
				rep, err := ndr.ExplainBytes(b)
				if err != nil {
					return
				}
				low := bytes.ToLower(b)
				for _, r := range rep.Recipients {
					if !plausible(r.Recipient) || !bytes.Contains(low, bytes.ToLower([]byte(r.Recipient))) {
						t.Errorf("invented recipient %q", r.Recipient)
					}
				}
			})
		}
	}
}

// TestShapesGrow checks the generator itself: each shape that applies
// to a base grows it linearly with its count.
func TestShapesGrow(t *testing.T) {
	bs := bases(t)
	for name, b := range bs {
		for _, s := range hostile.CappedShapes() {
			x1, x2, x4 := s.Build(b, 100), s.Build(b, 200), s.Build(b, 400)
			if x1 == nil {
				if x4 != nil {
					t.Errorf("%s/%s: applies at 400 but not at 100", name, s.Name)
				}
				continue
			}
			d1, d2 := len(x2)-len(x1), len(x4)-len(x2)
			if d1 <= 0 || 2*d2 < 3*d1 || 2*d2 > 5*d1 {
				t.Errorf("%s/%s: grows %d then %d bytes", name, s.Name, d1, d2)
			}
		}
	}
}

// TestSplitMboxScaling checks that ndr.SplitMbox costs time in proportion
// to its input: an mbox of 8n short messages against one of n.
func TestSplitMboxScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("scaling check: not with -short")
	}
	if raceEnabled {
		t.Skip("scaling check: timings under the race detector say nothing")
	}
	mbox := func(n int) []byte {
		var b bytes.Buffer
		for i := range n {
			fmt.Fprintf(&b, "From MAILER-DAEMON Thu Dec  3 10:00:00 2026\nSubject: m%d\n\nx\n\n", i)
		}
		return b.Bytes()
	}
	small, large := mbox(5000), mbox(40000)
	run := func(b []byte) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			if got := len(ndr.SplitMbox(b)); got == 0 {
				t.Fatal("no messages")
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	size := float64(len(large)) / float64(len(small))
	var r float64
	for range 3 {
		r = float64(run(large)) / float64(max(run(small), 1)) / size
		if r <= 3 {
			return
		}
	}
	t.Errorf("time grows faster than the input: ×%.2f per byte", r)
}
