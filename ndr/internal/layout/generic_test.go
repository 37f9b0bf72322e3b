package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
)

// TestAddressDomain checks addressIndex against addrPattern on the
// domains that test the ends of labels.
func TestAddressDomain(t *testing.T) {
	for _, d := range []string{
		"", "b", "b.c", "b.c.", "b.c-", "b-.c", "b-c.d-e.f", "b.c-.d", "b..c", "b.-c", "-b.c",
		"example.com>", "mx1.example.org:25", "a.b.c.d.e", "1.2", "b.c.-d", "ab--cd.ef",
	} {
		want := 0
		if loc := mailaddr.AddrPattern.FindStringIndex("x@" + d); loc != nil && loc[0] == 0 {
			want = loc[1] - len("x@")
		}
		got := 0
		if loc := mailaddr.AddressIndex("x@"+d, 0); loc != nil && loc[0] == 0 {
			got = loc[1] - len("x@")
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("addressIndex(%q) (-addrPattern +got):\n%s", "x@"+d, diff)
		}
	}
}
