package layout

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func TestPostfixCommand(t *testing.T) {
	bodies := []string{
		"", "host mx said: 550 no (in reply to RCPT TO command)",
		"550 a (In Reply To end of DATA command)  ",
		"550 a (in reply to x) (in reply to RCPT TO command)",
		"550 a\n\t (in reply to MAIL FROM command)\n",
		"(in reply to RCPT TO command) trailing",
		"(in reply to  command)",
	}
	for _, b := range bodies {
		if diff := cmp.Diff(postfixInReply.FindStringSubmatch(b), postfixCommand(b)); diff != "" {
			t.Errorf("postfixCommand(%q) (-regexp +got):\n%s", b, diff)
		}
	}
}

// TestIsSendmailSection checks isSendmailSection against sendmailSection
// on edge lines and on every trimmed line of the test bounces.
func TestIsSendmailSection(t *testing.T) {
	lines := []string{
		"", "-", "---", "------", "---follows", "--follows", "--- follows", "---  follows",
		"---follows-", "---follows --", "---follows  --", "---follows- ", "--- follows x",
		"----- The following addresses had permanent fatal errors -----",
		"----- The following addresses had transient non-fatal errors -----",
		"-----The following addresses had successful delivery notifications",
		"--- The following addresses had permanent fatal errors -- x",
		"----- Transcript of session follows -----", "---TRANSCRIPT OF SESSION FOLLOWS",
		"------- Original message -------", "--- Unsent message ---", "--- Returned message",
		"--- Message header ---", "---  Message header", "--- - original message",
		"--- Original message follows", "--- Below this line is a copy of the message.",
		"--- original message  ---", "---original message-", "--- message headers",
		"--- Transcript of session FOLLOW\u017f ---", "--- \u5143\u306e\u30e1\u30c3\u30bb\u30fc\u30b8 follows",
		"--- Original me\u017f\u017fage",
	}
	for _, text := range testcorpus.Texts(t, mime.Normalize) {
		for l := range strings.SplitSeq(text, "\n") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	// Lines put together from pieces of headings, in every order.
	pieces := []string{"-", "---", " ", "follows", "Follows", "x", "original message", "message header", "s"}
	for i := range 9 * 9 * 9 * 9 {
		l := "---"
		for n := i; n > 0; n /= 9 {
			l += pieces[n%9]
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		want := strings.HasPrefix(l, "---") && sendmailSection.MatchString(l)
		if got := isSendmailSection(l); got != want {
			t.Errorf("isSendmailSection(%q) = %v, want %v", l, got, want)
		}
	}
}

// sendmailMarker is what sendmailHeadingLine finds, as a pattern.
var sendmailMarker = regexp.MustCompile(`(?m)^[ \t>]*-{3,} ?(?:The following addresses had|Transcript of session follows)`)

// TestSendmailHeadingLine checks sendmailHeadingLine against
// sendmailMarker on edge texts and on every test bounce.
func TestSendmailHeadingLine(t *testing.T) {
	texts := testcorpus.Texts(t, mime.Normalize,
		"--- The following addresses had", "x\n> > ----- Transcript of session follows -----\n",
		"-- The following addresses had\n\t---The following addresses had\n",
		"----  Transcript of session follows\n--->Transcript of session follows\n",
		"x --- Transcript of session follows\n---- transcript of session follows\n",
		"> >\t---The following addresses had permanent fatal errors",
	)
	for _, text := range texts {
		want := -1
		if loc := sendmailMarker.FindStringIndex(text); loc != nil {
			want = loc[0]
		}
		if got := sendmailHeadingLine(text); got != want {
			t.Errorf("sendmailHeadingLine(%.50q) = %d, want %d", text, got, want)
		}
	}
}

// TestLineGates checks that the cheap tests run before the detectors'
// line patterns pass every line the patterns match, on edge lines and on
// every line of the test bounces, as they are and trimmed.
func TestLineGates(t *testing.T) {
	gates := []struct {
		re   *regexp.Regexp
		gate func(string) bool
	}{
		{activeHunterEntry, func(l string) bool { return strings.HasPrefix(l, ">>> ") }},
		{amavisEntry, func(l string) bool { return strings.Contains(l, ">:") }},
		{courierRcpt, func(l string) bool { return strings.HasPrefix(l, "<") }},
		{courierHost, func(l string) bool { return strings.Contains(l, "]:") }},
		{ex2003MTSID, func(l string) bool { return textutil.HasPrefixLower(l, "the mt") }},
		{ex2003Remote, func(l string) bool { return strings.HasPrefix(l, "<") }},
		{exchangeHashReply, func(l string) bool { return strings.HasPrefix(l, "#") }},
		{opensmtpdLine, func(l string) bool { return strings.Contains(l, "@") }},
	}
	lines := []string{
		">>> user@example.com <user@example.com>", "\t<a@example.com>: [192.0.2.1] said: 550 no",
		"<a@example.com>:", " mx.example.com [192.0.2.1]:", "The MTS-ID of the original message is: c=x",
		"the mt\u017f-id of the original message is:", "<mx.example.com #5.1.1 smtp;550 no>",
		"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "REMOTE Server returned '550 no'",
		"Remote \u017eerver returned 'x'", "a@example.com: 550 no", "Remote hoSt said: 550 no",
		"remote ho\u017ft said: 550 no",
	}
	for _, text := range testcorpus.Texts(t, mime.Normalize) {
		for l := range strings.SplitSeq(text, "\n") {
			lines = append(lines, l, strings.TrimSpace(l))
		}
	}
	for _, g := range gates {
		for _, l := range lines {
			if g.re.MatchString(l) && !g.gate(l) {
				t.Errorf("%s matches %q, which its gate refuses", g.re, l)
			}
		}
	}
}

func TestQmailSaidText(t *testing.T) {
	lines := []string{
		"", "Remote host said: 550 no", "x REMOTE HOST SAID:\t\n 550\nno", "remote host said:",
		"Remote host said", "remote host said: a remote host said: b", "Remote ho\u017ft said: 550 no",
		"\u212a remote host said: 452 full", "192.0.2.1 does not like recipient.",
	}
	for _, text := range testcorpus.Texts(t, mime.Normalize) {
		lines = append(lines, strings.Split(text, "\n")...)
	}
	for _, l := range lines {
		want := []string{}
		if s := qmailSaid.FindStringSubmatch(l); s != nil {
			want = []string{s[1]}
		}
		got := []string{}
		if said, ok := qmailSaidText(l); ok {
			got = []string{said}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("qmailSaidText(%.50q) (-qmailSaid +got):\n%s", l, diff)
		}
	}
}

// indexLowerByByte is indexLower comparing at every offset.
func indexLowerByByte(s, marker string) int {
	for i := 0; i+len(marker) <= len(s); i++ {
		if textutil.HasPrefixLower(s[i:], marker) {
			return i
		}
	}
	return -1
}
