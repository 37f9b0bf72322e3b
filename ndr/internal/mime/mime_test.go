package mime

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
)

func TestReadFields(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		fields  []record.Field
		body    string
		wantErr bool
	}{
		{
			name:   "simple",
			in:     "From: a@example.com\nSubject: hi\n\nbody\n",
			fields: []record.Field{{Name: "From", Value: "a@example.com"}, {Name: "Subject", Value: "hi"}},
			body:   "body\n",
		},
		{
			name:   "folded value, spaces around the break collapse",
			in:     "Subject: one  \n\t two\n   \n three\n\nb",
			fields: []record.Field{{Name: "Subject", Value: "one two three"}},
			body:   "b",
		},
		{
			name:   "name as written, space before the colon",
			in:     "x-failed-recipients : r@example.com\n\n",
			fields: []record.Field{{Name: "x-failed-recipients", Value: "r@example.com"}},
		},
		{
			name:   "order and duplicates kept",
			in:     "Received: 1\nReceived: 2\nTo: t\n\n",
			fields: []record.Field{{Name: "Received", Value: "1"}, {Name: "Received", Value: "2"}, {Name: "To", Value: "t"}},
		},
		{
			name:   "header without a body",
			in:     "To: t",
			fields: []record.Field{{Name: "To", Value: "t"}},
		},
		{
			name:   "empty name skipped",
			in:     ": nothing\nTo: t\n\nx",
			fields: []record.Field{{Name: "To", Value: "t"}},
			body:   "x",
		},
		{
			name:    "line without a colon",
			in:      "To: t\nthis is text\n\n",
			fields:  []record.Field{{Name: "To", Value: "t"}},
			wantErr: true,
		},
		{
			name:    "space in a field name",
			in:      "Final Recipient: x\n\n",
			wantErr: true,
		},
		{
			name:    "leading white space",
			in:      " To: t\n\n",
			wantErr: true,
		},
		{
			name:    "colon only on a continuation line",
			in:      "Subject\n x: y\n\n",
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, body, err := readFields(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errMalformedHeader) {
				t.Errorf("err = %v, want errMalformedHeader", err)
			}
			if diff := cmp.Diff(tt.fields, fields, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
		})
	}
}

func TestMultipartReader(t *testing.T) {
	type part struct {
		Text string
		Cut  bool
	}
	tests := []struct {
		name  string
		body  string
		parts []part
		// end is "eof" for a closing delimiter, else the expected error.
		end string
	}{
		{
			name:  "preamble, two parts, epilogue",
			body:  "preamble\n--b\nA: 1\n\none\n--b\n\ntwo\n--b--\nepilogue\n",
			parts: []part{{Text: "A: 1\n\none"}, {Text: "\ntwo"}},
			end:   "eof",
		},
		{
			name:  "white space after delimiters",
			body:  "--b \t\n\nx\n--b-- \n",
			parts: []part{{Text: "\nx"}},
			end:   "eof",
		},
		{
			name:  "a longer boundary is not a delimiter",
			body:  "--b\n\nx\n--bb\ny\n--b--",
			parts: []part{{Text: "\nx\n--bb\ny"}},
			end:   "eof",
		},
		{
			name:  "empty part",
			body:  "--b\n--b--\n",
			parts: []part{{Text: ""}},
			end:   "eof",
		},
		{
			name:  "no closing delimiter",
			body:  "--b\n\nx\n",
			parts: []part{{Text: "\nx\n", Cut: true}},
			end:   "multipart: no closing delimiter",
		},
		{
			name: "no delimiter at all",
			body: "just text\n",
			end:  "multipart: no closing delimiter",
		},
		{
			name:  "stray text after a part",
			body:  "--b\n\nx\n--b-x\n",
			parts: []part{{Text: "\nx"}},
			end:   `multipart: a delimiter was expected, got "--b-x"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newMultipartReader(tt.body, "b")
			var got []part
			var end string
			for range 10 {
				text, cut, err := r.next()
				if err == io.EOF {
					end = "eof"
					break
				}
				if err != nil {
					end = err.Error()
					break
				}
				got = append(got, part{text, cut})
			}
			if diff := cmp.Diff(tt.parts, got); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
			if end != tt.end {
				t.Errorf("end = %q, want %q", end, tt.end)
			}
		})
	}
	if _, _, err := newMultipartReader("--\n", "").next(); err == nil {
		t.Error("empty boundary: no error")
	}
}

func TestDecodeTransfer(t *testing.T) {
	tests := []struct {
		name, body, enc, want string
		err                   error
	}{
		{"identity", "a=3Db", "7bit", "a=3Db", nil},
		{"no encoding", "x", "", "x", nil},
		{"quoted-printable", "a=3Db=\nc", "Quoted-Printable", "a=bc", nil},
		// RFC 2045, section 6.7: lower-case escapes, trailing white
		// space dropped, soft breaks after it, CRLF kept.
		{"quoted-printable, the lenient parts", "a=3db  \r\nc=  \r\nd\n", "quoted-printable", "a=b\r\ncd\n", nil},
		// A bad escape or a NUL loses nothing after it.
		{"quoted-printable with a bad escape", "==\n550 5.1.1 x=\n@example.com\n", "quoted-printable", "=550 5.1.1 x@example.com\n", errInvalidQuotedPrintable},
		{"quoted-printable with a NUL", "a\x00b\nc=3D\n", "quoted-printable", "a\x00b\nc=\n", nil},
		{"quoted-printable with an escape cut at the end", "abc=4", "quoted-printable", "abc=4", errInvalidQuotedPrintable},
		{"base64 with white space", "aGVs\n bG8=\n", "BASE64", "hello", nil},
		{"base64 cut in a group", "aGVsbG8gd29y\nbA", "base64", "hello wor", io.ErrUnexpectedEOF},
		// RFC 2045, section 6.8: bytes outside the alphabet are ignored.
		{"base64 with bytes outside the alphabet", "aGVs!!!!bG8=", "base64", "hello", errInvalidBase64},
		{"base64 with junk inside a group", "aG!V*s\x00bG\xff\xfe8=", "base64", "hello", errInvalidBase64},
		{"base64 with junk and cut in a group", "aGVs@@@@bG8gd29y\nbA", "base64", "hello wor", errInvalidBase64},
		{"base64 with junk and cut in a group, the cut", "aGVs@@@@bG8gd29y\nbA", "base64", "hello wor", io.ErrUnexpectedEOF},
		{"base64 padding ends a group, more follows", "aGk=\naGk=\n", "base64", "hihi", nil},
		{"base64 with extra padding", "aGVsbG8=\n===\n", "base64", "hello", nil},
		{"base64 with a lone character before padding", "aGVsbG8gb\n===", "base64", "hello ", errInvalidBase64},
		{"unknown encoding", "x", "x-uuencode", "x", errUnknownEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeTransfer(tt.body, tt.enc)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
		})
	}
	if _, err := decodeTransfer("aGVs!!!!bG8=\n*", "base64"); err == nil || !strings.Contains(err.Error(), "5 bytes") || !strings.Contains(err.Error(), "byte 4") {
		t.Errorf("base64 with junk: error %v; want the number of bytes ignored and where the first is", err)
	}
}

// TestDecodeBase64MatchesStd checks the lenient decoder against the
// standard library's on valid input, wrapped at any line length.
func TestDecodeBase64MatchesStd(t *testing.T) {
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for n := range len(data) {
		enc := base64.StdEncoding.EncodeToString(data[:n])
		for _, width := range []int{76, 4, 3} {
			var b strings.Builder
			for i := 0; i < len(enc); i += width {
				b.WriteString(enc[i:min(i+width, len(enc))])
				b.WriteString("\r\n")
			}
			got, err := decodeBase64(b.String())
			if err != nil || got != string(data[:n]) {
				t.Fatalf("%d bytes at width %d: got %q, %v; want %q", n, width, got, err, data[:n])
			}
		}
	}
}

// FuzzDecodeBase64 checks the lenient decoder: bytes outside the alphabet
// change nothing but the error, input the standard library decodes gives
// the same bytes without an error, and the output is never longer than
// three quarters of the input.
func FuzzDecodeBase64(f *testing.F) {
	f.Add("aGVsbG8=")
	f.Add("aGVs!!*bG8g\r\nd29y@@bGQ=\n===")
	f.Add("aGk=aGk=b=")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeBase64(s)
		if len(got)*4 > len(s)*3 {
			t.Errorf("%d bytes from %d", len(got), len(s))
		}
		keep := func(c byte) bool { return c == '=' || base64Values[c] != noBase64 }
		var clean []byte
		for i := 0; i < len(s); i++ {
			if keep(s[i]) {
				clean = append(clean, s[i])
			}
		}
		if c, _ := decodeBase64(string(clean)); c != got {
			t.Errorf("%q gives %q, without the bytes outside the alphabet %q", s, got, c)
		}
		if want, stdErr := base64.StdEncoding.DecodeString(s); stdErr == nil && (err != nil || got != string(want)) {
			t.Errorf("%q gives %q, %v; the standard library gives %q", s, got, err, want)
		}
	})
}

// fields64 is a delivery-status part in base64, 76 characters: byte 64
// starts the group that encodes "2.2\n".
var fields64 = base64.StdEncoding.EncodeToString([]byte("Final-Recipient: rfc822;a@example.net\nStatus: 5.2.2\n"))

// TestWalkDamagedParts checks what the walk reads from parts with
// damaged bytes, and the warnings it gives for them.
func TestWalkDamagedParts(t *testing.T) {
	const head = "From: MAILER-DAEMON@example.jp\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
	tests := []struct {
		name, raw string
		body      string
		dsn       *dsn.DeliveryStatus
		warnings  []string
	}{
		{
			name: "base64 with bytes outside the alphabet",
			raw: head + "--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVs!!*bG8g\nd29y@@bGQ=\n" +
				"--b\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n" +
				fields64[:64] + "@@@@" + fields64[64:] + "\n--b--\n",
			body: "hello world",
			dsn:  &dsn.DeliveryStatus{Recipients: [][]record.Field{{{Name: "Final-Recipient", Value: "rfc822;a@example.net"}, {Name: "Status", Value: "5.2.2"}}}},
			warnings: []string{
				"1: malformed: invalid base64: 5 bytes ignored, the first at byte 4",
				"2: malformed: invalid base64: 4 bytes ignored, the first at byte 64",
			},
		},
		{
			name: "NUL bytes in delivery-status fields",
			raw: head + "--b\nContent-Type: text/plain\n\nreport\n" +
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.jp\x00\n\n" +
				"Final-Recipient: rfc822; a@example.net\x00\x00\nAction: failed\x00\nStatus: 5.1.1\n--b--\n",
			body: "report",
			dsn: &dsn.DeliveryStatus{
				Message:    []record.Field{{Name: "Reporting-MTA", Value: "dns; mx.example.jp"}},
				Recipients: [][]record.Field{{{Name: "Final-Recipient", Value: "rfc822; a@example.net"}, {Name: "Action", Value: "failed"}, {Name: "Status", Value: "5.1.1"}}},
			},
			warnings: []string{"2: malformed: control bytes dropped from the message/delivery-status fields (4)"},
		},
		{
			name: "NUL bytes in feedback-report fields",
			raw: "From: abuse@example.jp\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n\n" +
				"--b\nContent-Type: text/plain\n\nreport\n" +
				"--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\x00\nSource-IP: 192.0.2.1\n--b--\n",
			body:     "report",
			warnings: []string{"2: malformed: control bytes dropped from the message/feedback-report fields (1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Walk(tt.raw, testLimits)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.body, m.Body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.dsn, m.DSN); diff != "" {
				t.Errorf("DSN (-want +got):\n%s", diff)
			}
			var warnings []string
			for _, w := range m.Warnings {
				warnings = append(warnings, w.Part+": "+w.Err.Error())
			}
			if diff := cmp.Diff(tt.warnings, warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeCharset(t *testing.T) {
	tests := []struct {
		name, text, charset, want string
		wantErr                   bool
	}{
		{"utf-8", "héllo", "UTF-8", "héllo", false},
		{"ascii in latin-1", "hello", "iso-8859-1", "hello", false},
		{"latin-1", "h\xe9llo", "ISO-8859-1", "héllo", false},
		{"iso-2022-jp", "\x1b$B%F%9%H\x1b(B", "iso-2022-jp", "テスト", false},
		{"registered alias", "\x83\x65\x83\x58\x83\x67", "cp932", "テスト", false},
		{"utf-16 is not ascii-compatible", "\x00h\x00i", "utf-16be", "hi", false},
		{"unknown", "x", "x-no-such-charset", "x", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeCharset(tt.text, tt.charset)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("got %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestParseContentType checks the allocation-free reading of common
// Content-Type values against mime.ParseMediaType's.
func TestParseContentType(t *testing.T) {
	values := []string{
		`multipart/report; report-type=delivery-status; boundary="abc/def=="`,
		`multipart/report;report-type="Delivery-Status";boundary=x`,
		`Text/Plain; Charset=ISO-2022-JP`,
		`text/plain; charset="utf-8";`,
		`text/plain;`,
		`text/plain; ;`,
		`text/plain;; charset=x`,
		`text/plain; charset=x charset=y`,
		`text/plain; charset=x; CHARSET=y`,
		`text/plain; name=a; name=b`,
		`text/plain; charset*=utf-8''x`,
		`text/plain; charset="a\"b"`,
		`text/plain; charset=us-ascii (comment)`,
		`multipart/mixed; boundary="=?utf-8?q?x?="`,
		`text`,
		`text/`,
		`/plain`,
		`text plain`,
		`message/delivery-status`,
		`multipart/alternative; boundary=`,
	}
	for _, v := range values {
		checkContentType(t, v)
	}
	if _, ok := parseSimpleContentType(values[0]); !ok {
		t.Errorf("%q is not read by the fast path", values[0])
	}
}

// checkContentType compares the fast path with mime.ParseMediaType.
func checkContentType(t *testing.T, v string) {
	t.Helper()
	got, ok := parseSimpleContentType(v)
	if !ok {
		return
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		t.Errorf("%q: read as %+v, but mime.ParseMediaType fails: %v", v, got, err)
		return
	}
	want := contentType{mediaType: mt, reportType: strings.ToLower(params["report-type"])}
	want.charset, want.hasCharset = params["charset"]
	if strings.HasPrefix(mt, "multipart/") {
		want.multipart, want.boundary = true, params["boundary"]
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(contentType{})); diff != "" {
		t.Errorf("%q (-mime.ParseMediaType +got):\n%s", v, diff)
	}
}

func FuzzContentType(f *testing.F) {
	f.Add(`multipart/report; report-type=delivery-status; boundary="abc/def=="`)
	f.Add(`text/plain; charset="utf-8";`)
	f.Add(`text/plain; name=a; NAME=b`)
	f.Fuzz(checkContentType)
}

// TestWalkMatchesGoMessage reads every test bounce with the in-memory walk
// and with go-message's Entity walk and compares the text each finds.
func TestWalkMatchesGoMessage(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testcorpus.Dir(t), "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	compared := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		in := Normalize(raw)
		want, ok := goMessageTexts(in)
		if !ok {
			continue
		}
		compared++
		m, err := Walk(string(in), testLimits)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if diff := cmp.Diff(want, m.Body); diff != "" {
			t.Errorf("%s: text differs from go-message's (-want +got):\n%s", file, diff)
		}
	}
	t.Logf("compared %d of %d", compared, len(files))
	if compared < len(files)/2 {
		t.Errorf("compared %d of %d bounces; the comparison no longer covers most of them", compared, len(files))
	}
}

// goMessageTexts joins the text parts outside returned messages as
// go-message decodes them. ok is false for a message go-message cannot
// read without errors, or with parts this comparison does not model.
func goMessageTexts(raw []byte) (string, bool) {
	e, err := gomessage.Read(bytes.NewReader(raw))
	if err != nil {
		return "", false
	}
	var texts []string
	var walk func(e *gomessage.Entity) bool
	walk = func(e *gomessage.Entity) bool {
		mt, params, err := e.Header.ContentType()
		if err != nil {
			return false
		}
		if mr := e.MultipartReader(); mr != nil {
			if mt == "multipart/alternative" {
				return false
			}
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					return true
				}
				if err != nil || !walk(p) {
					return false
				}
			}
		}
		if mt == "" {
			mt = "text/plain"
		}
		switch {
		case strings.Contains(mt, "html"), mt == "message/disposition-notification":
			// The walk turns HTML into text; not modelled here.
			return false
		case !strings.HasPrefix(mt, "text/"), mt == "text/rfc822-headers":
			return true
		}
		b, err := io.ReadAll(e.Body)
		if err != nil {
			return false
		}
		if _, ok := params["charset"]; !ok && !utf8.Valid(b) {
			// The walk guesses the charset of unlabelled 8-bit text.
			return false
		}
		texts = append(texts, string(NormalizeNewlines(b)))
		return true
	}
	if !walk(e) {
		return "", false
	}
	return strings.Join(texts, "\n"), len(texts) > 0
}

// testLimits are the default limits of Explain.
var testLimits = Limits{
	MaxSize: 16 << 20, MaxParts: 512, MaxDepth: 16,
	ErrTruncated: errors.New("truncated"), ErrUnknownCharset: errors.New("unknown charset"),
}

// TestWalkWithoutHeader checks which input without a readable header
// gets a warning: a broken header does, text copied with the labels of
// a mail program in another script ("差出人:") does not.
func TestWalkWithoutHeader(t *testing.T) {
	tests := []struct {
		name, raw string
		warned    bool
	}{
		{"japanese labels", "差出人: Microsoft Outlook <postmaster@example.jp>\n件名: 配信不能: 資料\n\nYour message to a@example.com couldn't be delivered.\n", false},
		{"full-width colon", "件名：配信不能\n\nYour message couldn't be delivered.\n", false},
		{"plain text", "Your message to a@example.com couldn't be delivered.\n", true},
		{"broken field after a good one", "Subject: x\n差出人: y\n\nbody\n", true},
		{"control character in a label", "差\x01出人: y\n\nbody\n", true},
		{"byte order mark before a header", "\ufeffReturn-Path: <>\nSubject: x\n\nbody\n", true},
		{"invalid UTF-8 label", "Exp\xe9diteur: x\n\nbody\n", true},
		{"no letter", "\xe2\x80\x94: x\n\nbody\n", true},
	}
	for _, tt := range tests {
		m, err := Walk(tt.raw, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := len(m.Warnings) > 0; got != tt.warned {
			t.Errorf("%s: warned %v, want %v (%v)", tt.name, got, tt.warned, m.Warnings)
		}
		if !tt.warned && m.Body != tt.raw {
			t.Errorf("%s: body %q, want the whole input", tt.name, m.Body)
		}
	}
}
