package mime

import (
	"bytes"
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
		{"base64 with white space", "aGVs\n bG8=\n", "BASE64", "hello", nil},
		{"base64 cut in a group", "aGVsbG8gd29y\nbA", "base64", "hello wor", io.ErrUnexpectedEOF},
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
	if got, err := decodeTransfer("aGVs!!!!bG8=", "base64"); err == nil || got != "hel" {
		t.Errorf("corrupt base64: got %q, %v; want the groups before the bad one and an error", got, err)
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
