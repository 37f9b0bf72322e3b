package ndr

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// BenchmarkAnalyse measures what Explain does after the MIME walk: the
// detectors, finish, classify and the remedy catalogue, over every test
// bounce already read. msgs/s is messages per second.
func BenchmarkAnalyse(b *testing.B) {
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "testdata", "bounces"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".eml") || strings.HasSuffix(p, ".txt")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	o := buildOptions(nil)
	var msgs []mime.Message
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if m, err := read(data, false, o); err == nil {
			msgs = append(msgs, *m)
		}
	}
	if len(msgs) == 0 {
		b.Fatal("no test bounces found")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range msgs {
			m := msgs[i]
			_, _ = analyse(context.Background(), &m, o)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
