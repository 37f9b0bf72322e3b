package ndr

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

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
	msg := "From: MAILER-DAEMON@example.com\nSubject: failure\nContent-Type: multipart/report; boundary=z\n\n--z\nContent-Type: text/plain; charset=x-nonesuch\n\n550 5.1.1 <x@example.net>: user unknown\n" +
		"--z\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nbW9y*ZQ==\n" +
		"--z\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\x00\n\n" +
		"--z\nContent-Type: text/plain\n\nmore"
	rep, err := ExplainBytes([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	var got [][3]bool
	for _, w := range rep.Warnings {
		got = append(got, [3]bool{errors.Is(w, ErrUnknownCharset), errors.Is(w, ErrTruncated), errors.Is(w, ErrMalformed)})
	}
	// The charset, the damaged base64, the NUL byte, the missing end.
	want := [][3]bool{{true, false, false}, {false, false, true}, {false, false, true}, {false, true, false}}
	if diff := cmp.Diff(want, got); diff != "" {
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
	nul := "From: MAILER-DAEMON@example.com\nSubject: failure\n\n<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n    <bob@example.net>: Recipient address rejected: User unknown in local\x00\x01 recipient table\n"
	rep, err = ExplainBytes([]byte(nul))
	if err != nil || len(rep.Recipients) != 1 || strings.ContainsAny(rep.Recipients[0].Diagnostic, "\x00\x01") || !strings.Contains(rep.Recipients[0].Diagnostic, "local recipient table") {
		t.Errorf("control bytes in a reply: %+v, %v", rep, err)
	}
	cr := "From: MAILER-DAEMON@example.com\nSubject: failure\n\n<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n    <bob@example.net>: no\rsuch\fuser\n"
	rep, err = ExplainBytes([]byte(cr))
	if err != nil || len(rep.Recipients) != 1 || !strings.Contains(rep.Recipients[0].Diagnostic, "no such user") {
		t.Errorf("a carriage return or form feed between words: %+v, %v", rep, err)
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

func TestFieldHelpers(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"hostOf dns", dsn.HostOf("dns; mx.example.net"), "mx.example.net"},
		{"hostOf comment", dsn.HostOf("dns; mx.example.net. (192.0.2.1, the server)"), "mx.example.net"},
		{"hostOf bracket", dsn.HostOf("[192.0.2.1]"), "192.0.2.1"},
		{"cleanAddress angle", mailaddr.CleanAddress("Taro <taro@example.jp>"), "taro@example.jp"},
		{"cleanAddress punct", mailaddr.CleanAddress(" <a@b.example>: "), "a@b.example"},
		{"unescape", mailaddr.UnescapeUTF8Addr(`\x{5C71}\x{7530}@example.jp`), "山田@example.jp"},
		{"unescape bad", mailaddr.UnescapeUTF8Addr(`\x{ZZ}@example.jp`), `\x{ZZ}@example.jp`},
		{"decode mime word", mime.DecodeHeader("=?ISO-2022-JP?B?GyRCMnFEakxcGyhC?="), mime.DecodeHeader("=?ISO-2022-JP?B?GyRCMnFEakxcGyhC?=")},
		{"decode raw iso-2022-jp", mime.DecodeHeader("\x1b$B%F%9%H\x1b(B"), "テスト"},
		{"decode raw shift_jis", mime.DecodeHeader("\x83\x65\x83\x58\x83\x67"), "テスト"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	typ, val := dsn.TypedValue("smtp; 550 5.1.1 no")
	if typ != "smtp" || val != "550 5.1.1 no" {
		t.Errorf("typedValue: %q %q", typ, val)
	}
}

// TestInputNotShared shows that a report keeps nothing of the caller's
// buffer: changing the bytes after ExplainBytes leaves the report as it
// was, whatever the line ends, and Explain's reading gives the same report.
func TestInputNotShared(t *testing.T) {
	const msg = "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n" +
		"<someone@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n    <someone@example.net>: Recipient address rejected: User unknown\n"
	for _, nl := range []string{"\n", "\r\n"} {
		in := strings.ReplaceAll(msg, "\n", nl)
		want, err := ExplainBytes([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		b := []byte(in)
		got, err := ExplainBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range b {
			b[i] = 'x'
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("newline %q: report changed with the caller's buffer (-want +got):\n%s", nl, diff)
		}
		fromReader, err := Explain(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, fromReader); diff != "" {
			t.Errorf("newline %q: Explain and ExplainBytes differ (-ExplainBytes +Explain):\n%s", nl, diff)
		}
	}
}

// TestAutoReplyMarks covers the fields that make a message an automatic
// reply (RFC 3834) and the notices that only resemble one.
func TestAutoReplyMarks(t *testing.T) {
	const head = "From: Sato <sato@example.co.jp>\nTo: tanaka@example.jp\nDate: Fri, 4 Dec 2026 01:02:03 +0000\n"
	tests := []struct {
		name   string
		fields string
		want   Kind // "" for ErrNotBounce
	}{
		{"auto-replied", "Subject: Re: Quotation\nAuto-Submitted: auto-replied\n", KindAutoReply},
		{"reply subject without fields", "Subject: Automatic reply: Quotation\n", KindAutoReply},
		// Exchange marks its out-of-office replies auto-generated; they
		// answer a message.
		{"auto-generated reply", "Subject: Automatic reply: Quotation\nAuto-Submitted: auto-generated\nIn-Reply-To: <q-1@example.jp>\n", KindAutoReply},
		// A notice that answers nothing is not a reply, whatever its
		// subject.
		{"auto-generated notice", "Subject: Vacation request approved\nAuto-Submitted: auto-generated\n", ""},
		{"auto-generated notice in a thread", "Subject: Vacation request approved\nAuto-Submitted: auto-generated\nIn-Reply-To: <req-7@example.jp>\n", ""},
		{"auto-generated Japanese reply", "Subject: 自動応答: 見積書\nAuto-Submitted: auto-generated\nIn-Reply-To: <q-1@example.jp>\n", KindAutoReply},
		{"Exchange reply without In-Reply-To", "Subject: 自動応答: 見積書\nAuto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n", KindAutoReply},
		{"auto-generated notice suppressing replies", "Subject: Vacation request approved\nAuto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n", ""},
		{"plain message", "Subject: Quotation\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := ExplainBytes([]byte(head + tt.fields + "\nI am out of the office until Monday.\n"))
			if tt.want == "" {
				if !errors.Is(err, ErrNotBounce) {
					t.Errorf("got %v, %v; want ErrNotBounce", rep, err)
				}
				return
			}
			if err != nil || rep.Kind != tt.want {
				t.Errorf("got %v, %v; want kind %s", rep, err, tt.want)
			}
		})
	}
}

// TestReadReceipt checks that a message disposition notification (RFC
// 8098), whose part names a Final-Recipient as a delivery status does,
// is not read as a failure.
func TestReadReceipt(t *testing.T) {
	const mdn = "From: Tanaka <tanaka@example.co.jp>\nTo: suzuki@example.jp\nSubject: Read: Quotation\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nYour message was displayed on 2026-12-04.\n" +
		"--b\nContent-Type: message/disposition-notification\n\n" +
		"Reporting-UA: mail.example.co.jp\nFinal-Recipient: rfc822;tanaka@example.co.jp\n" +
		"Original-Message-ID: <q-1@example.jp>\nDisposition: automatic-action/MDN-sent-automatically; displayed\n" +
		"--b--\n"
	rep, err := ExplainBytes([]byte(mdn))
	if !errors.Is(err, ErrNotBounce) {
		t.Errorf("read receipt: got %v, %v; want ErrNotBounce", rep, err)
	}
}

// TestStatedActionKept checks that a report which states that delivery
// failed is not turned into a delivery by a success reply it quotes.
func TestStatedActionKept(t *testing.T) {
	const b = "From: MAILER-DAEMON@mail.example.org\nTo: a@example.org\nSubject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nThe message could not be delivered.\n" +
		"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\n" +
		"Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 250 2.0.0 Ok\n" +
		"--b--\n"
	rep, err := ExplainBytes([]byte(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Recipients[0]; r.Action != ActionFailed || r.Reason == ReasonDelivered {
		t.Errorf("got action %s, reason %s; want the stated failure kept", r.Action, r.Reason)
	}
}
