package ndr

import (
	"errors"
	"net/mail"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
		if diff := cmp.Diff(tt.want, string(normalize([]byte(tt.in)))); diff != "" {
			t.Errorf("normalize(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSplitMbox(t *testing.T) {
	in := "From a@b Mon Nov 23 10:00:00 2026\r\nSubject: one\r\n\r\nbody\r\n\r\nFrom c@d Mon Nov 23 10:00:01 2026\r\nSubject: two\r\n\r\nbody two\r\n"
	var got []string
	for _, m := range SplitMbox([]byte(in)) {
		got = append(got, string(m))
	}
	want := []string{"Subject: one\n\nbody\n", "Subject: two\n\nbody two\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := len(SplitMbox([]byte("Subject: x\n\nbody\n"))); n != 1 {
		t.Errorf("plain message split into %d", n)
	}
}

func TestFieldHelpers(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"hostOf dns", hostOf("dns; mx.example.net"), "mx.example.net"},
		{"hostOf comment", hostOf("dns; mx.example.net. (192.0.2.1, the server)"), "mx.example.net."},
		{"hostOf bracket", hostOf("[192.0.2.1]"), "192.0.2.1"},
		{"cleanAddress angle", cleanAddress("Taro <taro@example.jp>"), "taro@example.jp"},
		{"cleanAddress punct", cleanAddress(" <a@b.example>: "), "a@b.example"},
		{"unescape", unescapeUTF8Addr(`\x{5C71}\x{7530}@example.jp`), "山田@example.jp"},
		{"unescape bad", unescapeUTF8Addr(`\x{ZZ}@example.jp`), `\x{ZZ}@example.jp`},
		{"decode mime word", decodeHeader("=?ISO-2022-JP?B?GyRCMnFEakxcGyhC?="), decodeHeader("=?ISO-2022-JP?B?GyRCMnFEakxcGyhC?=")},
		{"decode raw iso-2022-jp", decodeHeader("\x1b$B%F%9%H\x1b(B"), "テスト"},
		{"decode raw shift_jis", decodeHeader("\x83\x65\x83\x58\x83\x67"), "テスト"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	typ, val := typedValue("smtp; 550 5.1.1 no")
	if typ != "smtp" || val != "550 5.1.1 no" {
		t.Errorf("typedValue: %q %q", typ, val)
	}
}

func TestParseDeliveryStatus(t *testing.T) {
	body := "Reporting-MTA: dns; a.example\nArrival-Date: Mon, 23 Nov 2026 10:00:00 +0900\n\n" +
		"Final-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1\n  user unknown\n" +
		"\n\nFinal-Recipient: rfc822; y@example.net\nAction: delayed\nStatus: 4.4.1\nbroken line without colon\n"
	ds := parseDeliveryStatus(body, false)
	want := &deliveryStatus{
		Message: []Field{{"Reporting-MTA", "dns; a.example"}, {"Arrival-Date", "Mon, 23 Nov 2026 10:00:00 +0900"}},
		Recipients: [][]Field{
			{{"Final-Recipient", "rfc822; x@example.net"}, {"Action", "failed"}, {"Status", "5.1.1"}, {"Diagnostic-Code", "smtp; 550 5.1.1 user unknown"}},
			{{"Final-Recipient", "rfc822; y@example.net"}, {"Action", "delayed"}, {"Status", "4.4.1 broken line without colon"}},
		},
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	big := "Subject: x\n\n" + strings.Repeat("a", 200)
	_, err := ExplainBytes([]byte(big), WithLimits(100, 0, 0))
	var le *LimitError
	if !errors.As(err, &le) || le.What != "size" || le.Limit != 100 || !errors.Is(err, ErrLimit) {
		t.Errorf("size limit: %v", err)
	}
	_, err = Explain(strings.NewReader(big), WithLimits(100, 0, 0))
	if !errors.Is(err, ErrLimit) {
		t.Errorf("size limit (reader): %v", err)
	}
	deep := "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\nContent-Type: text/plain\n\n550 5.1.1 <x@example.net> user unknown\n--c--\n--b--\n--a--\n"
	_, err = ExplainBytes([]byte(deep), WithLimits(0, 0, 2))
	if !errors.As(err, &le) || le.What != "depth" {
		t.Errorf("depth limit: %v", err)
	}
	var parts strings.Builder
	parts.WriteString("Content-Type: multipart/mixed; boundary=a\n\n")
	for i := 0; i < 10; i++ {
		parts.WriteString("--a\nContent-Type: text/plain\n\nx\n")
	}
	parts.WriteString("--a--\n")
	_, err = ExplainBytes([]byte(parts.String()), WithLimits(0, 5, 0))
	if !errors.As(err, &le) || le.What != "parts" {
		t.Errorf("parts limit: %v", err)
	}
	// A report found before a parts or depth limit is returned, with a
	// warning naming the limit.
	var dsnFirst strings.Builder
	dsnFirst.WriteString("Content-Type: multipart/report; report-type=delivery-status; boundary=a\n\n" +
		"--a\nContent-Type: text/plain\n\nDelivery failed.\n" +
		"--a\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
		"Final-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\n")
	for i := 0; i < 10; i++ {
		dsnFirst.WriteString("--a\nContent-Type: text/plain\n\nfiller\n")
	}
	dsnFirst.WriteString("--a--\n")
	rep, err := ExplainBytes([]byte(dsnFirst.String()), WithLimits(0, 5, 0))
	if err != nil {
		t.Fatalf("parts limit after the DSN: %v", err)
	}
	if len(rep.Recipients) != 1 || rep.Recipients[0].Recipient != "x@example.net" {
		t.Errorf("parts limit after the DSN: recipients %+v", rep.Recipients)
	}
	limited := false
	for _, w := range rep.Warnings {
		if errors.As(w.Err, &le) && le.What == "parts" && le.Limit == 5 {
			limited = true
		}
	}
	if !limited {
		t.Errorf("parts limit after the DSN: no warning naming the limit in %v", rep.Warnings)
	}
	if _, err := ExplainBytes(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, err := ExplainText("  \n"); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty text: %v", err)
	}
	if _, err := ExplainBytes([]byte("From: a@example.com\nSubject: hi\n\nhello\n")); !errors.Is(err, ErrNotBounce) {
		t.Errorf("ordinary message: %v", err)
	}
}

func TestWarnings(t *testing.T) {
	msg := "From: MAILER-DAEMON@example.com\nSubject: failure\nContent-Type: multipart/report; boundary=z\n\n--z\nContent-Type: text/plain; charset=x-nonesuch\n\n550 5.1.1 <x@example.net>: user unknown\n--z\nContent-Type: text/plain\n\nmore"
	rep, err := ExplainBytes([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for _, w := range rep.Warnings {
		got = append(got, errors.Is(w, ErrUnknownCharset), errors.Is(w, ErrTruncated))
	}
	if diff := cmp.Diff([]bool{true, false, false, true}, got); diff != "" {
		t.Errorf("warnings %v (-want +got):\n%s", rep.Warnings, diff)
	}
	if len(rep.Recipients) != 1 || rep.Recipients[0].Recipient != "x@example.net" {
		t.Errorf("recipients: %+v", rep.Recipients)
	}
	mbox := "From a Mon Nov 23 10:00:00 2026\nFrom: MAILER-DAEMON@example.com\nSubject: failure\n\n550 5.1.1 <x@example.net>: user unknown\n\nFrom b Mon Nov 23 10:00:01 2026\nSubject: two\n\nx\n"
	rep, err = ExplainBytes([]byte(mbox))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !errors.Is(rep.Warnings[0], ErrMbox) {
		t.Errorf("mbox warnings: %v", rep.Warnings)
	}
}

// TestOddInput covers input that once made Explain panic or lose text.
func TestOddInput(t *testing.T) {
	html := "From: MAILER-DAEMON@example.com\nSubject: failure\nContent-Type: text/html\n\n<html><>< >bob@example.net: 550 5.1.1 user unknown</html>\n"
	rep, err := ExplainBytes([]byte(html), nil)
	if err != nil || len(rep.Recipients) != 1 || rep.Recipients[0].ReplyCode != 550 {
		t.Errorf("html with empty tags: %+v, %v", rep, err)
	}
	pasted := "From the remote server mx.example.net: bob@example.net 550 5.1.1 user unknown\n"
	rep, err = ExplainText(pasted)
	if err != nil || rep.Recipients[0].Diagnostic == "" || rep.Recipients[0].Reason != ReasonUserUnknown {
		t.Errorf("pasted text starting with From: %+v, %v", rep, err)
	}
	part := "From: MAILER-DAEMON@example.com\nSubject: failure\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nbob@example.net\n\nFrom the remote server mx.example.net\nReply: 550 5.1.1 user unknown\n--b--\n"
	rep, err = ExplainBytes([]byte(part))
	if err != nil || !strings.Contains(rep.Recipients[0].Diagnostic, "550 5.1.1") {
		t.Errorf("text part with a line starting with From: %+v, %v", rep, err)
	}
	if got := (Warning{}).Error(); got == "" {
		t.Error("zero Warning has no message")
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
	}
	for _, tt := range tests {
		if got := looksLikeHeader(tt.text); got != tt.want {
			t.Errorf("looksLikeHeader(%q) = %v, want %v", tt.text, got, tt.want)
		}
		if got := looksLikeHeader(headerStart([]byte(tt.text))); got != tt.want {
			t.Errorf("looksLikeHeader(headerStart(%q)) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestMailDateForms checks that the fast path for common dates agrees
// with net/mail.
func TestMailDateForms(t *testing.T) {
	for _, s := range []string{
		"Mon, 16 Mar 2026 06:59:58 UTC",
		"Mon, 16 Mar 2026 06:59:58 GMT",
		"Tue,  3 Feb 2026 10:00:00 +0900",
		"Tue, 3 Feb 2026 10:00:00 +0900 (JST)",
		"Mon, 16 Mar 2026 06:59:58 JST",
	} {
		want, err := mail.ParseDate(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got, err := mailDate(s)
		if err != nil || !got.Equal(want) || got.Location().String() != want.Location().String() {
			t.Errorf("mailDate(%q) = %v, %v; net/mail gives %v", s, got, err, want)
		}
	}
}
