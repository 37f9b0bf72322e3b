package ndr

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// scanAll splits b with the streaming scanner.
func scanAll(t *testing.T, b []byte, max int) [][]byte {
	t.Helper()
	s := &mboxScanner{br: newTestReader(b), max: max, lineStart: true}
	var out [][]byte
	for {
		m, last, ok := s.next()
		if !ok {
			break
		}
		s.index++
		if s.index > 1 {
			s.inMbox = true
		}
		out = append(out, append([]byte(nil), m.data...))
		if last {
			break
		}
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	return out
}

// newTestReader reads b one byte at a time, so that a CR and its LF
// arrive in different reads.
func newTestReader(b []byte) *bufio.Reader {
	return bufio.NewReaderSize(&lfReader{r: iotest.OneByteReader(bytes.NewReader(b))}, 64<<10)
}

// mboxOf joins messages into an mbox with the given line end.
func mboxOf(nl string, msgs ...string) []byte {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "From sender%d@example.org Thu Jul  2 12:05:0%d 2020\n%s\n", i, i%10, m)
	}
	return []byte(strings.ReplaceAll(b.String(), "\n", nl))
}

// TestReportsSplitsLikeSplitMbox checks that the streaming split gives
// the messages SplitMbox gives, for every test bounce, each newline
// convention and mboxes built from them.
func TestReportsSplitsLikeSplitMbox(t *testing.T) {
	var inputs [][]byte
	var all []string
	err := filepath.WalkDir(filepath.Join("..", "testdata", "bounces"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		inputs = append(inputs, b)
		if len(all) < 40 {
			all = append(all, string(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		inputs = append(inputs, mboxOf(nl, all...))
		inputs = append(inputs, mboxOf(nl, "Subject: a\n\nFrom the start of a line\nbody", "Subject: b\n\nx"))
	}
	inputs = append(inputs, []byte("\n\nFrom a@b Thu Jul  2 12:05:05 2020\nSubject: x\n\nbody\n"), []byte(""), []byte("\n \n"))
	for i, b := range inputs {
		want := SplitMbox(b)
		var got [][]byte
		for _, m := range scanAll(t, b, DefaultMaxSize) {
			got = append(got, SplitMbox(m)...)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("input %d: (-SplitMbox +streamed):\n%s", i, diff)
		}
	}
}

func TestReportsMbox(t *testing.T) {
	bounce, err := os.ReadFile(filepath.Join("..", "testdata", "bounces", "dsn", "postfix-userunknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	big := "Subject: big\n\n" + strings.Repeat("x", 3000) + "\n"
	in := mboxOf("\r\n", string(bounce), "From: a@example.org\nSubject: hello\n\nHi.\n", big, string(bounce))
	var got []string
	for rep, err := range Reports(bytes.NewReader(in), WithLimits(len(bounce)+500, 0, 0), WithoutExplanations()) {
		switch {
		case err != nil:
			var me *MessageError
			if !errors.As(err, &me) {
				t.Fatalf("%v is not a *MessageError", err)
			}
			got = append(got, fmt.Sprintf("%d %v not-bounce=%v limit=%v: %v", me.Index, me.InMbox,
				errors.Is(err, ErrNotBounce), errors.Is(err, ErrLimit), err))
		default:
			got = append(got, rep.Recipients[0].Recipient)
		}
	}
	want := []string{
		"nobody@example.net",
		"2 true not-bounce=true limit=false: message 2: ndr: message is not a bounce",
		fmt.Sprintf("3 true not-bounce=false limit=true: message 3: %v", &LimitError{What: "size", Limit: len(bounce) + 500}),
		"nobody@example.net",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReportsSingle(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"pasted", "Delivery has failed to these recipients or groups: xxxx@aol.com The server or service did not respond in time.\n", "xxxx@aol.com"},
		{"ordinary", "From: a@example.org\nSubject: hi\n\nHi.\n", "ndr: message is not a bounce"},
		{"empty", "", "ndr: empty input"},
		{"blank", "\n\n", "ndr: empty input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for rep, err := range Reports(strings.NewReader(tc.in)) {
				if err != nil {
					got = append(got, err.Error())
				} else {
					got = append(got, rep.Recipients[0].Recipient)
				}
			}
			if diff := cmp.Diff([]string{tc.want}, got); diff != "" {
				t.Error(diff)
			}
		})
	}
}

// countingReader counts the bytes read from an endless stream of x.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
		if i%100 == 99 {
			p[i] = '\n'
		}
	}
	c.n += int64(len(p))
	return len(p), nil
}

// TestReportsStopsAtLimit: input that is not an mbox is not read far
// beyond the size limit.
func TestReportsStopsAtLimit(t *testing.T) {
	var c countingReader
	var errs []error
	for _, err := range Reports(&c, WithLimits(1<<20, 0, 0)) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrLimit) {
		t.Fatalf("got %v, want one limit error", errs)
	}
	if c.n > 1<<20+256<<10 {
		t.Errorf("read %d bytes for a limit of %d", c.n, 1<<20)
	}
}

// mboxStream generates an mbox of n copies of msg without holding it.
type mboxStream struct {
	msg  []byte
	n    int
	rest []byte
}

func (m *mboxStream) Read(p []byte) (int, error) {
	if len(m.rest) == 0 {
		if m.n == 0 {
			return 0, io.EOF
		}
		m.n--
		m.rest = m.msg
	}
	k := copy(p, m.rest)
	m.rest = m.rest[k:]
	return k, nil
}

// TestReportsMemoryFlat reads 3,000 messages and checks that the live
// heap after the last one is no larger than after the 300th: memory does
// not grow with the number of messages.
func TestReportsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 3,000 messages")
	}
	bounce, err := os.ReadFile(filepath.Join("..", "testdata", "bounces", "dsn", "postfix-userunknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	src := &mboxStream{msg: mboxOf("\n", string(bounce)+strings.Repeat("padding line\n", 1000)), n: 3000}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var at300, n int
	var h300 uint64
	for _, err := range Reports(src, WithoutExplanations()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 300 {
			at300, h300 = n, heap()
		}
	}
	hEnd := heap()
	if n != 3000 || at300 != 300 {
		t.Fatalf("read %d messages", n)
	}
	if hEnd > h300+512<<10 {
		t.Errorf("live heap grew from %d bytes after 300 messages to %d after 3,000", h300, hEnd)
	}
}

// TestRetryLengthInWords reads how long the sending server keeps trying
// from a delay notice that says it in words: counted from the notice's
// Date, or told as a length when there is no date to count from.
func TestRetryLengthInWords(t *testing.T) {
	for _, tt := range []struct {
		file, lang, want string
	}{
		// "Message will be retried for 1 more day(s)", Date 11:00 -0800.
		{"bounces/gmail/old-delay.eml", "en", "keeps retrying until 2025-03-09 11:00 -0800"},
		// OpenSMTPD: "kept in the queue for up to 7 days", no arrival date.
		{"bounces/opensmtpd/delayed.eml", "ja", "メールを受け取ってから7日たつまで"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Explain(bytes.NewReader(b), WithLanguage(language.Make(tt.lang)))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Recipients {
			if len(r.Explanations) == 0 || !strings.Contains(r.Explanations[0].RetryText, tt.want) {
				t.Errorf("%s %s: retry text does not hold %q: %+v", tt.file, r.Recipient, tt.want, r.Explanations)
			}
		}
	}
}
