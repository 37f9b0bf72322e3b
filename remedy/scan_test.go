package remedy

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	strlit "github.com/ndrkit/ndrkit/internal/literal"
	"golang.org/x/text/language"
)

// The automaton scans long texts in pieces; it must find what one pass
// over the whole text finds, wherever a literal lies.
func TestScanPieces(t *testing.T) {
	x := Default().idx
	var longest, shortest int32
	for id, l := range x.lits {
		if l.n > x.lits[longest].n {
			longest = int32(id)
		}
		if l.n < x.lits[shortest].n || x.lits[shortest].fold {
			shortest = int32(id)
		}
	}
	ov := x.maxKey - 1
	for _, n := range []int{64, 2 * ov, 2*ov + 1, 2*ov + 7, 4 * ov, 600, 1001, 2999} {
		for _, id := range []int32{longest, shortest} {
			lit := x.strs[id]
			for p := 0; p+len(lit) <= n; p++ {
				buf := []byte(strings.Repeat(".", p) + strings.ToUpper(lit) + strings.Repeat(".", n-p-len(lit)))
				got, want := x.pool.New().(*scratch), x.pool.New().(*scratch)
				x.scan(buf, got)
				onePass(x, buf, want)
				if p%16 == 0 {
					checkScanAsSearch(t, x, buf, want)
				}
				if !slices.Equal(got.found, want.found) || got.first[id] != p {
					t.Fatalf("n=%d, %q at %d: found %x at %d, one pass finds %x", n, lit, p, got.found, got.first[id], want.found)
				}
				for other := range x.lits {
					if want.found[other>>6]&(1<<(other&63)) != 0 && got.first[other] != want.first[other] {
						t.Fatalf("n=%d, %q at %d: %q found at %d, one pass finds it at %d", n, lit, p, x.strs[other], got.first[other], want.first[other])
					}
				}
			}
		}
	}
}

// onePass runs the automaton over buf in one piece, byte after byte.
func onePass(x *index, buf []byte, sc *scratch) {
	var row int32
	for i, b := range buf {
		v := x.ac.Delta[row+int32(x.ac.Class[b])]
		if v >= 0 {
			row = v
			continue
		}
		row = ^v
		x.hit(buf, 0, row, i+1, sc)
	}
}

// checkScanAsSearch checks the literals that a scan of buf recorded in
// sc against a search for each literal at every offset.
func checkScanAsSearch(t *testing.T, x *index, buf []byte, sc *scratch) {
	t.Helper()
	for id, l := range x.lits {
		want := -1
		for p := 0; p+l.n <= len(buf); p++ {
			if equalFoldASCII(buf[p:p+l.n], x.bstrs[id]) &&
				!(l.before && p > 0 && isWordByte(buf[p-1])) &&
				!(l.after && p+l.n < len(buf) && isWordByte(buf[p+l.n])) {
				want = p
				break
			}
		}
		found := sc.found[id>>6]&(1<<(id&63)) != 0
		if found != (want >= 0) || found && sc.first[id] != want {
			t.Fatalf("%q in %q: scan finds %v at %d, search at %d", x.strs[id], buf, found, sc.first[id], want)
		}
	}
}

// The automaton looks for the first strlit.KeyLen bytes of a literal and
// compares the rest; it must find what a search for the whole literal
// finds, also where only the key occurs.
func TestScanLongLiterals(t *testing.T) {
	x := Default().idx
	long := 0
	for id, l := range x.lits {
		if l.n <= strlit.KeyLen {
			continue
		}
		long++
		lit := x.strs[id]
		for _, text := range []string{
			lit,
			strings.ToUpper(lit),
			"x " + lit + " y",
			"a" + lit + "b",
			lit[:strlit.KeyLen],
			lit[:len(lit)-1],
			lit[:len(lit)-1] + "#",
			lit[:strlit.KeyLen] + " " + lit,
			lit[:len(lit)-1] + "\n" + lit,
		} {
			sc := x.pool.New().(*scratch)
			x.scan([]byte(text), sc)
			checkScanAsSearch(t, x, []byte(text), sc)
		}
	}
	if long == 0 {
		t.Fatal("no literal is longer than its key")
	}
}

func TestTextTrigger(t *testing.T) {
	long := strings.Repeat("abcd ", 20)
	for _, s := range []string{
		"", "a", " a", "a ", "a b", "a  b", "a\tb", "a\nb", `a"b`, `a\b`, "é", "a\u00a0b", "\x7f", "\xff",
		long[:80], long[:79] + "e", long[:81], strings.Repeat("x", 81), strings.Repeat("é", 81),
	} {
		want := "text " + strconv.Quote(clip(s, 80))
		if got := textTrigger([]byte(s)); got != want {
			t.Errorf("textTrigger(%q) = %s, want %s", s, got, want)
		}
	}
}

// languageIndex answers a supported language without the matcher; the
// matcher must agree.
func TestLanguageIndexSupported(t *testing.T) {
	for i, tag := range Languages {
		_, got, conf := languageMatcher().Match(tag)
		if got != i || conf == language.No {
			t.Errorf("matcher gives %d (%v) for %s, want %d", got, conf, tag, i)
		}
		if got := languageIndex(tag); got != i {
			t.Errorf("languageIndex(%s) = %d, want %d", tag, got, i)
		}
	}
}

// scanTexts scans texts one by one and keeps the scan of a long text for
// the next call; it must record what one scan of the joined texts does,
// on the first call and when it reuses the kept scan.
func TestScanTextsAsJoined(t *testing.T) {
	x := Default().idx
	if !x.separate {
		t.Fatal("a literal of the default catalogue holds a newline")
	}
	long := strings.Repeat("Generating server: TYAPR01MB1234.jpnprd01.prod.outlook.com will not be retried ", 6)
	for _, texts := range [][]string{
		{"", "550 5.1.1 user unknown", long},
		{"spam", long, "x"},
		{long, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred", long[:300]},
		{"mailbox full", "\u212a", long},
		{"a", "b", "c"},
		{long + "spam"},
	} {
		joined := []byte(strings.Join(texts, "\n"))
		want := x.pool.New().(*scratch)
		x.scan(joined, want)
		sc := x.pool.New().(*scratch)
		for round := range 2 {
			clear(sc.found)
			sc.fold = false
			sc.buf = append(sc.buf[:0], joined...)
			x.scanTexts(texts, sc)
			if !slices.Equal(sc.found, want.found) || sc.fold != want.fold {
				t.Fatalf("%q, round %d: found %x (fold %t), the joined scan %x (fold %t)", texts, round, sc.found, sc.fold, want.found, want.fold)
			}
			for id := range x.lits {
				if want.found[id>>6]&(1<<(id&63)) != 0 && sc.first[id] != want.first[id] {
					t.Fatalf("%q, round %d: %q at %d, the joined scan finds it at %d", texts, round, x.strs[id], sc.first[id], want.first[id])
				}
			}
		}
	}
}
