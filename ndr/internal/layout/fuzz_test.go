package layout

import (
	"context"
	"errors"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
)

// FuzzDecode runs every layout over arbitrary messages, seeded with the
// test bounces: it must not panic, and every recipient names the layout
// that read it.
func FuzzDecode(f *testing.F) {
	for _, b := range testcorpus.Bounces(f) {
		f.Add(b)
	}
	limits := mime.Limits{
		MaxSize: 1 << 20, MaxParts: 64, MaxDepth: 8,
		ErrTruncated: errors.New("truncated"), ErrUnknownCharset: errors.New("unknown charset"),
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := mime.Walk(string(mime.Normalize(b)), limits)
		if err != nil {
			return
		}
		m.Prepare()
		for _, r := range decodeAll(m) {
			if r.DecodedBy == "" {
				t.Errorf("recipient %q without the layout that read it", r.Recipient)
			}
		}
	})
}

// decodeAll is Decode without a deadline or a limit on addresses.
func decodeAll(m *mime.Message) []record.Recipient {
	rs, _ := Decode(context.Background(), m, Options{})
	return rs
}
