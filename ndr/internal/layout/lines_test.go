package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func FuzzEqualWithoutSpace(f *testing.F) {
	f.Add("Ma ximum", "Ma\n ximum")
	f.Add("a\u2028b", "ab")
	f.Add("\xe2\x80", "\xe2 \x80")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := textutil.EqualWithoutSpace(a, b), textutil.WithoutSpace(a) == textutil.WithoutSpace(b); got != want {
			t.Errorf("equalWithoutSpace(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}

// TestFirstLineWhere checks that Exim's list line found by comparing the
// words of the lines that hold its markers is the first match of
// eximList in the whole text, on edge texts and every test bounce.
func TestFirstLineWhere(t *testing.T) {
	texts := testcorpus.Texts(t, mime.Normalize,
		"The following address failed:  \n",
		"x\n  A message that you sent. The following addresses failed: \t\n",
		"the following address(es) failed:x\nThe address to which the message has not yet been delivered is:\n",
		"  the ADDRESSES to which the message has not yet been delivered are:\t\n",
		"The following address failed: x\nThe following address  failed:\nfollowing address(es) FAILED:",
		"The address to which the message has not yet been delivered is: x\n",
		"x\nthe following address(e\u017f) failed:\nthe following address failed:\n",
	)
	markers := []string{"following address", "to which the message has not yet been delivered"}
	for _, text := range texts {
		want := eximList.FindStringIndex(text)
		if want == nil {
			want = []int{-1, -1}
		}
		start, end := textutil.FirstLineWhere(text, literal.LowerASCII(text), isEximList, markers...)
		if diff := cmp.Diff(want, []int{start, end}); diff != "" {
			t.Errorf("firstLineWhere(%.50q) (-eximList +got):\n%s", text, diff)
		}
	}
}

func TestIndexLower(t *testing.T) {
	markers := []string{"", "a", "remote host said:", "smtp server <", "-------server message", "以下元のメール", "by ", "x", "Xx", "--"}
	texts := testcorpus.Texts(t, mime.Normalize, "A", "aA", "REMOTE HOST SAID:", "remote host sai", "Xx", "-----x-------SERVER MESSAGE", "ab\u017f")
	for _, mk := range markers {
		for _, s := range texts {
			if diff := cmp.Diff(indexLowerByByte(s, mk), textutil.IndexLower(s, mk)); diff != "" {
				t.Errorf("indexLower(%.40q, %q) (-by byte +got):\n%s", s, mk, diff)
			}
		}
	}
}
