package layout

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func TestFound(t *testing.T) {
	// An address counts towards the cap when it holds an "@".
	valid := func(a string) bool { return strings.Contains(a, "@") }
	tests := []struct {
		name  string
		max   int
		want  []string
		add   []string
		kept  []string
		count int
		over  int
	}{
		{"no cap", 0, nil, []string{"a@x", "b", "c@x"}, []string{"a@x", "b", "c@x"}, 3, 0},
		{"within the cap", 3, nil, []string{"a@x", "b@x"}, []string{"a@x", "b@x"}, 2, 0},
		{"beyond the cap", 2, nil, []string{"a@x", "b@x", "c@x", "d@x"}, []string{"a@x", "b@x"}, 4, 2},
		{"invalid addresses are kept apart", 1, nil, []string{"a", "b@x", "c", "d@x"}, []string{"a", "b@x"}, 4, 1},
		{"invalid addresses are not counted", 1, nil, []string{"a@x", "b", "c", "d"}, []string{"a@x", "b"}, 4, 0},
		{"wanted addresses beyond the cap", 1, []string{"c@x", "e@x"}, []string{"a@x", "b@x", "C@x", "c@x", "d@x"}, []string{"a@x", "C@x"}, 5, 3},
		// "addr<alias" is an entry for addr, expanded from alias.
		{"entries expanded from a wanted address, as many as it is wanted", 1, []string{"l@x", "l@x"},
			[]string{"a@x", "b@x<l@x", "c@x<L@x", "d@x<l@x", "e@x<m@x"}, []string{"a@x", "b@x", "c@x"}, 5, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want map[string]int
			for _, a := range tt.want {
				if want == nil {
					want = map[string]int{}
				}
				want[a]++
			}
			f := newFound(Options{MaxRecipients: tt.max, Valid: valid}, want)
			for _, a := range tt.add {
				addr, alias, _ := strings.Cut(a, "<")
				f.add(record.Recipient{Recipient: addr, OriginalRecipient: alias})
			}
			var kept []string
			for _, r := range f.rs {
				kept = append(kept, r.Recipient)
			}
			if diff := cmp.Diff(tt.kept, kept); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if f.count() != tt.count || f.over != tt.over {
				t.Errorf("count %d, over %d; want %d, %d", f.count(), f.over, tt.count, tt.over)
			}
		})
	}
}

// TestFoundLast checks that the changes a detector makes to the last
// recipient it added reach the list only when that recipient was kept.
func TestFoundLast(t *testing.T) {
	f := newFound(Options{MaxRecipients: 1}, nil)
	if f.last() != nil {
		t.Fatal("last of an empty collection")
	}
	f.add(record.Recipient{Recipient: "a@x"})
	f.last().Diagnostic = "kept"
	f.add(record.Recipient{Recipient: "b@x"})
	if f.keeps("c@x") {
		t.Error("keeps an address beyond the cap")
	}
	f.last().Diagnostic = "left out"
	if got := f.last().Recipient; got != "b@x" {
		t.Errorf("last is %q, want the recipient left out", got)
	}
	want := []record.Recipient{{Recipient: "a@x", Diagnostic: "kept"}}
	if diff := cmp.Diff(want, f.rs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestFoundJoin checks that a diagnostic joined up to the limit gives
// the caller the same text after its cut, and the same answer to
// whether it had to cut, as the whole text.
func TestFoundJoin(t *testing.T) {
	long := strings.Repeat("配信できません ", 40)
	pieces := [][]string{
		{"", " ", ""},
		{"short", " ", "reply"},
		{long, " ", "550 5.1.1 user unknown"},
		{"550 5.1.1 ", long},
		{long[:37], " ", long},
	}
	for _, max := range []int{0, 1, 10, 37, 38, 39, 40, 41, 100, 1000} {
		f := newFound(Options{MaxDiagnostic: max}, nil)
		for _, p := range pieces {
			whole := strings.Join(p, "")
			got := f.join(p...)
			if max == 0 {
				if got != whole {
					t.Errorf("no limit: join(%q) = %q", p, got)
				}
				continue
			}
			if textutil.CutUTF8(got, max) != textutil.CutUTF8(whole, max) || (len(got) > max) != (len(whole) > max) {
				t.Errorf("limit %d: join gives %d bytes, %q after the cut; the whole text %d bytes, %q",
					max, len(got), textutil.CutUTF8(got, max), len(whole), textutil.CutUTF8(whole, max))
			}
			if len(got) > 2*(max+utf8.UTFMax) {
				t.Errorf("limit %d: join gives %d bytes", max, len(got))
			}
		}
	}
}
