package mime

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func TestOriginalHeaderStart(t *testing.T) {
	texts := testcorpus.Texts(t, Normalize,
		"Return-Path: <a@example.com>\nReceived: from x\n\n",
		"text\nReturn-Path: <a@example.com>\nReceived: from x\n\n",
		"text\nReturn-Path: broken\n\nReceived: from x\nSubject: y\n\n",
		"a\nX-Received: by x\nARC-Seal: i=1\nDKIM-Signature: v=1\nTo: b@example.org\n",
		"a\nReceived: fro",
		"a\nReturn-Path:",
	)
	for _, text := range texts {
		if diff := cmp.Diff(headerStartByIndex(text), originalHeaderStart(text)); diff != "" {
			t.Errorf("originalHeaderStart(%.40q) (-by index +got):\n%s", text, diff)
		}
	}
}

func TestTrimQuote(t *testing.T) {
	for _, s := range []string{"", " ", "> > text", "\t>-- x", "x > y", ">>>", " \u00a0x"} {
		if diff := cmp.Diff(strings.TrimLeft(s, " \t>"), TrimQuote(s)); diff != "" {
			t.Errorf("trimQuote(%q) (-TrimLeft +got):\n%s", s, diff)
		}
	}
}

func TestBounceText(t *testing.T) {
	texts := testcorpus.Texts(t, Normalize,
		"-", "---", "--- ", "> -----Original Message-----\nFrom: a\n",
		"text\n\t>Content-Type: message/rfc822\n",
		"text\nReturn-Path: <a@example.com>\nReceived: from x\n\n--- Original message\n",
		"x\n--- 元のメッセージ ---\n", "以下元のメール\n",
		"The original message was included below\n", "THE ORIGINAL MESSAGE FOLLOWS",
		"-----Original Message-----\nFrom: a\n\nreport\n--- Original message\n",
		"\n> \n----------\n-----Original Message-----\nreport\nThe original message follows\n",
		"-  \n-----Original Message-----\n", "x\n-----Original Message-----\n",
	)
	for _, text := range texts {
		wantStart, wantEnd := copyMarkerByList(text)
		gotStart, gotEnd := copyMarker(text, nil)
		if diff := cmp.Diff([]int{wantStart, wantEnd}, []int{gotStart, gotEnd}); diff != "" {
			t.Errorf("copyMarker(%.40q) (-by list +got):\n%s", text, diff)
		}
		want := text
		if wantStart >= 0 {
			want = text[:wantStart]
		} else if k := headerStartByIndex(text); k >= 0 {
			want = text[:k]
		}
		if diff := cmp.Diff(want, bounceText(text)); diff != "" {
			t.Errorf("bounceText(%.40q) (-by list and index +got):\n%s", text, diff)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb\r\n", "a\nb\n"},
		{"a\rb\r", "a\nb\n"},
		{"From MAILER-DAEMON Mon Nov 23 10:00:00 2026\nSubject: x\n\nbody\n", "Subject: x\n\nbody\n"},
		{"\n\nSubject: x\n", "Subject: x\n"},
		{"Subject: one\n\nbody\n\nFrom a@b Mon Nov 23 10:00:00 2026\nSubject: two\n\nbody\n", "Subject: one\n\nbody\n"},
		{"Subject: one\n\nFrom here on, text.\nmore\n", "Subject: one\n\nFrom here on, text.\nmore\n"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, string(Normalize([]byte(tt.in)))); diff != "" {
			t.Errorf("normalize(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestLooksLikeHeader pins down which texts start with a message header.
func TestLooksLikeHeader(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"From: a@example.com", false},
		{"From: a@example.com\n", true},
		{"From: a@example.com\n\nbody", true},
		{"X-Thing: 1\n\nbody", false},
		{"From: a\n continued", false},
		{"From: a\n continued\n", true},
		{"A: 1\nB: 2", true},
		{"A: 1\nnot a field\n", false},
		{" A: 1\nB: 2\n", false},
		{"A: 1\nB: 2\nC: 3\nD: 4\nE: 5\nF: 6\nG: 7\nH: 8\nnot a field", true},
		{"A: 1\nB: 2\nC: 3\nD: 4\nE: 5\nF: 6\nG: 7\nnot a field", false},
		{"The mail system\n\n<a@example.com>: host said", false},
		// Postfix paragraphs pasted without the blank lines between them.
		{"<a@example.com>: host mx.example.com[192.0.2.1] said: 550\n    Unknown user\n<b@example.com>: host mx.example.com[192.0.2.1] said: 550\n    Unknown user\n", false},
		{"X-Postfix-Queue-ID: 1\nX_Odd.Name: 2\n", true},
	}
	for _, tt := range tests {
		if got := LooksLikeHeader(tt.text); got != tt.want {
			t.Errorf("looksLikeHeader(%q) = %v, want %v", tt.text, got, tt.want)
		}
		if got := LooksLikeHeader(HeaderStart([]byte(tt.text))); got != tt.want {
			t.Errorf("looksLikeHeader(headerStart(%q)) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// headerStartByIndex is originalHeaderStart written as one search of the
// text per field name.
func headerStartByIndex(body string) int {
	for _, name := range inlineHeaderFields {
		if k := strings.Index(body, "\n"+name); k >= 0 && LooksLikeHeader(body[k+1:]) {
			return k + 1
		}
	}
	return -1
}

// copyMarkerByList is copyMarker trying every marker of the list on
// every line that may begin one.
func copyMarkerByList(body string) (int, int) {
	// hasText reports whether a line of s has text besides quote marks,
	// blanks and a run of dashes.
	hasText := func(s string) bool {
		for _, l := range strings.Split(s, "\n") {
			l = strings.TrimLeft(l, " \t>")
			if strings.HasPrefix(l, "-") {
				l = strings.TrimPrefix(strings.TrimLeft(l, "-"), " ")
			}
			if l != "" {
				return true
			}
		}
		return false
	}
	for off := 0; off < len(body); {
		end := strings.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off
		}
		line := strings.TrimLeft(body[off:end], " \t>")
		markers := plainCopyMarkers
		if strings.HasPrefix(line, "-") {
			line = strings.TrimPrefix(strings.TrimLeft(line, "-"), " ")
			markers = dashedCopyMarkers
		}
		for _, mk := range markers {
			if textutil.HasPrefixLower(line, mk) && hasText(body[:off]) {
				return off, end
			}
		}
		off = end + 1
	}
	return -1, -1
}
