// Package hostile builds adversarial variants of bounce messages for tests:
// the shapes an attacker who can send mail to a bounce mailbox would use to
// make a parser slow or make it invent recipients. Each Shape turns a base
// message into a larger one whose size grows linearly with a count n, so a
// test can run a shape at two sizes and compare the costs.
//
// The shapes are generic: they repeat the base message's own recipient
// lines, diagnostic lines and markers, so every layout that has a test
// bounce is covered by the same generator.
package hostile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
)

// A Shape is one way of growing a message.
type Shape struct {
	// Name identifies the shape in test names.
	Name string
	// Build returns the base message grown by n repetitions. It returns
	// nil when the shape does not apply to base (for example, no line
	// holds an address).
	Build func(base []byte, n int) []byte
}

// Shapes returns every shape that grows a base message.
func Shapes() []Shape {
	return []Shape{
		{"recipient-lines", RecipientLines},
		{"diagnostic-lines", DiagnosticLines},
		{"repeated-body", RepeatedBody},
		{"long-line", LongLine},
		{"addresses-on-one-line", AddressLine},
		{"no-end", NoEnd},
		{"many-tags", ManyTags},
		{"dsn-blocks", DSNBlocks},
		{"reply-runs", ReplyRuns},
		{"addresses-after-reply", AddressesAfterReply},
	}
}

// CappedShapes returns, besides Shapes, shapes for runs with caps on
// the recipients and the diagnostic text: recipients with the lines
// that follow each (each one costs the work of a whole recipient, which
// the caps bound), and recipients grown together with the text they
// share (a layout that reads that text once for each recipient does
// work that grows with the square of the input).
func CappedShapes() []Shape {
	return append(Shapes(),
		Shape{"recipient-paragraphs", RecipientParagraphs},
		Shape{"recipients-and-diagnostics", func(base []byte, n int) []byte {
			return both(RecipientLines, DiagnosticLines, base, n)
		}},
		Shape{"recipients-and-long-line", func(base []byte, n int) []byte {
			return both(RecipientLines, LongLine, base, n)
		}},
		Shape{"paragraphs-and-diagnostics", func(base []byte, n int) []byte {
			return both(RecipientParagraphs, DiagnosticLines, base, n)
		}},
	)
}

// both grows base by n repetitions of one shape, then of another, or
// returns nil when either does not apply.
func both(first, then func([]byte, int) []byte, base []byte, n int) []byte {
	if b := first(base, n); b != nil {
		return then(b, n)
	}
	return nil
}

// split returns the header (with its blank line) and the body of m.
func split(m []byte) (header, body []byte) {
	m = bytes.ReplaceAll(m, []byte("\r\n"), []byte("\n"))
	if i := bytes.Index(m, []byte("\n\n")); i >= 0 {
		return m[:i+2], m[i+2:]
	}
	return nil, m
}

var (
	addrRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	codeRE = regexp.MustCompile(`\b[245][0-9][0-9]\b|(?i)reason|user|unknown|mailbox`)
	// headerLine is a line that reads as a header field of a returned
	// message rather than as report text.
	headerLine = regexp.MustCompile(`(?i)^(from|to|cc|reply-to|return-path|message-id|sender|subject|date|received|references|in-reply-to|x-[a-z-]+|dkim-signature|authentication-results|arc-[a-z-]+):`)
)

// firstLine returns the index of the first body line for which ok holds,
// skipping MIME part headers and headers of the returned message.
func firstLine(lines []string, ok func(string) bool) int {
	for i, l := range lines {
		if strings.IndexByte(l, ':') >= 0 && headerLine.MatchString(l) ||
			len(l) >= len("content-") && strings.EqualFold(l[:len("content-")], "content-") {
			continue
		}
		if ok(l) {
			return i
		}
	}
	return -1
}

func insertAfter(header []byte, lines []string, at int, extra []string) []byte {
	var b bytes.Buffer
	b.Write(header)
	for i, l := range lines {
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
		if i == at {
			for _, e := range extra {
				b.WriteString(e)
				b.WriteByte('\n')
			}
		}
	}
	return b.Bytes()
}

// RecipientLines repeats the first body line that holds an address n
// times, each copy with its own address, so a report appears to list n
// recipients in the layout's own words.
func RecipientLines(base []byte, n int) []byte {
	h, body := split(base)
	lines := strings.Split(string(body), "\n")
	at := firstLine(lines, addrRE.MatchString)
	if at < 0 {
		return nil
	}
	extra := make([]string, n)
	number := numberer(lines[at])
	for i := range extra {
		extra[i] = number(i)
	}
	return insertAfter(h, lines, at, extra)
}

// numberer returns a function that gives line with k put at the end of
// the local part of each address in it. The addresses are found once.
func numberer(line string) func(k int) string {
	var ats []int // the offsets of the addresses' "@"
	for _, loc := range addrRE.FindAllStringIndex(line, -1) {
		ats = append(ats, loc[0]+strings.IndexByte(line[loc[0]:loc[1]], '@'))
	}
	return func(k int) string {
		if len(ats) == 0 {
			return line
		}
		var b strings.Builder
		last := 0
		for _, at := range ats {
			b.WriteString(line[last:at])
			b.WriteString(strconv.Itoa(k))
			last = at
		}
		b.WriteString(line[last:])
		return b.String()
	}
}

// DiagnosticLines repeats the first body line that reads as a diagnostic
// (a reply code, "reason", "user", "unknown", "mailbox") n times.
func DiagnosticLines(base []byte, n int) []byte {
	h, lines, at := diagnosticLine(base)
	if at < 0 {
		return nil
	}
	extra := make([]string, n)
	for i := range extra {
		extra[i] = lines[at]
	}
	return insertAfter(h, lines, at, extra)
}

// diagnosticLine splits base into its header and body lines and finds the
// first body line that reads as a diagnostic (codeRE), -1 when none does.
func diagnosticLine(base []byte) (header []byte, lines []string, at int) {
	header, body := split(base)
	lines = strings.Split(string(body), "\n")
	return header, lines, firstLine(lines, codeRE.MatchString)
}

// AddressesAfterReply follows the first body line that reads as a
// diagnostic with n lines that each hold one address alone, as a reply
// shared by the list of the addresses it stands for is written; the
// reply's line also gets trailing words, so that the reply ends inside
// its line.
func AddressesAfterReply(base []byte, n int) []byte {
	h, lines, at := diagnosticLine(base)
	if at < 0 {
		return nil
	}
	lines[at] += " (see the addresses below)"
	extra := make([]string, n)
	for i := range extra {
		extra[i] = fmt.Sprintf("  u%d@example%d.com", i, i%7)
	}
	return insertAfter(h, lines, at, extra)
}

// replyRun is a piece of text that reads as SMTP replies: a continued
// reply whose last line follows on the same line, and one in qmail's
// "(#5.1.1)" and Exchange's "#550 ... ##" notation left open.
const replyRun = "550-5.1.1 x 550 5.1.1 550-5.1.1 (#5.1.1) #550 5.1.1 "

// ReplyRuns appends n copies of replyRun to the first body line that
// reads as a diagnostic, so that one line holds n runs of replies.
func ReplyRuns(base []byte, n int) []byte {
	h, lines, at := diagnosticLine(base)
	if at < 0 {
		return nil
	}
	lines[at] += " " + strings.Repeat(replyRun, n)
	return insertAfter(h, lines, -1, nil)
}

// RepeatedBody repeats the text that holds the layout's markers n
// times: the body of the first MIME part when the body starts with a
// delimiter, else the text before the first delimiter line (the whole
// body when there is none).
func RepeatedBody(base []byte, n int) []byte {
	h, body := split(base)
	var before, text, after []byte
	if bytes.HasPrefix(body, []byte("--")) {
		start := bytes.Index(body, []byte("\n\n"))
		if start < 0 {
			return nil
		}
		end := bytes.Index(body[start+2:], []byte("\n--"))
		if end < 0 {
			return nil
		}
		before, text, after = body[:start+2], body[start+2:start+2+end+1], body[start+2+end+1:]
	} else {
		text = body
		if i := bytes.Index(body, []byte("\n--")); i >= 0 {
			text, after = body[:i+1], body[i+1:]
		}
	}
	var b bytes.Buffer
	b.Write(h)
	b.Write(before)
	for range n + 1 {
		b.Write(text)
	}
	b.Write(after)
	return b.Bytes()
}

// LongLine puts one line of about 80·n bytes of words, with no line
// break, at the start of the body.
func LongLine(base []byte, n int) []byte {
	h, body := split(base)
	var b bytes.Buffer
	b.Write(h)
	words := []string{"user ", "unknown ", "550 ", "5.1.1 ", "mailbox ", "said: ", "host ", "<", ">", "reason: ", "delivery "}
	for i := 0; b.Len() < len(h)+80*n; i++ {
		b.WriteString(words[i%len(words)])
	}
	b.WriteByte('\n')
	b.Write(body)
	return b.Bytes()
}

// AddressLine puts n addresses on one line at the start of the body.
func AddressLine(base []byte, n int) []byte {
	h, body := split(base)
	var b bytes.Buffer
	b.Write(h)
	for i := range n {
		fmt.Fprintf(&b, "<u%d@example%d.com> ", i, i%7)
	}
	b.WriteByte('\n')
	b.Write(body)
	return b.Bytes()
}

// NoEnd keeps the body up to its first address or diagnostic line and
// follows it with n lines of report-like text that never reach the
// layout's closing marker or MIME delimiter.
func NoEnd(base []byte, n int) []byte {
	h, body := split(base)
	lines := strings.Split(string(body), "\n")
	at := firstLine(lines, func(l string) bool { return addrRE.MatchString(l) || codeRE.MatchString(l) })
	if at < 0 {
		return nil
	}
	var b bytes.Buffer
	b.Write(h)
	b.WriteString(strings.Join(lines[:at+1], "\n"))
	b.WriteByte('\n')
	for i := range n {
		fmt.Fprintf(&b, "    continued diagnostic text %d for the recipient\n", i)
	}
	return b.Bytes()
}

// finalRecipient begins the per-recipient block of delivery-status
// fields.
var finalRecipient = regexp.MustCompile(`(?i)^final-recipient:`)

// DSNBlocks repeats the first block of delivery-status fields that names
// a recipient (from its Final-Recipient line to the blank line after it)
// n times, each copy with its own address, so that the report's DSN, in
// a delivery-status part or written in the text, appears to list n
// recipients.
func DSNBlocks(base []byte, n int) []byte {
	return repeatBlock(base, n, func(lines []string) int {
		for i, l := range lines {
			if finalRecipient.MatchString(l) {
				return i
			}
		}
		return -1
	})
}

// RecipientParagraphs repeats the paragraph that begins with the first
// body line holding an address (up to the blank line after it) n times,
// each copy with its own address, so that a report appears to list n
// recipients, each with the lines that follow its address in the
// layout (the remote host, the command, the reply).
func RecipientParagraphs(base []byte, n int) []byte {
	return repeatBlock(base, n, func(lines []string) int {
		return firstLine(lines, addrRE.MatchString)
	})
}

// repeatBlock repeats n times, after a blank line each and with the
// copy's number in each address, the lines of the body from the one
// that first returns to the next blank line.
func repeatBlock(base []byte, n int, first func(lines []string) int) []byte {
	h, body := split(base)
	lines := strings.Split(string(body), "\n")
	start := first(lines)
	if start < 0 {
		return nil
	}
	end := start + 1
	for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
		end++
	}
	block := make([]func(int) string, 0, end-start)
	for _, l := range lines[start:end] {
		block = append(block, numberer(l))
	}
	extra := make([]string, 0, n*(len(block)+1))
	for k := range n {
		extra = append(extra, "")
		for _, number := range block {
			extra = append(extra, number(k))
		}
	}
	return insertAfter(h, lines, end-1, extra)
}

// ManyTags returns an HTML bounce notice whose body holds n each of
// several tags, most of them never closed. base is not used.
func ManyTags(_ []byte, n int) []byte {
	var b bytes.Buffer
	b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: user@example.org\n" +
		"Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
		"Content-Type: text/html; charset=utf-8\n\n<html><body>\n" +
		"<p>&lt;ghost@example.com&gt;: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown</p>\n")
	tags := []string{"<STYLE>", "<div class=x>", "<script>", "<td>", "<!-- ", "<br>", "&nbsp;", "<a href='x'>"}
	for i := range n {
		b.WriteString(tags[i%len(tags)])
		if i%16 == 15 {
			b.WriteByte('\n')
		}
	}
	b.WriteString("\n</body></html>\n")
	return b.Bytes()
}

// Noise returns a message with a bounce Subject and a body of size bytes
// drawn from the given source: random bytes, random letters and
// punctuation, or random non-Latin text. The same seed gives the same
// message.
func Noise(kind string, size int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b bytes.Buffer
	b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: user@example.org\n" +
		"Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=utf-8\n\n")
	switch kind {
	case "bytes":
		for b.Len() < size {
			b.WriteByte(byte(r.UintN(256)))
		}
	case "ascii":
		const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.@<>:;-_ \n\t[]()\"'"
		for b.Len() < size {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
	default: // "cjk": Japanese, Chinese and Cyrillic text with ASCII marks
		runes := []rune("あいうえお配信失敗宛先不明用户不存在邮件Пользователь @.<>: \n")
		for b.Len() < size {
			b.WriteRune(runes[r.IntN(len(runes))])
		}
	}
	return b.Bytes()
}
