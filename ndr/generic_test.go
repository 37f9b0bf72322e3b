package ndr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/record"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// testTexts returns a few edge texts and every test bounce, normalised.
func testTexts(t *testing.T, extra ...string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "bounces", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	texts := append([]string{"", "x", "\n", "\n\n"}, extra...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(normalize(b)))
	}
	return texts
}

// headerStartByIndex is originalHeaderStart written as one search of the
// text per field name.
func headerStartByIndex(body string) int {
	for _, name := range inlineHeaderFields {
		if k := strings.Index(body, "\n"+name); k >= 0 && looksLikeHeader(body[k+1:]) {
			return k + 1
		}
	}
	return -1
}

func TestOriginalHeaderStart(t *testing.T) {
	texts := testTexts(t,
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
		if diff := cmp.Diff(strings.TrimLeft(s, " \t>"), trimQuote(s)); diff != "" {
			t.Errorf("trimQuote(%q) (-TrimLeft +got):\n%s", s, diff)
		}
	}
}

// copyMarkerByList is copyMarker trying every marker of the list on
// every line that may begin one.
func copyMarkerByList(body string) (int, int) {
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
			if textutil.HasPrefixLower(line, mk) {
				return off, end
			}
		}
		off = end + 1
	}
	return -1, -1
}

func TestBounceText(t *testing.T) {
	texts := testTexts(t,
		"-", "---", "--- ", "> -----Original Message-----\nFrom: a\n",
		"text\n\t>Content-Type: message/rfc822\n",
		"text\nReturn-Path: <a@example.com>\nReceived: from x\n\n--- Original message\n",
		"x\n--- 元のメッセージ ---\n", "以下元のメール\n",
		"The original message was included below\n", "THE ORIGINAL MESSAGE FOLLOWS",
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
		got, gotOK := originalInBody(m)
		want, wantOK := originalInText(m.body)
		if len(m.bounceText()) == len(m.body) {
			want, wantOK = record.Original{}, false
		}
		if diff := cmp.Diff(want, got); diff != "" || gotOK != wantOK {
			t.Errorf("%s: originalInBody (-originalInText +got, ok %v want %v):\n%s", f, gotOK, wantOK, diff)
		}
	}
}
