package ndr

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
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

// TestOriginalInBody checks that reusing the copy marker found for the
// bounce text finds the returned header that a fresh search finds.
func TestOriginalInBody(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "bounces", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := read(data, buildOptions(nil))
		if err != nil {
			t.Fatal(err)
		}
		got, gotOK := mime.OriginalInBody(m)
		want, wantOK := mime.OriginalInText(m.Body)
		if len(m.BounceText()) == len(m.Body) {
			want, wantOK = record.Original{}, false
		}
		if diff := cmp.Diff(want, got); diff != "" || gotOK != wantOK {
			t.Errorf("%s: originalInBody (-originalInText +got, ok %v want %v):\n%s", f, gotOK, wantOK, diff)
		}
	}
}
