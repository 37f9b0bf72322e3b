package layout

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func TestFindAllFrom(t *testing.T) {
	patterns := []struct {
		re       *regexp.Regexp
		literals []string
	}{
		{x6Error, []string{"smtp server <"}},
		{gmailDelivered, gmailDeliveredLeads},
		{gmailReturned, []string{"the error that the other server returned was:"}},
		{dmaRcpt, []string{"there was an error delivering your mail to <"}},
		{barracudaTo, []string{"your message to:"}},
	}
	texts := testcorpus.Texts(t, mime.Normalize,
		"SMTP Server <mx.example.com> rejected recipient <a@example.com> (Error following RCPT command). It responded as follows: [550 no]\n"+
			"smtp server <mx.example.org> rejected recipient <b@example.org>\n (Error following DATA command).\nIt responded as follows: [554\n rejected] SMTP Server <x>",
		"\u017fMTP \u017ferver <mx.example.com> rejected recipient <a@example.com> (Error following RCPT command). It responded as follows: [550 no]",
		"Your message wasn't delivered to a@example.com because x. It WAS NOT DELIVERED TO <b@example.org>, nor was not delivered to c",
		"We had a problem delivering your message to c@example.net. wa\u017fn't delivered to d@example.com.",
		"couldn't deliver your message to e@example.com couldn't deliver your message to f@example.com,",
		"x The error that the other server returned was: 550 no. THE ERROR THAT THE OTHER SERVER RETURNED WAS:",
		"The error that the other \u017ferver returned was: 550 The error that the other server returned was:",
		"There was an error delivering your mail to <a@example.com>.\nthere was an error delivering your mail to <b@example.org>",
		"Your message to: a@example.com\n was blocked by our Spam Firewall. Your message to: <b@example.org>\nwas blocked by our Spam Firewall x\n",
	)
	for _, p := range patterns {
		for _, text := range texts {
			if diff := cmp.Diff(p.re.FindAllStringSubmatchIndex(text, -1), textmatch.FindAllFrom(p.re, text, -1, p.literals...)); diff != "" {
				t.Errorf("findAllFrom(%.30s, %.50q) (-FindAll +got):\n%s", p.re, text, diff)
			}
		}
	}
	if diff := cmp.Diff(imailReply.FindStringSubmatchIndex("x\nBody of message generated response:\n\n 550 no"),
		textmatch.FirstFrom(imailReply, "x\nBody of message generated response:\n\n 550 no", "body of message generated response:")); diff != "" {
		t.Errorf("firstFrom(%s) (-FindStringSubmatchIndex +got):\n%s", imailReply, diff)
	}
}

func TestFindAllFromLines(t *testing.T) {
	patterns := []struct {
		re       *regexp.Regexp
		literals []string
	}{
		{imailLine, imailWords},
		{mailfoundryRcpt, []string{"unable to deliver message to:"}},
		{trendRcpt, []string{"reason:", "unable to deliver message to <"}},
		{mfilterSection, mfilterSections},
		{mfilterMarker, []string{"-------server message"}},
		{courierList, []string{"your message to the following recipients cannot be delivered:"}},
		{marshalBecause, []string{"could not be delivered because of"}},
		{marshalList, []string{"the following recipients were affected:"}},
		{marshalRemote, []string{"remote-mta:"}},
		{dmaEnd, []string{"message headers", "original message"}},
	}
	texts := testcorpus.Texts(t, mime.Normalize,
		"\n\n  Unknown user: a@example.com\n\n\t\nunknown user b@example.org  \nx unknown user: c@example.net\n  undeliverable to d@example.com",
		"Unknown user: a@example.com unknown user: b@example.com\nunknown user: c@example.com",
		"unknown u\u017fer: a@example.com\nunknown user: b@example.com\n",
		"Reason:\n unable to deliver message to <a@example.com> x\nunable to deliver message to <b@example.com>",
		"-------server message\n\n-------SMTP command\nRCPT\n-------original message  \n",
		"Unable to deliver message to: <a@example.com>\nDelivery failed for the following reason:\nno\nunable to deliver message to: b@example.org\n\n delivery failed for the following reason:\n",
		"x\nCould not be delivered because of\n\nThe following recipients were affected:\n\na@example.com\nRemote-MTA: <mx.example.com>",
		"x message headers follow.\nMessage headers follow.  \n\nOriginal message follows\n",
	)
	for _, p := range patterns {
		for _, text := range texts {
			if diff := cmp.Diff(p.re.FindAllStringSubmatchIndex(text, -1), textmatch.FindAllFromLines(p.re, text, -1, p.literals...)); diff != "" {
				t.Errorf("findAllFromLines(%.30s, %.50q) (-FindAll +got):\n%s", p.re, text, diff)
			}
			if diff := cmp.Diff(p.re.FindStringSubmatchIndex(text), textmatch.FirstFromLines(p.re, text, p.literals...)); diff != "" {
				t.Errorf("firstFromLines(%.30s, %.50q) (-FindStringSubmatchIndex +got):\n%s", p.re, text, diff)
			}
		}
	}
}

// TestHeadAndRest checks headAndRest against the whole pattern, the head
// followed by `\s*(.*)$`, on edge texts and on the lines and Postfix
// paragraphs of the test bounces.
func TestHeadAndRest(t *testing.T) {
	texts := []string{
		"", "<a@example.com>:", "<a@example.com>: host mx.example.com[192.0.2.1] said: 550 no",
		"<a@example.com> (expanded from <b@example.org>): 550 no", "<a@example.com> (expanded from <b@example.org>) x: 550",
		"<a@example.com>:\n\n 550 no", "<a@example.com>: 550\nno", "<a<b>: x", "<a@example.com>(expanded from<b>):x",
		"host mx.example.com[192.0.2.1] said: 550 no", "HOST a[1]b[2]:25 said:   x", "host a[1 b] said: y",
		"host a[1] said: x\ny", "host a[1]:x said: y", "host mx[192.0.2.1] said:\t\n550", "host a[1] sai\u017fd: x",
	}
	for _, text := range testcorpus.Texts(t, mime.Normalize) {
		texts = append(texts, postfixParagraphs(text)...)
		for l := range strings.SplitSeq(text, "\n") {
			texts = append(texts, l, strings.TrimSpace(l))
		}
	}
	for _, head := range []*regexp.Regexp{postfixEntry, postfixSaid} {
		whole := regexp.MustCompile(head.String() + `\s*(.*)$`)
		for _, s := range texts {
			if diff := cmp.Diff(whole.FindStringSubmatch(s), textmatch.HeadAndRest(head, s)); diff != "" {
				t.Errorf("headAndRest(%s, %.50q) (-whole pattern +got):\n%s", head, s, diff)
			}
		}
	}
}

// TestMatchBlankLines checks matchBlankLines against matching the whole
// text from the blank lines before the first marker, for the patterns
// that use it, on edge texts and every test bounce.
func TestMatchBlankLines(t *testing.T) {
	patterns := []struct {
		re     *regexp.Regexp
		marker string
	}{
		{x3List, "very to the following recipient"},
		{x3Details, "technical details:"},
		{dominoMarker, "was not delivered to:"},
		{dominoBecause, "because:"},
	}
	texts := testcorpus.Texts(t, mime.Normalize,
		"Delivery to the following recipient failed permanently:\n\n     user@example.com\n",
		"x\n\n  \nDelivery to the following recipients failed permanently: \n\t\n",
		"Delivery to the following recipient failed permanently: no\n\ndelivery to the following recipient was aborted after 2 days:\n\nx",
		"Delivery to the following recipient failed permanently: no\n\nDelivery to the following recipient failed permanently:",
		"Delivery to the following recipients failed.\n\nx\n  Delivery to the following recipient failed permanently:\nx",
		"Technical details:\nTechnical details:\n", "x technical details:\n\n\ntechnical details:\n \n",
		"was not delivered to:\n\n was not delivered to:  \n\nuser", "because:x\n\nbecause:\n", "because: x because:\n\nbecause:\t\ny",
		"Technical detail\u017f:\n\nTechnical details:\n\nx",
	)
	for _, p := range patterns {
		for _, text := range texts {
			low := literal.LowerASCII(text)
			want := textmatch.MatchFrom(p.re, text, textutil.BlankStart(text, strings.Index(low, p.marker)))
			if diff := cmp.Diff(want, textmatch.MatchBlankLines(p.re, text, low, p.marker)); diff != "" {
				t.Errorf("matchBlankLines(%.30s, %.50q) (-from the blank lines +got):\n%s", p.re, text, diff)
			}
		}
	}
}

func TestAfterMatch(t *testing.T) {
	text := "a: x\nb: y\nc: z"
	locs := [][]int{{0, 2}, {5, 7}, {10, 12}}
	var got []string
	for i := range locs {
		got = append(got, textmatch.AfterMatch(text, locs, i))
	}
	if diff := cmp.Diff([]string{" x\n", " y\n", " z"}, got); diff != "" {
		t.Errorf("afterMatch (-want +got):\n%s", diff)
	}
}

func TestRuneStart(t *testing.T) {
	for _, s := range []string{"", "abc", "aé日本\U0001F600", "a\x80\x80b", "\x80\x80", "\xe3\x81a", "\xe3\x81\x82\x80", "é\x80"} {
		reached := map[int]bool{}
		for i := 0; i < len(s); {
			reached[i] = true
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
		reached[len(s)] = true
		for x := 0; x <= len(s); x++ {
			if got := textmatch.RuneStart(s, x); got != reached[x] {
				t.Errorf("runeStart(%q, %d) = %v, want %v", s, x, got, reached[x])
			}
		}
	}
}
