package ndr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// manyRecipients is a Postfix notice listing n failed recipients.
func manyRecipients(n int, diag string) string {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: a@example.org\nSubject: Undelivered Mail Returned to Sender\n\n" +
		"This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n")
	for i := range n {
		fmt.Fprintf(&b, "<u%d@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 %s\n    (in reply to RCPT TO command)\n\n", i, diag)
	}
	return b.String()
}

// plainList is a notice of no known layout that lists n addresses.
func plainList(n int) string {
	var b strings.Builder
	b.WriteString("From: postmaster@example.net\nTo: a@example.org\nSubject: Returned mail: delivery failure\n\n" +
		"Your message could not be delivered to the following recipients:\n\n")
	for i := range n {
		fmt.Fprintf(&b, "u%d@example.com\n", i)
	}
	b.WriteString("\n550 5.1.1 user unknown\n")
	return b.String()
}

// returnedHeader is a DSN whose returned message has a header of about
// n bytes: many Received fields.
func returnedHeader(n int) string {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: a@example.org\nSubject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
		"--b\nContent-Type: text/plain\n\nThe message could not be delivered.\n\n" +
		"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
		"Final-Recipient: rfc822; u@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n\n" +
		"--b\nContent-Type: text/rfc822-headers\n\nSubject: hello\n")
	line := "Received: from relay.example.org by mx.example.net; Mon, 7 Dec 2026 01:00:00 +0000\n"
	for b.Len() < n {
		b.WriteString(line)
	}
	b.WriteString("From: a@example.org\n\nbody\n--b--\n")
	return b.String()
}

// limitWarnings returns the limits named by the report's warnings.
func limitWarnings(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		var le *LimitError
		if errors.As(w.Err, &le) {
			out = append(out, fmt.Sprintf("%s=%d", le.What, le.Limit))
		}
	}
	return out
}

func TestResourceLimits(t *testing.T) {
	long := strings.Repeat("user unknown ", 100)
	tests := []struct {
		name       string
		msg        string
		opts       Options
		recipients int
		maxDiag    int
		warnings   []string
	}{
		{"within the defaults", manyRecipients(3, "user unknown"), Options{}, 3, 100, nil},
		{"recipients cut", manyRecipients(30, "user unknown"), Options{MaxRecipients: 10}, 10, 100, []string{"recipients=10"}},
		{"diagnostics cut", manyRecipients(2, long), Options{MaxDiagnostic: 200}, 2, 200, []string{"diagnostic=200"}},
		{"addresses cut", plainList(30), Options{MaxAddresses: 5}, 5, 100, []string{"addresses=5"}},
		{"returned header within its cap", returnedHeader(1 << 19), Options{}, 1, 100, nil},
		{"returned header cut", returnedHeader(3 << 20 >> 1), Options{}, 1, 100, []string{"returned header=1048576"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := ExplainBytes([]byte(tt.msg), WithOptions(tt.opts), WithoutExplanations())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Recipients) != tt.recipients {
				t.Errorf("%d recipients, want %d", len(rep.Recipients), tt.recipients)
			}
			for _, r := range rep.Recipients {
				if len(r.Diagnostic) > tt.maxDiag {
					t.Errorf("%s: diagnostic of %d bytes, want at most %d", r.Recipient, len(r.Diagnostic), tt.maxDiag)
				}
			}
			if diff := cmp.Diff(tt.warnings, limitWarnings(rep.Warnings)); diff != "" {
				t.Errorf("limit warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCapWarnings(t *testing.T) {
	var ws []Warning
	for i := range 50 {
		ws = append(ws, Warning{Part: fmt.Sprint(i), Err: errors.New(strings.Repeat("x", 1000))})
	}
	got := capWarnings(ws, 8)
	if len(got) != 8 {
		t.Fatalf("%d warnings, want 8", len(got))
	}
	if diff := cmp.Diff([]string{"warnings=8"}, limitWarnings(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, w := range got {
		if n := len(w.Err.Error()); n > maxWarningText {
			t.Errorf("warning of %d bytes", n)
		}
	}
}

// TestCapWarningsKeepsKeyWarnings checks that the warnings that change
// what a report means are kept when many others are left out, in their
// order, and that the others kept are the first ones.
func TestCapWarningsKeepsKeyWarnings(t *testing.T) {
	var ws []Warning
	for i := range 40 {
		ws = append(ws, Warning{Part: fmt.Sprint(i), Err: ErrUnknownCharset})
	}
	ws = append(ws[:3:3], append([]Warning{{Err: ErrMbox}}, ws[3:]...)...)
	ws = append(ws,
		Warning{Err: &LimitError{What: "recipients", Limit: 10}},
		Warning{Err: ErrQuoted},
		Warning{Err: ErrAttached})
	var got []string
	for _, w := range capWarnings(ws, 6) {
		got = append(got, w.Error())
	}
	want := []string{
		"ndr: part 0: unknown charset",
		"ndr: " + ErrMbox.Error(),
		"ndr: message exceeds the recipients limit of 10",
		"ndr: " + ErrQuoted.Error(),
		"ndr: " + ErrAttached.Error(),
		"ndr: message exceeds the warnings limit of 6: 39 more warnings were left out",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// countingContext ends after its Err method has been asked n times, so
// that a test can see that the analysis asks while it works.
type countingContext struct {
	context.Context
	left atomic.Int64
}

func (c *countingContext) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestExplainContext(t *testing.T) {
	msg := []byte(manyRecipients(200, "user unknown"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ExplainBytesContext(ctx, msg); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
	if _, err := ExplainTextContext(ctx, "<a@example.com>: 550 user unknown"); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context, text: %v", err)
	}
	if _, err := ExplainContext(ctx, strings.NewReader(string(msg))); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context, reader: %v", err)
	}
	// A context that ends during the analysis stops it: every number of
	// questions short of a full run gives the context's error.
	full := &countingContext{Context: context.Background()}
	full.left.Store(1 << 30)
	if _, err := ExplainBytesContext(full, msg); err != nil {
		t.Fatal(err)
	}
	asked := 1<<30 - full.left.Load()
	if asked < 4 {
		t.Fatalf("the analysis asked the context %d times", asked)
	}
	for _, n := range []int64{1, 2, asked / 2, asked - 1} {
		c := &countingContext{Context: context.Background()}
		c.left.Store(n)
		if _, err := ExplainBytesContext(c, msg); !errors.Is(err, context.Canceled) {
			t.Errorf("context ending after %d of %d questions: %v", n, asked, err)
		}
	}
}

// A DSN whose Final-Recipient is not a valid mailbox address keeps the
// recipient's failure, without the address, and says so in a warning;
// a long but valid local part (a mailing list's tagged return address)
// is kept as it is.
func TestInvalidReportedAddress(t *testing.T) {
	dsnWith := func(rcpt string) string {
		return "From: MAILER-DAEMON@mx.example.net\nTo: a@example.org\nSubject: Undelivered Mail Returned to Sender\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
			"--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" +
			"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
			"Final-Recipient: rfc822; " + rcpt + "\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n--b--\n"
	}
	for _, c := range []struct {
		name, rcpt, want string
		warn             bool
	}{
		{"bytes that are not UTF-8", "j\xe9r\xf4me@example.net", "", true},
		{"a local part beyond 512 octets", strings.Repeat("a", 600) + "@example.net", "", true},
		{"a tagged return address", "bounce-" + strings.Repeat("0123456789abcdef", 4) + "-x@example.net", "bounce-" + strings.Repeat("0123456789abcdef", 4) + "-x@example.net", false},
	} {
		rep, err := ExplainBytes([]byte(dsnWith(c.rcpt)))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(rep.Recipients) != 1 || rep.Recipients[0].Recipient != c.want || rep.Recipients[0].Status.String() != "5.1.1" {
			t.Errorf("%s: recipients %+v, want one %q with status 5.1.1", c.name, rep.Recipients, c.want)
		}
		warned := false
		for _, w := range rep.Warnings {
			warned = warned || errors.Is(w, ErrNoAddress)
		}
		if warned != c.warn {
			t.Errorf("%s: ErrNoAddress warning %v, want %v (%v)", c.name, warned, c.warn, rep.Warnings)
		}
	}
	// Nothing after the "@" is no address at all: the report names no
	// recipient (and reading it does not fail on the empty domain).
	if _, err := ExplainBytes([]byte(dsnWith("j\xe9r\xf4me@"))); !errors.Is(err, ErrNotBounce) {
		t.Errorf("a Final-Recipient without a domain: %v, want ErrNotBounce", err)
	}
}
