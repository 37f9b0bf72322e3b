package dnscheck

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ndrkit/ndrkit/ndr"
)

// bounce reads a bounce of testdata/dnscheck/bounces.
func bounce(tb testing.TB, name string) *ndr.Report {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "dnscheck", "bounces", name))
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := ndr.ExplainBytes(b)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

func TestDebugScenarios(t *testing.T) {
	d := startDNS(t)
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "dnscheck", "bounces", "*.eml"))
	for _, f := range files {
		rep := bounce(t, filepath.Base(f))
		res, err := Check(context.Background(), rep, d.options()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("== %s lookups=%d", filepath.Base(f), res.Lookups)
		for _, r := range res.Recipients {
			t.Logf("  target %+v", r.Target)
			for _, f := range r.Findings {
				t.Logf("   %s %s %s [%s] %s", f.Check, f.Severity, f.Subject, f.RemedyID, f.Summary.EN)
			}
		}
	}
}
