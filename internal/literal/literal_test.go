package literal

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGroups(t *testing.T) {
	tests := []struct {
		expr  string
		lower bool
		want  [][]string
	}{
		{`mailbox (?:is )?full`, false, [][]string{{"mailbox "}, {"full"}}},
		{`user unknown|no such user`, false, [][]string{{"user unknown", "no such user"}}},
		{`(?i)User Unknown`, false, nil},
		{`(?i)User Unknown`, true, [][]string{{"user unknown"}}},
		{`a|bc`, false, nil},
		{`x*`, false, nil},
		{`メールボックス`, false, [][]string{{"メールボックス"}}},
		{`メールボックス`, true, nil},
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, Groups(re.Simplify(), tt.lower)); diff != "" {
			t.Errorf("Groups(%q, %t) (-want +got):\n%s", tt.expr, tt.lower, diff)
		}
	}
}

// TestGroupsAreRequired checks the promise: every match contains a
// literal of every group.
func TestGroupsAreRequired(t *testing.T) {
	texts := []string{"the mailbox is full", "mailbox full now", "no such user here", "user unknown", "550 5.1.1 unknown user"}
	for _, expr := range []string{`mailbox (?:is )?full`, `user unknown|no such user`, `(?:550|554) 5\.1\.1 unknown (user|recipient)`} {
		re := regexp.MustCompile(expr)
		tree, _ := syntax.Parse(expr, syntax.Perl)
		groups := Groups(tree, false)
		for _, text := range texts {
			m := re.FindString(text)
			if m == "" {
				continue
			}
			for _, g := range groups {
				found := false
				for _, lit := range g {
					found = found || strings.Contains(m, lit)
				}
				if !found {
					t.Errorf("%q matches %q, which holds none of %q", expr, m, g)
				}
			}
		}
	}
}

func TestBest(t *testing.T) {
	got := Best([][]string{{"ab", "cdef"}, {"abc", "xyz"}, {"abc"}})
	if diff := cmp.Diff([]string{"abc"}, got); diff != "" {
		t.Error(diff)
	}
	if Best(nil) != nil {
		t.Error("Best(nil) != nil")
	}
}

func TestAutomatonFirstIndex(t *testing.T) {
	lits := []string{"user unknown", "unknown", "Mailbox Full", "z"}
	a := NewAutomaton(lits)
	first := make([]int32, len(lits))
	a.FirstIndex("550 USER UNKNOWN; mailbox full, unknown again", first)
	want := []int32{4, 9, 18, -1}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first occurrences (-want +got):\n%s", diff)
	}
}

// firstIndexes is FirstIndex by plain searches.
func firstIndexes(lits []string, s string) []int32 {
	low := strings.ToLower(s)
	out := make([]int32, len(lits))
	for i, l := range lits {
		out[i] = int32(strings.Index(low, strings.ToLower(l)))
	}
	return out
}

func FuzzAutomatonFirstIndex(f *testing.F) {
	lits := []string{"user unknown", "unknown", "Mailbox Full", "z", "ab", "abab", "b", "the following address failed:", "ababababababababababab"}
	a := NewAutomaton(lits)
	f.Add("550 USER UNKNOWN; mailbox full, unknown again")
	f.Add(strings.Repeat("abz unknown ", 60) + "the following address failed:" + strings.Repeat("x", 300) + "mailbox full")
	f.Add(strings.Repeat("a", 1000) + "abababababababababababab")
	f.Add(strings.Repeat("the following address ", 20) + strings.Repeat("abababababab_", 30) + "The Following Address Failed:")
	f.Fuzz(func(t *testing.T, s string) {
		// Plain ASCII, so that strings.ToLower folds as the automaton does.
		b := []byte(s)
		for i := range b {
			b[i] &= 0x7f
		}
		s = string(b)
		for _, n := range []int{1, 3, 50} {
			text := strings.Repeat(s, n)
			first := make([]int32, len(lits))
			a.FirstIndex(text, first)
			if diff := cmp.Diff(firstIndexes(lits, text), first); diff != "" {
				t.Fatalf("first occurrences in %q (-want +got):\n%s", text, diff)
			}
		}
	})
}

func TestLowerASCII(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"already lower": "already lower",
		"MiXeD 550 ÄB":  "mixed 550 Äb",
	} {
		if got := LowerASCII(in); got != want {
			t.Errorf("LowerASCII(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzAutomatonMark checks Mark and MarkIn against plain searches: a
// literal's bit is set exactly when the text, or the part of it, holds
// it, ASCII letters folded.
func FuzzAutomatonMark(f *testing.F) {
	lits := []string{"user unknown", "unknown", "Mailbox Full", "z", "ab", "abab", "b", "the following address failed:", "ababababababababababab"}
	a := NewAutomaton(lits)
	f.Add("550 USER UNKNOWN; mailbox full, unknown again")
	f.Add(strings.Repeat("a", 1000) + "abababababababababababab")
	f.Add(strings.Repeat("the following address ", 20) + "The Following Address Failed:")
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		for i := range b {
			b[i] &= 0x7f
		}
		for _, n := range []int{1, 3, 50} {
			text := strings.Repeat(string(b), n)
			seen := []uint64{1 << 63} // a bit already set stays set
			a.Mark(text, seen)
			for i, k := range firstIndexes(lits, text) {
				if got, want := seen[0]&(1<<i) != 0, k >= 0; got != want {
					t.Fatalf("%q in %q: marked %v, held %v", lits[i], text, got, want)
				}
			}
			if seen[0]&(1<<63) == 0 {
				t.Fatal("Mark cleared a bit")
			}
			// A part of the text: a third of it from a sixth on.
			lo, hi := len(text)/6, len(text)/6+len(text)/3
			whole, in := make([]uint64, 1), make([]uint64, 1)
			a.MarkIn(text, lo, hi, whole, in)
			if whole[0] != seen[0]&^(1<<63) {
				t.Fatalf("MarkIn marked %b in %q, Mark %b", whole[0], text, seen[0])
			}
			for i, k := range firstIndexes(lits, text[lo:hi]) {
				if got, want := in[0]&(1<<i) != 0, k >= 0; got != want {
					t.Fatalf("%q in %q[%d:%d]: marked %v, held %v", lits[i], text, lo, hi, got, want)
				}
			}
		}
	})
}

func FuzzLowerASCII(f *testing.F) {
	for _, s := range []string{"", "abc", "ABC", "Hello, World! 0123456789 @[`{", "Ünïcödé ÀÉ", "\x80A\xffZ", "aaaaaaaaaaaaaaaaZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := []byte(s)
		for i, c := range want {
			want[i] = LowerByte(c)
		}
		if got := LowerASCII(s); got != string(want) {
			t.Errorf("LowerASCII(%q) = %q, want %q", s, got, want)
		}
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < 0x80
		}
		if got := ASCII(s); got != ascii {
			t.Errorf("ASCII(%q) = %t, want %t", s, got, ascii)
		}
	})
}
