package classify

import (
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
)

// BenchmarkFinish completes and classifies every recipient that the
// layouts read from the test bounces, as Explain does after decoding;
// recipients/s is recipients per second.
func BenchmarkFinish(b *testing.B) {
	type decodedBounce struct {
		m  *mime.Message
		rs []record.Recipient
	}
	var all []decodedBounce
	n := 0
	for _, data := range testcorpus.Bounces(b) {
		m, err := mime.Walk(string(mime.Normalize(data)), testLimits)
		if err != nil {
			continue
		}
		m.Prepare()
		rs := decoded(m)
		all = append(all, decodedBounce{m, rs})
		n += len(rs)
	}
	r := make([]record.Recipient, 0, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range all {
			for _, rc := range d.rs {
				r = append(r[:0], rc)
				Finish(&r[0], d.m)
			}
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "recipients/s")
}
