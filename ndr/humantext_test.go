package ndr

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestSplitHuman(t *testing.T) {
	const postfix = "This is the mail system at host mail.example.jp.\n\n" +
		"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
		"<full@example.net>: host mx.example.net[192.0.2.1] said: 552 5.2.2 Mailbox full\n    (in reply to RCPT TO command)\n\n" +
		"<gone@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown\n    (in reply to RCPT TO command)\n"
	const preamble = "This is the mail system at host mail.example.jp.\n\n" +
		"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
	const exim = "A message that you sent could not be delivered to one or more of its\nrecipients. The following address(es) failed:\n\n" +
		"  Full@Example.NET\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<full@example.net>:\n    552 5.2.2 Mailbox full\n" +
		"  gone@example.net\n    host mx.example.net [192.0.2.1]\n    550 5.1.1 User unknown\n"
	tests := []struct {
		name  string
		text  string
		addrs []string
		for_  []string
		want  string
	}{
		{"postfix, first recipient", postfix, []string{"full@example.net", "gone@example.net"}, []string{"full@example.net"},
			preamble + "<full@example.net>: host mx.example.net[192.0.2.1] said: 552 5.2.2 Mailbox full\n    (in reply to RCPT TO command)\n\n"},
		{"postfix, second recipient", postfix, []string{"full@example.net", "gone@example.net"}, []string{"gone@example.net"},
			preamble + "<gone@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown\n    (in reply to RCPT TO command)\n"},
		{"a recipient the text does not name gets the preamble", postfix, []string{"full@example.net", "gone@example.net", "other@example.net"}, []string{"other@example.net"},
			preamble},
		{"one recipient reads it all", postfix, []string{"full@example.net"}, []string{"full@example.net"}, postfix},
		{"exim, addresses in any case, named twice in a paragraph", exim, []string{"full@example.net", "gone@example.net"}, []string{"full@example.net"},
			"A message that you sent could not be delivered to one or more of its\nrecipients. The following address(es) failed:\n\n" +
				"  Full@Example.NET\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<full@example.net>:\n    552 5.2.2 Mailbox full\n"},
		{"a line that names two recipients belongs to both", "Failed:\nTo: a@example.org, b@example.org\n550 refused\n<b@example.org>: 552 full\n",
			[]string{"a@example.org", "b@example.org"}, []string{"a@example.org"},
			"Failed:\nTo: a@example.org, b@example.org\n550 refused\n"},
		{"the address the sender wrote", "<x@example.net> (expanded from <info@example.jp>): 550 5.1.1 unknown\n<y@example.net>: 552 full\n",
			[]string{"x@example.net", "y@example.net", "info@example.jp"}, []string{"x@example.net", "info@example.jp"},
			"<x@example.net> (expanded from <info@example.jp>): 550 5.1.1 unknown\n"},
		{"a token with two @ names nobody: that line is the preamble", "<a@example.org@b@example.org>: 550\n<b@example.org>: 552\n",
			[]string{"a@example.org", "b@example.org"}, []string{"a@example.org"}, "<a@example.org@b@example.org>: 550\n"},
		{"UTF-8 local parts (RFC 6533 reports)", "<山田@example.org>: 550 5.1.1 User unknown\n<鈴木@example.org>: 552 5.2.2 Mailbox full\n",
			[]string{"山田@example.org", "鈴木@example.org"}, []string{"山田@example.org"}, "<山田@example.org>: 550 5.1.1 User unknown\n"},
		{"a UTF-8 address run into the words before it", "宛先山田@example.org は存在しません\n宛先鈴木@example.org 容量超過\n",
			[]string{"山田@example.org", "鈴木@example.org"}, []string{"鈴木@example.org"}, "宛先鈴木@example.org 容量超過\n"},
		{"no addresses at all", "Delivery failed.\n550 5.1.1 unknown\n", []string{"a@example.org", "b@example.org"}, []string{"a@example.org"},
			"Delivery failed.\n550 5.1.1 unknown\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := forJoined(splitHuman(tc.text, tc.addrs), tc.for_...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("For(%q) (-want +got):\n%s", tc.for_, diff)
			}
		})
	}
}

// forJoined returns what h.For returns, as one text.
func forJoined(h *humanText, addrs ...string) string {
	shared, own := h.For(addrs...)
	return shared + own
}

// A recipient whose runs fill most of a large report reads at most
// maxHumanRunes runes of them, starting with the preamble and its own
// line, and the other recipient still reads only its own.
func TestHumanTextBounded(t *testing.T) {
	own := "<a@example.org>: 550 5.1.1 unknown\n"
	text := "Delivery failed.\n" + own + strings.Repeat("    ユーザーが見つかりません\n", 10000) + "<b@example.org>: 552 full\n"
	h := splitHuman(text, []string{"a@example.org", "b@example.org"})
	a := forJoined(h, "a@example.org")
	if n := utf8.RuneCountInString(a); n > maxHumanRunes {
		t.Errorf("a@example.org reads %d runes, want at most %d", n, maxHumanRunes)
	}
	if !strings.HasPrefix(a, "Delivery failed.\n"+own) {
		t.Errorf("a@example.org reads %.80q…, want the preamble and its own line first", a)
	}
	if diff := cmp.Diff("Delivery failed.\n<b@example.org>: 552 full\n", forJoined(h, "b@example.org")); diff != "" {
		t.Errorf("b@example.org (-want +got):\n%s", diff)
	}
}

// Over every test bounce with several recipients: the text a recipient's
// explanation reads is made of lines of the report's text, and none of
// them names another recipient without naming this one.
func TestHumanTextPerRecipient(t *testing.T) {
	multi := 0
	for _, dir := range []string{"bounces", "explain", "realmta"} {
		root := filepath.Join("..", "testdata", dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".eml") || strings.HasSuffix(p, ".txt")) {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m, err := read(b, false, buildOptions(nil))
			if err != nil {
				return nil
			}
			rep, err := analyse(t.Context(), m, buildOptions(nil))
			if err != nil || len(rep.Recipients) < 2 {
				return nil
			}
			multi++
			addrs, originals := reportAddresses(rep.Recipients)
			text := m.BounceText()
			h := splitHuman(text, addrs)
			known := map[string]bool{}
			for _, a := range addrs {
				known[strings.ToLower(a)] = true
			}
			lines := map[string]bool{}
			for l := range strings.SplitSeq(text, "\n") {
				lines[l] = true
			}
			for i, r := range rep.Recipients {
				got := forJoined(h, r.Recipient, originals[i])
				mine := map[string]bool{strings.ToLower(r.Recipient): true, strings.ToLower(originals[i]): true}
				for l := range strings.SplitSeq(got, "\n") {
					if !lines[l] && !strings.HasPrefix(text, got) && !strings.Contains(text, l) {
						t.Errorf("%s: %s reads %q, which is not a line of the report", p, r.Recipient, l)
					}
					named := addressesByRuns(l, known)
					if len(named) == 0 {
						continue
					}
					ok := false
					for _, a := range named {
						ok = ok || mine[a]
					}
					if !ok {
						t.Errorf("%s: %s reads %q, which names only %q", p, r.Recipient, l, named)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if multi == 0 {
		t.Fatal("no test bounce with several recipients")
	}
	t.Logf("%d reports with several recipients", multi)
}

// addressesByRuns is addressesIn by its definition: the maximal runs of
// address bytes, without trailing dots, that are known addresses.
func addressesByRuns(line string, known map[string]bool) []string {
	var out []string
	for tok := range strings.FieldsFuncSeq(line, func(r rune) bool { return r > 0x7e || !addressByte(byte(r)) }) {
		tok = strings.ToLower(strings.TrimRight(tok, "."))
		if known[tok] && !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	return out
}

func FuzzAddressesIn(f *testing.F) {
	f.Add("<a@example.org>: 550 to b@example.org, A@EXAMPLE.ORG.", "a@example.org", "b@example.org")
	f.Add("x@@a@example.org@b@example.org a@example.org", "a@example.org", "b@example.org")
	f.Fuzz(func(t *testing.T, line, a, b string) {
		if strings.IndexByte(line, '\n') >= 0 || len(line) > 2000 {
			return
		}
		known := map[string]bool{}
		for _, x := range []string{a, b} {
			x = strings.ToLower(x)
			if len(x) < maxAddressLen && strings.IndexByte(x, '@') > 0 && len(addressesByRuns(x, map[string]bool{x: true})) == 1 {
				known[x] = true
			}
		}
		for tok := range strings.FieldsFuncSeq(line, func(r rune) bool { return r > 0x7e || !addressByte(byte(r)) }) {
			if len(tok) >= maxAddressLen {
				return // runs that long are read in part
			}
		}
		marks := map[string]int{}
		for x := range known {
			marks[x] = -1
		}
		got, want := addressesIn(line, marks, 0, nil), addressesByRuns(line, known)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("addressesIn(%q) (-want +got):\n%s", line, diff)
		}
	})
}
