package ndr_test

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

// The Postfix notice of a shared host about Outlook.com's S775
// reputation limit, one line per paragraph; maskIP stands for the
// addresses the user masked before pasting.
const (
	maskIP       = "×××.×××.×××.×××"
	s775Entry    = "<example@outlook.jp>: host apc.olc.protection.outlook.com[" + maskIP + "] said: 451 4.7.650 The mail server [" + maskIP + "] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)"
	postfixIntro = "This is the mail system at host mail.example.ne.jp.\n\n" +
		"I'm sorry to have to inform you that your message could not\n" +
		"be delivered to one or more recipients. It's attached below.\n\n" +
		"For further assistance, please send mail to postmaster.\n\n" +
		"If you do so, please include this problem report. You can\n" +
		"delete your own text from the attached returned message.\n\n" +
		"                   The mail system\n\n"
)

// pasteVariant is one way a user pastes the notice.
type pasteVariant struct {
	mask    string // what stands for the IP addresses
	breaks  []int  // the words after which a line ends, in order
	indent  bool   // continuation lines indented as Postfix writes them
	heading bool   // the notice's heading above the paragraph
	quote   bool   // "> " before every line
	html    bool   // the source of an HTML view
	message bool   // the body of a message with a header, not pasted text
}

func (v pasteVariant) String() string {
	return fmt.Sprintf("mask=%q breaks=%v indent=%t heading=%t quote=%t html=%t message=%t",
		v.mask, v.breaks, v.indent, v.heading, v.quote, v.html, v.message)
}

// text renders the variant.
func (v pasteVariant) text() string {
	words := strings.Fields(strings.ReplaceAll(s775Entry, maskIP, v.mask))
	var lines []string
	from := 0
	for _, b := range v.breaks {
		lines = append(lines, strings.Join(words[from:b], " "))
		from = b
	}
	lines = append(lines, strings.Join(words[from:], " "))
	if v.indent {
		for i := 1; i < len(lines); i++ {
			lines[i] = "    " + lines[i]
		}
	}
	all := lines
	if v.heading {
		all = append(strings.Split(strings.TrimSuffix(postfixIntro, "\n"), "\n"), lines...)
	}
	if v.html {
		for i, l := range all {
			l = html.EscapeString(l)
			l = strings.ReplaceAll(l, "×", "&times;")
			l = strings.ReplaceAll(l, "  ", "&nbsp; ")
			all[i] = l + "<br>"
		}
		all[0] = "<html><body><div>" + all[0]
		all[len(all)-1] += "</div></body></html>"
	}
	if v.quote {
		for i, l := range all {
			all[i] = strings.TrimRight("> "+l, " ")
		}
	}
	return strings.Join(all, "\n") + "\n"
}

// bytes renders the variant as a message: a forwarded copy with a
// header.
func (v pasteVariant) bytes() []byte {
	ct := "text/plain; charset=utf-8"
	if v.html {
		ct = "text/html; charset=utf-8"
	}
	return []byte("From: Taro Yamada <taro@example.co.jp>\nTo: helpdesk@example.co.jp\n" +
		"Subject: Fwd: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
		"Content-Type: " + ct + "\nContent-Transfer-Encoding: 8bit\n\n" + v.text())
}

// wrapAt returns the word breaks that wrap the words of s775Entry at
// width columns (0: no wrapping), as a mail program does.
func wrapAt(width int) []int {
	if width == 0 {
		return nil
	}
	var breaks []int
	col := 0
	for i, w := range strings.Fields(s775Entry) {
		if i > 0 && col+1+len(w) > width {
			breaks = append(breaks, i)
			col = 0
		}
		if col > 0 {
			col++
		}
		col += len(w)
	}
	return breaks
}

// pasteVariants generates the ways of pasting the notice: every mask,
// several wrapping widths, a single line break after each word, with and
// without indentation, heading, quoting, HTML, as text and as a message.
func pasteVariants() []pasteVariant {
	words := len(strings.Fields(s775Entry))
	var breakings [][]int
	for _, w := range []int{0, 78, 72, 60, 40, 20, 1} {
		breakings = append(breakings, wrapAt(w))
	}
	var out []pasteVariant
	for bits := range 32 {
		base := pasteVariant{indent: bits&1 != 0, heading: bits&2 != 0, quote: bits&4 != 0, html: bits&8 != 0, message: bits&16 != 0}
		for _, mask := range []string{maskIP, "xxx.xxx.xxx.xxx", "***.***.***.***", "IP", "192.0.2.1"} {
			for _, b := range breakings {
				v := base
				v.mask, v.breaks = mask, b
				out = append(out, v)
			}
		}
		// The line broken after any one word.
		for k := 1; k < words; k++ {
			v := base
			v.mask, v.breaks = maskIP, []int{k}
			out = append(out, v)
		}
	}
	return out
}

// pasteFacts are the facts every variant must give.
type pasteFacts struct {
	Recipients   []string
	ReplyCode    int
	Status       string
	Reason       ndr.Reason
	Temporary    bool
	HardBounce   bool
	Tokens       []string
	RemoteMTA    string
	Diagnostic   string
	Explanations []string
}

func pasteFactsOf(rep *ndr.Report, mask string) pasteFacts {
	var f pasteFacts
	for _, r := range rep.Recipients {
		f.Recipients = append(f.Recipients, r.Recipient)
	}
	if len(rep.Recipients) == 0 {
		return f
	}
	r := rep.Recipients[0]
	f.ReplyCode, f.Status, f.Reason = r.ReplyCode, r.Status.String(), r.Reason
	f.Temporary, f.HardBounce = r.Temporary, r.HardBounce
	f.Tokens, f.RemoteMTA = r.Tokens, r.RemoteMTA
	f.Diagnostic = strings.ReplaceAll(r.Diagnostic, "["+mask+"]", "["+maskIP+"]")
	for _, e := range r.Explanations {
		f.Explanations = append(f.Explanations, e.ID)
	}
	return f
}

// TestPastedS775Variants reads the S775 notice in every way users paste
// it and expects the facts of the notice each time: reply code 451,
// status 4.7.650, reason badreputation, token S775, the remote host, and
// the same explanations.
func TestPastedS775Variants(t *testing.T) {
	want := pasteFacts{
		Recipients: []string{"example@outlook.jp"},
		ReplyCode:  451,
		Status:     "4.7.650",
		Reason:     ndr.ReasonBadReputation,
		Temporary:  true,
		Tokens:     []string{"S775"},
		RemoteMTA:  "apc.olc.protection.outlook.com",
		Diagnostic: "451 4.7.650 The mail server [" + maskIP + "] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)",
	}
	canonical, err := ndr.ExplainText(s775Entry)
	if err != nil {
		t.Fatal(err)
	}
	want.Explanations = pasteFactsOf(canonical, maskIP).Explanations
	if len(want.Explanations) == 0 || !strings.Contains(want.Explanations[0], "s775") && !strings.Contains(want.Explanations[0], "S775") {
		t.Fatalf("the notice's first explanation is %v, want the S775 entry", want.Explanations)
	}
	failed := 0
	for _, v := range pasteVariants() {
		var rep *ndr.Report
		var err error
		if v.message {
			rep, err = ndr.ExplainBytes(v.bytes())
		} else {
			rep, err = ndr.ExplainText(v.text())
		}
		if err != nil {
			t.Errorf("%v: %v", v, err)
			continue
		}
		if diff := cmp.Diff(want, pasteFactsOf(rep, v.mask)); diff != "" {
			if failed++; failed <= 5 {
				t.Errorf("%v:\n%s\n(-want +got):\n%s", v, v.text(), diff)
			}
		}
	}
	if failed > 5 {
		t.Errorf("%d variants in all give other facts", failed)
	}
}

// TestPastedParagraphsBackToBack reads Postfix paragraphs pasted with
// their continuation lines indented but without the blank lines between
// them: "<addr>: host ..." lines are no message header.
func TestPastedParagraphsBackToBack(t *testing.T) {
	text := "<a@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n" +
		"    <a@example.net>: Recipient address rejected: User unknown (in reply to\n" +
		"    RCPT TO command)\n" +
		"<b@example.net>: host mx.example.net[192.0.2.1] said: 552 5.2.2\n" +
		"    <b@example.net>: Mailbox full (in reply to RCPT TO command)\n" +
		"<c@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n" +
		"    <c@example.net>: Recipient address rejected: User unknown (in reply to\n" +
		"    RCPT TO command)\n"
	rep, err := ndr.ExplainText(text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Recipients {
		got = append(got, r.Recipient+" "+string(r.Reason))
	}
	want := []string{"a@example.net userunknown", "b@example.net mailboxfull", "c@example.net userunknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recipients (-want +got):\n%s", diff)
	}
}
