package hostile_test

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/hostile"
	"github.com/ndrkit/ndrkit/ndr"
)

var memoryN = flag.Int("memory.n", 250, "repetitions of the smaller run of each shape in TestScalingMemory; the larger has four times as many")

// capped are limits that the grown reports of TestScalingMemory reach at
// both sizes, so that what the larger input costs beyond the smaller is
// the work of reading it, not more recipients, addresses or diagnostic
// text up to the caps.
var capped = ndr.WithOptions(ndr.Options{MaxRecipients: 100, MaxAddresses: 200, MaxDiagnostic: 1 << 10})

// Budgets of TestScalingMemory. Every byte Explain holds at its peak was
// allocated, so bytes allocated bound the peak from above; they are
// counted, not timed, so that a loaded machine does not change them.
const (
	// allocPerByte is the most bytes Explain may allocate for each byte
	// that the larger input adds to the smaller.
	allocPerByte = 32
	// allocGrowth is the most that the bytes allocated per input byte may
	// grow from the smaller input to the larger (four times as large).
	// Linear work gives about 1 (the fixed costs weigh less on the larger
	// input, and a list grown by doubling may cost up to twice as much
	// per item at one size as at another); memory that grows with the
	// square of the input, such as a copy of a long text for each of its
	// lines, gives 4.
	allocGrowth = 2.0
)

// allocated returns the fewest bytes that one run of Explain on b
// allocates in three runs. Scratch space kept in a sync.Pool is dropped
// by whichever garbage collection happens to come first, and a run that
// follows one has to allocate it again; the fewest bytes are the work of
// reading b.
func allocated(b []byte) uint64 {
	least := uint64(math.MaxUint64)
	for range 3 {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		_, _ = ndr.ExplainBytes(b, capped)
		runtime.ReadMemStats(&m1)
		least = min(least, m1.TotalAlloc-m0.TotalAlloc)
	}
	return least
}

// TestScalingMemory runs every shape of hostile.CappedShapes over every
// test bounce at two sizes, with the limits of capped, and counts the
// bytes Explain allocates: those that the larger input costs beyond the
// smaller, per byte it adds, may not exceed allocPerByte, and the bytes
// per input byte may not grow by more than allocGrowth from the smaller
// input to the larger. Both inputs are read once before either is measured,
// so that what is prepared once (the remedy catalogue, compiled
// patterns) is not counted.
func TestScalingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("memory check: not with -short")
	}
	if raceEnabled {
		t.Skip("memory check: the race detector allocates for its own records")
	}
	var worst struct {
		perByte, growth     float64
		perByteAt, growthAt string
	}
	eachGrown(t, hostile.CappedShapes(), *memoryN, 4, func(t *testing.T, small, large []byte) {
		// Both inputs are read once first: a pattern or table that is
		// prepared on first use, by whichever input reaches it first,
		// would otherwise be counted against one size only.
		_, _ = allocated(small), allocated(large)
		a1, a2 := allocated(small), allocated(large)
		perByte := (float64(a2) - float64(a1)) / float64(len(large)-len(small))
		growth := float64(a2) / float64(len(large)) / (float64(a1) / float64(len(small)))
		if perByte > worst.perByte {
			worst.perByte, worst.perByteAt = perByte, t.Name()
		}
		if growth > worst.growth {
			worst.growth, worst.growthAt = growth, t.Name()
		}
		if perByte > allocPerByte || growth > allocGrowth {
			t.Errorf("%d -> %d bytes: allocated %d -> %d bytes, %.1f per added byte (at most %d), per input byte ×%.2f (at most ×%.1f)",
				len(small), len(large), a1, a2, perByte, allocPerByte, growth, allocGrowth)
		}
	})
	t.Logf("most bytes allocated per added input byte: %.1f (%s); most growth per input byte: ×%.2f (%s)",
		worst.perByte, worst.perByteAt, worst.growth, worst.growthAt)
}

// TestRecipientCap checks that the recipient cap leaves out recipients
// without changing the ones it keeps: for every test bounce grown to
// list many recipients (in its text, in its DSN, or as bare addresses),
// a report capped at a few recipients holds the first recipients of the
// report without the cap, field for field, and its warning counts
// exactly the ones left out.
func TestRecipientCap(t *testing.T) {
	const total, kept = 30, 7
	bs := bases(t)
	over := 0 // the reports that list more recipients than kept
	for name, base := range bs {
		for _, s := range hostile.CappedShapes() {
			switch s.Name {
			case "recipient-lines", "recipient-paragraphs", "dsn-blocks", "addresses-on-one-line":
			default:
				continue
			}
			b := s.Build(base, total)
			if b == nil {
				continue
			}
			full, err := ndr.ExplainBytes(b, ndr.WithoutExplanations())
			if err != nil {
				continue
			}
			capped, err := ndr.ExplainBytes(b, ndr.WithOptions(ndr.Options{MaxRecipients: kept, NoExplanations: true}))
			if err != nil {
				t.Errorf("%s/%s: %v", name, s.Name, err)
				continue
			}
			want := full.Recipients[:min(kept, len(full.Recipients))]
			if diff := cmp.Diff(want, capped.Recipients); diff != "" {
				t.Errorf("%s/%s: the capped report's recipients (-first of the full report +capped):\n%s", name, s.Name, diff)
			}
			var wantWarning []string
			if left := len(full.Recipients) - kept; left > 0 {
				wantWarning = []string{fmt.Sprintf("%d recipients were left out", left)}
				over++
			}
			if diff := cmp.Diff(wantWarning, limitTexts(capped.Warnings, "recipients")); diff != "" {
				t.Errorf("%s/%s: recipients warning (-want +got):\n%s", name, s.Name, diff)
			}
		}
	}
	// Not every grown report lists more recipients (a layout may read
	// only lines that a shape leaves as they are), but enough must for
	// the check to say something.
	if over < len(bs)/8 {
		t.Errorf("only %d grown reports list more than %d recipients", over, kept)
	}
	t.Logf("%d grown reports list more than %d recipients", over, kept)
}

// limitTexts returns the text after the limit of each warning about the
// limit named what.
func limitTexts(ws []ndr.Warning, what string) []string {
	var out []string
	for _, w := range ws {
		if le, ok := errors.AsType[*ndr.LimitError](w.Err); ok && le.What == what {
			msg := w.Err.Error()
			out = append(out, msg[strings.LastIndex(msg, ": ")+2:])
		}
	}
	return out
}

// TestDiagnosticCap checks that the diagnostic cap changes nothing but
// the length of the diagnostics: for every test bounce grown with long
// text that its recipients share, the report with diagnostics cut to a
// few hundred bytes names the same recipients with the same first bytes
// of each diagnostic as the report without the cap, and its warning
// counts the diagnostics that were longer.
func TestDiagnosticCap(t *testing.T) {
	const n, limit = 12, 300
	bs := bases(t)
	cut := 0 // the reports with a diagnostic longer than limit
	for _, s := range hostile.CappedShapes() {
		for name, base := range bs {
			b := s.Build(base, n)
			if b == nil {
				continue
			}
			full, err := ndr.ExplainBytes(b, ndr.WithOptions(ndr.Options{MaxDiagnostic: 1 << 30, NoExplanations: true}))
			if err != nil {
				continue
			}
			short, err := ndr.ExplainBytes(b, ndr.WithOptions(ndr.Options{MaxDiagnostic: limit, NoExplanations: true}))
			if err != nil {
				t.Errorf("%s/%s: %v", name, s.Name, err)
				continue
			}
			var want, got []string
			long := 0
			for _, r := range full.Recipients {
				d := r.Diagnostic
				if len(d) > limit {
					long++
					// The longest prefix that ends at a character boundary.
					k := limit
					for k > 0 && !utf8.RuneStart(d[k]) {
						k--
					}
					// The report gives it without the blanks at its end.
					d = strings.TrimRightFunc(d[:k], unicode.IsSpace)
				}
				want = append(want, r.Recipient+": "+d)
			}
			for _, r := range short.Recipients {
				got = append(got, r.Recipient+": "+r.Diagnostic)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s/%s: recipients and diagnostics (-without the cap +with it):\n%s", name, s.Name, diff)
			}
			var wantWarning []string
			if long > 0 {
				cut++
				wantWarning = []string{fmt.Sprintf("the diagnostic text of %d recipients was cut", long)}
			}
			if diff := cmp.Diff(wantWarning, limitTexts(short.Warnings, "diagnostic")); diff != "" {
				t.Errorf("%s/%s: diagnostic warning (-want +got):\n%s", name, s.Name, diff)
			}
		}
	}
	t.Logf("%d reports with a diagnostic longer than %d bytes", cut, limit)
}
