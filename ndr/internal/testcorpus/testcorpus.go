// Package testcorpus gives the stages' tests the repository's test
// bounces (testdata/bounces), so that every stage can check a property
// over all of them. Only tests import it.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the repository's testdata/bounces directory, found from
// the working directory of the test upwards.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "bounces")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testcorpus: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Bounces returns the contents of every test bounce (*.eml), in file
// name order.
func Bounces(t testing.TB) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(Dir(t), "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("testcorpus: no test bounces: %v", err)
	}
	out := make([][]byte, len(files))
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// Texts returns a few edge texts, then extra, then every test bounce
// passed through normalize (the input stage's newline normalisation).
func Texts(t testing.TB, normalize func([]byte) []byte, extra ...string) []string {
	t.Helper()
	texts := append([]string{"", "x", "\n", "\n\n"}, extra...)
	for _, b := range Bounces(t) {
		texts = append(texts, string(normalize(b)))
	}
	return texts
}
