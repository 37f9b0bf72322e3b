package ndr

import (
	"bytes"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// SplitMbox splits an mbox (messages each starting with a "From " line)
// into its messages. Input that is one message without a "From " line is
// returned as it is. Line ends may be LF, CRLF or CR; the messages are
// returned with LF line ends.
func SplitMbox(b []byte) [][]byte {
	var out [][]byte
	rest := b
	if bytes.IndexByte(rest, '\r') >= 0 {
		rest = mime.NormalizeNewlines(rest)
	}
	for len(bytes.TrimSpace(rest)) > 0 {
		// rest has LF line ends already: each message costs the work
		// of its own bytes, not of all that follow it.
		out = append(out, mime.FirstMessage(rest))
		// Find where the next message starts in rest.
		start := 0
		for start < len(rest) && rest[start] == '\n' {
			start++
		}
		body := rest[start:]
		if bytes.HasPrefix(body, []byte("From ")) {
			if k := bytes.IndexByte(body, '\n'); k >= 0 {
				body = body[k+1:]
			}
		}
		k := mime.NextMboxMessage(body)
		if k < 0 {
			break
		}
		rest = body[k:]
	}
	return out
}
