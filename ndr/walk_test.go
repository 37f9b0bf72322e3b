package ndr

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRead measures what Explain does before the analysis: newline
// normalisation, mbox handling and the MIME walk, over every test bounce.
func BenchmarkRead(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "bounces", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no test bounces: %v", err)
	}
	var inputs [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	o := buildOptions(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, in := range inputs {
			_, _ = read(in, false, o)
		}
	}
	b.ReportMetric(float64(b.N*len(inputs))/b.Elapsed().Seconds(), "msgs/s")
}
