package ndr_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	message "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"

	"github.com/ndrkit/ndrkit/ndr"
)

func loadBounces(b *testing.B) [][]byte {
	var msgs [][]byte
	for _, file := range bounceFiles(b) {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, data)
	}
	return msgs
}

// BenchmarkExplain explains every test bounce once per iteration.
// Compare it with BenchmarkWalkOnly: the difference is the cost of the
// analysis over bare MIME parsing. msgs/s is messages per second.
func BenchmarkExplain(b *testing.B) {
	msgs := loadBounces(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			if _, err := ndr.ExplainBytes(m); err != nil && !errors.Is(err, ndr.ErrNotBounce) {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkWalkOnly is the floor: it only reads and walks the same
// messages with go-message, reading every leaf body and the header of
// every returned message, without any analysis.
func BenchmarkWalkOnly(b *testing.B) {
	msgs := loadBounces(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			walk(m)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}

// walk reads a message and all its parts with go-message.
func walk(raw []byte) {
	e, err := message.Read(bytes.NewReader(raw))
	if e == nil {
		_ = err
		return
	}
	walkEntity(e)
}

func walkEntity(e *message.Entity) {
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if p == nil || err != nil && !message.IsUnknownCharset(err) {
				return
			}
			walkEntity(p)
		}
	}
	mt, _, _ := e.Header.ContentType()
	switch mt {
	case "message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers":
		if inner, err := message.Read(e.Body); inner != nil {
			_ = err
			return
		}
	}
	_, _ = io.Copy(io.Discard, e.Body)
}
