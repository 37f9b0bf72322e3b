package ndr_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// recipientsDir names a folder of further bounces (.eml) that
// TestRecipientsAreRecipients reads besides the test bounces, such as a
// labelled corpus kept outside the repository:
//
//	go test ./ndr -run TestRecipientsAreRecipients -recipients.dir ../../shared/corpus
var recipientsDir = flag.String("recipients.dir", "", "also check the recipients of the .eml files in this folder")

// senderFields name the fields of a message header that hold its sender
// or the message itself, never a recipient; a line that begins with one
// of them is no recipient position.
var senderFields = []string{"from:", "return-path:", "sender:", "reply-to:", "message-id:", "subject:", "references:", "in-reply-to:", "errors-to:", "resent-from:", "dkim-signature:", "list-unsubscribe:", "list-id:", "x-original-sender:", "envelope-from:"}

// helpLines are texts of the lines on which a report gives an address
// for help, which is no recipient position.
var helpLines = []string{"please contact", "for further assistance", "ご連絡ください", "お問い合わせ"}

// mailSystems are the local parts of mail-system mailboxes that report
// failures and are never the failed recipient.
var mailSystems = map[string]bool{"postmaster": true, "mailer-daemon": true, "mailerdaemon": true, "mail-daemon": true}

// recipientPositions returns the text of a bounce where a recipient can
// stand, lower-cased: the lines of its decoded text (the human-readable
// parts) but those of sender and message fields and of help contacts,
// the delivery-status fields that name a recipient, and the To and Cc
// fields below the top-level header (those of a returned message).
// dsnRecipients are the lines of the fields that name a recipient
// outright (Final-Recipient, Original-Recipient, X-Failed-Recipients).
func recipientPositions(t *testing.T, b []byte) (positions, dsnRecipients string) {
	t.Helper()
	raw := string(mime.StripMboxLine(mime.NormalizeNewlines(b)))
	text, rest := raw, ""
	if mime.LooksLikeHeader(raw) {
		m, err := mime.Walk(raw, mime.Limits{MaxSize: 64 << 20, MaxParts: 4096, MaxDepth: 64, ErrTruncated: ndr.ErrTruncated, ErrUnknownCharset: ndr.ErrUnknownCharset})
		if err != nil {
			t.Fatal(err)
		}
		text = m.Body
		_, rest, _ = strings.Cut(raw, "\n\n")
	}
	var pos, rcpt strings.Builder
	lines := strings.Split(strings.ToLower(text), "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t>")
		if hasAnyPrefix(t, senderFields) || helpLine(t) || i+1 < len(lines) && helpLine(lines[i+1]) {
			continue
		}
		pos.WriteString(l)
		pos.WriteByte('\n')
	}
	top, _, _ := strings.Cut(raw, "\n\n")
	for _, block := range []string{top, rest} {
		for l := range strings.SplitSeq(strings.ToLower(block), "\n") {
			t := strings.TrimLeft(l, " \t>")
			if hasAnyPrefix(t, []string{"final-recipient:", "original-recipient:", "x-failed-recipients:"}) {
				rcpt.WriteString(l)
				rcpt.WriteByte('\n')
			} else if block == rest && hasAnyPrefix(t, []string{"to:", "cc:"}) {
				pos.WriteString(l)
				pos.WriteByte('\n')
			}
		}
	}
	return pos.String() + rcpt.String(), rcpt.String()
}

// hasAnyPrefix reports whether s begins with one of prefixes.
func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// helpLine reports whether a lower-cased line gives an address for help
// (the address may stand on the line before).
func helpLine(l string) bool {
	for _, h := range helpLines {
		if strings.Contains(l, h) {
			return true
		}
	}
	return false
}

// domainOf returns the lower-cased domain of the first address of an
// address field, or "".
func domainOf(field string) string {
	_, d, _ := strings.Cut(strings.ToLower(mailaddr.CleanAddress(mailaddr.FirstAddress(field))), "@")
	return d
}

// recipientProblem returns why addr, reported as a recipient of the
// bounce, is not one, or "".
func recipientProblem(addr string, rep *ndr.Report, positions, dsnRecipients string) string {
	a := strings.ToLower(addr)
	local, domain, ok := strings.Cut(a, "@")
	switch {
	case !ok || !mailaddr.IsAddress(addr):
		return "not an address"
	case mailSystems[local] && (domain == domainOf(rep.From) || domain == strings.ToLower(rep.ReportingMTA)):
		return "the reporting host's mail system"
	case a == strings.ToLower(mailaddr.CleanAddress(mailaddr.FirstAddress(rep.From))):
		return "the sender of the bounce"
	case rep.Original.From != "" && a == strings.ToLower(mailaddr.CleanAddress(mailaddr.FirstAddress(rep.Original.From))) &&
		!strings.Contains(strings.ToLower(rep.Original.To), a) && !strings.Contains(dsnRecipients, a):
		return "the sender of the returned message"
	case !strings.Contains(positions, a):
		return "named in no recipient position"
	}
	return ""
}

// TestRecipientsAreRecipients checks every reported recipient of every
// test bounce: an address, never a mail system's mailbox (postmaster,
// MAILER-DAEMON), the sender of the bounce or of the returned message,
// and named where a recipient stands (delivery-status fields,
// X-Failed-Recipients, the report's text, the returned message's To or
// Cc), not only in sender or message fields.
func TestRecipientsAreRecipients(t *testing.T) {
	files := bounceFiles(t)
	if *recipientsDir != "" {
		more, err := filepath.Glob(filepath.Join(*recipientsDir, "*.eml"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ndr.ExplainBytes(b)
		if err != nil || rep.Kind == ndr.KindFeedback || rep.Kind == ndr.KindAutoReply {
			// A feedback report or an automatic reply names its
			// sender, not failed recipients.
			continue
		}
		positions, dsnRecipients := recipientPositions(t, b)
		for _, r := range rep.Recipients {
			if p := recipientProblem(r.Recipient, rep, positions, dsnRecipients); p != "" {
				t.Errorf("%s: recipient %q (read by %s) is %s", file, r.Recipient, r.DecodedBy, p)
			}
		}
	}
}
