package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

func readTestdata(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", "..", "testdata", "bounces"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mbox joins messages into an mbox.
func mbox(msgs ...string) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "From sender%d@example.org Mon Mar  9 10:0%d:00 2026\n%s\n", i, i%10, m)
	}
	return b.String()
}

const plainMessage = "From: a@example.com\nTo: b@example.net\nSubject: hello\n\nHi.\n"

// runAll runs ndrexplain and returns its exit status, output and errors.
func runAll(t *testing.T, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func TestFormats(t *testing.T) {
	in := mbox(readTestdata(t, "dsn", "postfix-userunknown.eml"), plainMessage)
	for _, tc := range []struct {
		name string
		args []string
		// check returns what the test compares for the format.
		check func(t *testing.T, out string) []string
		want  []string
	}{
		{"jsonl", []string{"-format", "jsonl"}, func(t *testing.T, out string) []string {
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprint(m["file"], " ", m["message"], " ", m["recipient"], " ", m["not_bounce"]))
			}
			return got
		}, []string{"- <nil> nobody@example.net <nil>", "- 2 <nil> true"}},
		{"json alias", []string{"-json"}, func(t *testing.T, out string) []string {
			return []string{fmt.Sprint(strings.Count(out, "\n"))}
		}, []string{"2"}},
		{"json", []string{"-format", "json"}, func(t *testing.T, out string) []string {
			var a []map[string]any
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range a {
				got = append(got, fmt.Sprint(m["recipient"], " ", m["not_bounce"]))
			}
			return got
		}, []string{"nobody@example.net <nil>", "<nil> true"}},
		{"csv", []string{"-format", "csv", "-lang", "en"}, func(t *testing.T, out string) []string {
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, strings.Join([]string{r[1], r[2], r[3], r[5], r[7], r[8], r[10], r[15]}, "|"))
			}
			return got
		}, []string{
			"message|kind|recipient|status|reply_code|reason|hard_bounce|who_must_act",
			"1|failure|nobody@example.net|5.1.1|550|userunknown|true|Sender",
			"2|not-bounce||||||",
		}},
		{"text en", []string{"-lang", "en"}, func(t *testing.T, out string) []string {
			return grepLines(out, "==", "reason:", "evidence:", "status:")
		}, []string{
			"== -:message 1 (failure)",
			"   reason: userunknown (The recipient's address does not exist)",
			"   evidence: text \"User unknown\" and status 5.1.1 (decoded by: postfix)",
			"   status: 5.1.1 Bad destination mailbox address",
			"== -:message 2: not a bounce",
		}},
		{"text ja", []string{"-lang", "ja"}, func(t *testing.T, out string) []string {
			return grepLines(out, "==", "要点：", "理由：", "理由の根拠：", "拡張ステータス：")
		}, []string{
			"== -:message 1（配送失敗）",
			"   要点：宛先のアドレスが存在しません。アドレスを確認してください。",
			"   理由：userunknown（宛先のメールアドレスが存在しません）",
			"   理由の根拠：本文 \"User unknown\"（拡張ステータスコード 5.1.1 とも一致）（読み取り：postfix）",
			"   拡張ステータス：5.1.1 宛先のユーザーが存在しない",
			"== -:message 2：不達通知ではありません",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runAll(t, strings.NewReader(in), tc.args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit status %d: %s", code, errs)
			}
			if diff := cmp.Diff(tc.want, tc.check(t, out)); diff != "" {
				t.Errorf("(-want +got):\n%s\n%s", diff, out)
			}
		})
	}
}

// grepLines returns the lines of s that start with one of the prefixes
// (after the indent).
func grepLines(s string, prefixes ...string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(strings.TrimLeft(l, " "), p) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMaildirAndRecursion(t *testing.T) {
	bounce := readTestdata(t, "dsn", "postfix-userunknown.eml")
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"Maildir/cur/1.host:2,S":        bounce,
		"Maildir/new/2.host":            plainMessage,
		"Maildir/tmp/3.host":            "half written",
		"Maildir/dovecot-uidlist":       "3 V1 N4\n",
		"Maildir/.Sent/cur/4.host:2,S":  bounce,
		"Maildir/.Sent/tmp/5.host":      "half written",
		"other/deeper/still/bounce.eml": bounce,
		"other/mail.mbox":               mbox(bounce, bounce),
	})
	read := func(args ...string) []string {
		t.Helper()
		code, out, errs := runAll(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit status %d: %s", args, code, errs)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l == "" {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, m["file"].(string))
			got = append(got, fmt.Sprint(filepath.ToSlash(rel), " ", m["recipient"], " ", m["not_bounce"]))
		}
		return got
	}
	want := []string{
		"Maildir/.Sent/cur/4.host:2,S nobody@example.net <nil>",
		"Maildir/cur/1.host:2,S nobody@example.net <nil>",
		"Maildir/new/2.host <nil> true",
		"other/deeper/still/bounce.eml nobody@example.net <nil>",
		"other/mail.mbox nobody@example.net <nil>",
		"other/mail.mbox nobody@example.net <nil>",
	}
	if diff := cmp.Diff(want, read("-json", "-r", root)); diff != "" {
		t.Errorf("-r (-want +got):\n%s", diff)
	}
	// Without -r a directory's own files are read, and a maildir's
	// messages, but not the folders below.
	if diff := cmp.Diff(want[1:3], read("-json", filepath.Join(root, "Maildir"))); diff != "" {
		t.Errorf("maildir without -r (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[4:], read("-json", filepath.Join(root, "other"))); diff != "" {
		t.Errorf("directory without -r (-want +got):\n%s", diff)
	}
}

func TestMboxPositionsAndExitStatus(t *testing.T) {
	bounce := readTestdata(t, "dsn", "postfix-userunknown.eml")
	dir := t.TempDir()
	big := "Subject: big\n\n" + strings.Repeat("a line of text\n", 1000)
	writeFiles(t, dir, map[string]string{"in.mbox": mbox(bounce, big, plainMessage, bounce)})
	file := filepath.Join(dir, "in.mbox")
	code, out, errs := runAll(t, nil, "-json", "-max-size", "8000", file)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	wantErr := "ndrexplain: " + file + ":message 2: " + (&ndr.LimitError{What: "size", Limit: 8000}).Error() + "\n"
	if diff := cmp.Diff(wantErr, errs); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprint(m["message"], " ", m["recipient"], " ", m["not_bounce"], " ", m["error"] != nil))
	}
	want := []string{"<nil> nobody@example.net <nil> false", "2 <nil> <nil> true", "3 <nil> true false", "<nil> nobody@example.net <nil> false"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		args []string
		in   string
		want int
	}{
		{[]string{"-lang", "en"}, bounce, 0},
		{[]string{}, plainMessage, 0},
		{[]string{filepath.Join(dir, "missing")}, "", 1},
		{[]string{"-format", "yaml"}, "", 2},
		{[]string{"-only", "soft"}, "", 2},
		{[]string{"-summary", "-format", "csv"}, "", 2},
		{[]string{"-json", "-format", "csv"}, "", 2},
		{[]string{"-lang", "fr"}, "", 2},
		{[]string{"-max-size", "0"}, "", 2},
		{[]string{"-no-such-flag"}, "", 2},
	} {
		if code, _, errs := runAll(t, strings.NewReader(tc.in), tc.args...); code != tc.want {
			t.Errorf("%v: exit status %d, want %d (%s)", tc.args, code, tc.want, errs)
		}
	}
}

// hardBounce is a DSN for addr with a 5.1.1 status.
func hardBounce(addr, status string) string {
	return "From: MAILER-DAEMON@mail.example.org\nSubject: Undelivered Mail\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n" +
		"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\n" +
		"Final-Recipient: rfc822; " + addr + "\nAction: failed\nStatus: " + status + "\n" +
		"Diagnostic-Code: smtp; 550 " + status + " user unknown\n\n--b--\n"
}

// delayed is a DSN that reports a delay for addr.
func delayed(addr string) string {
	return "From: MAILER-DAEMON@mail.example.org\nSubject: Delayed Mail\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n" +
		"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\n" +
		"Final-Recipient: rfc822; " + addr + "\nAction: delayed\nStatus: 4.4.1\n" +
		"Diagnostic-Code: smtp; 421 4.4.1 connection timed out\n\n--b--\n"
}

func TestOnlyAndSuppress(t *testing.T) {
	in := mbox(hardBounce("b@Example.NET", "5.1.1"), hardBounce("a@example.net", "5.1.1"), delayed("c@example.org"),
		hardBounce("b@example.net", "5.1.1"), hardBounce("d@example.com", "5.2.2"), plainMessage)
	for _, tc := range []struct {
		only string
		want []string
	}{
		{"", []string{"b@Example.NET", "a@example.net", "c@example.org", "b@example.net", "d@example.com"}},
		{"failed", []string{"b@Example.NET", "a@example.net", "b@example.net", "d@example.com"}},
		{"delayed", []string{"c@example.org"}},
		{"hard", []string{"b@Example.NET", "a@example.net", "b@example.net"}},
	} {
		t.Run("only="+tc.only, func(t *testing.T) {
			suppress := filepath.Join(t.TempDir(), "suppress.txt")
			args := []string{"-format", "csv", "-suppress", suppress}
			if tc.only != "" {
				args = append(args, "-only", tc.only)
			}
			code, out, errs := runAll(t, strings.NewReader(in), args...)
			if code != 0 {
				t.Fatalf("exit status %d: %s", code, errs)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs[1:] {
				if r[2] != "not-bounce" {
					got = append(got, r[3])
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			list, err := os.ReadFile(suppress)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("a@example.net\nb@example.net\n", string(list)); diff != "" {
				t.Errorf("suppression list (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	in := mbox(hardBounce("a@gmail.com", "5.1.1"), hardBounce("b@example.net", "5.1.1"), delayed("c@example.net"), plainMessage)
	code, out, errs := runAll(t, strings.NewReader(in), "-summary", "-format", "json")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, errs)
	}
	var s summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	want := summary{
		Messages:    4,
		Kinds:       map[string]int{"failure": 2, "delay": 1, "not-bounce": 1},
		Recipients:  3,
		Reasons:     map[string]int{"userunknown": 2, "networkerror": 1},
		Receivers:   map[string]int{"google": 1, "example.net": 2},
		Actors:      s.Actors, // from the catalogue: checked for the sender below
		HardBounces: 2,
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s.Actors["sender"] != 2 {
		t.Errorf("who must act: %v, want sender 2", s.Actors)
	}
	for _, tc := range []struct{ lang, want string }{
		{"en", "  kind          messages\n  ------------  --------\n  failure              2\n"},
		{"ja", "  種類                  件数\n  ----------------  --------\n  配送失敗                 2\n  配送遅延                 1\n  不達通知ではない         1\n"},
	} {
		code, out, errs := runAll(t, strings.NewReader(in), "-summary", "-lang", tc.lang)
		if code != 0 {
			t.Fatalf("exit status %d: %s", code, errs)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s summary lacks %q:\n%s", tc.lang, tc.want, out)
		}
	}
}

// TestControlCharacters: text from a bounce never reaches the terminal
// as control characters; they are shown escaped.
func TestControlCharacters(t *testing.T) {
	bad := "\x1b]0;owned\a\x1b[2J\rX\u202e"
	msg := strings.Replace(hardBounce("a@example.net", "5.1.1"), "user unknown", "user unknown "+bad, 1)
	msg = strings.Replace(msg, "Subject: Undelivered Mail", "Subject: Undelivered Mail", 1)
	for _, lang := range []string{"en", "ja"} {
		code, out, errs := runAll(t, strings.NewReader(msg), "-lang", lang)
		if code != 0 {
			t.Fatalf("exit status %d: %s", code, errs)
		}
		for i, r := range out {
			if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
				t.Fatalf("%s: control character %U at %d in:\n%q", lang, r, i, out)
			}
		}
		if want := `user unknown \x1b]0;owned\x1b[2J X\u202e`; !strings.Contains(out, want) {
			t.Errorf("%s: output lacks %q:\n%s", lang, want, out)
		}
	}
	name := filepath.Join(t.TempDir(), "x\x1b[31m.eml")
	code, _, errs := runAll(t, nil, name)
	if code != 1 || strings.Contains(errs, "\x1b") || !strings.Contains(errs, `x\x1b[31m.eml`) {
		t.Errorf("exit status %d, stderr %q", code, errs)
	}
}

// endless is standard input of n bytes of header-less text, counting
// what is read.
type endless struct{ left, read int }

func (e *endless) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), e.left)
	for i := range p[:n] {
		p[i] = "Subject: x\n"[(e.read+i)%11]
	}
	e.left -= n
	e.read += n
	return n, nil
}

// TestSizeLimitStreams: 20 MB on standard input with a 1 MiB limit is
// refused after about 1 MiB, not read to the end first.
func TestSizeLimitStreams(t *testing.T) {
	in := &endless{left: 20 << 20}
	code, out, errs := runAll(t, in, "-json", "-max-size", "1048576")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	limit := (&ndr.LimitError{What: "size", Limit: 1 << 20}).Error()
	if want := "ndrexplain: -: " + limit + "\n"; errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
	if want := `{"file":"-","error":"` + limit + `"}` + "\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	if in.read > 1<<20+256<<10 {
		t.Errorf("read %d bytes of 20 MB for a limit of 1 MiB", in.read)
	}
}

// heapStream is an mbox of n copies of msg on standard input; it takes
// the live heap when message first starts and when the last one does.
type heapStream struct {
	msg          []byte
	n, sent      int
	rest         []byte
	first        int
	atFirst, end uint64
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func (h *heapStream) Read(p []byte) (int, error) {
	if len(h.rest) == 0 {
		if h.sent == h.n {
			return 0, io.EOF
		}
		h.sent++
		switch h.sent {
		case h.first:
			h.atFirst = liveHeap()
		case h.n:
			h.end = liveHeap()
		}
		h.rest = h.msg
	}
	k := copy(p, h.rest)
	h.rest = h.rest[k:]
	return k, nil
}

// TestMemoryFlat: the live heap while the 3,000th message is read is no
// larger than while the 300th is: memory is flat in the number of
// messages.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 3,000 messages")
	}
	msg := mbox(readTestdata(t, "dsn", "postfix-userunknown.eml") + strings.Repeat("padding line\n", 1000))
	h := &heapStream{msg: []byte(msg), n: 3000, first: 300}
	if code := run([]string{"-json"}, h, io.Discard, io.Discard); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if h.end > h.atFirst+512<<10 {
		t.Errorf("live heap grew from %d bytes at message 300 to %d at message 3,000", h.atFirst, h.end)
	}
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
	bounce := readTestdata(t, "dsn", "postfix-userunknown.eml")
	for _, term := range []bool{false, true} {
		isTerminal = func(io.Writer) bool { return term }
		code, _, errs := runAll(t, strings.NewReader(mbox(bounce, bounce)), "-json", "-lang", "en")
		if code != 0 {
			t.Fatalf("exit status %d", code)
		}
		if got := strings.Contains(errs, " messages"); got != term {
			t.Errorf("terminal %v: progress shown %v: %q", term, got, errs)
		}
	}
}
