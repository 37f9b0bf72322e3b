package enhancedcode

import (
	"strings"
	"testing"
)

func FuzzFind(f *testing.F) {
	seeds := []string{
		"",
		"550 5.1.1 <a@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)",
		gmailLines,
		strings.ReplaceAll(gmailLines, "\n", " "),
		strings.ReplaceAll(gmailLines, "\n", "\r"),
		exchangeNested,
		"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
		"Remote Server returned '554 Transaction failed'",
		"451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation. (S775)",
		"Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n",
		"said: 550\n    5.1.1 <a@b>... User Unknown (in reply to RCPT TO\n    command)",
		"550: 5.2.2 <a@b>... Mailbox Full",
		"(#5.1.1)",
		"550 #5.1.0 Address rejected.",
		"554-a 554-b 554 c",
		"550-5.1.1 '550 5.1.1 x' 550 5.1.1 y",
		"550-5.1.1 a <550 5.1.1 b> 550 5.1.1 c",
		"550-'5.7.1 <x>",
		"2001:db8::550 said 550 for RCPT TO",
		"Size: 250 KB\n12:30 550 users\nbits=256 verify=NO",
		"4.16.55.1 192.0.2.1 5.1.1.1",
		"<<< 550 Unknown user\n>>> DATA\n<<< 503 Error: need RCPT command",
		"550-2.0.0 550 2.0.0 2.0.0A",
		"553 sorry (#5.7.1) (#5.1.1) (#5.1.2)",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rs := Find(text)
		checkReplies(t, text, rs)
		// A text without line breaks unfolds to itself, and unfolding
		// never adds a line break.
		u := Unfold(text)
		if !strings.ContainsAny(text, "\r\n") && u != text {
			t.Errorf("Unfold changed a text without line breaks: %q -> %q", text, u)
		}
		if strings.Count(u, "\n")+strings.Count(u, "\r") > strings.Count(text, "\n")+strings.Count(text, "\r") {
			t.Errorf("Unfold added line breaks: %q -> %q", text, u)
		}
		checkReplies(t, u, Find(u))
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"5.1.1", "4.7.650", "2.0.0", " 5.7.26 ", "5.01.001", "4.16.55.1", "3.1.1", "5..1", "", "５.１.１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if !c.IsZero() {
				t.Errorf("Parse(%q) = %v with error %v", s, c, err)
			}
			return
		}
		if c.IsZero() {
			t.Fatalf("Parse(%q) = zero Code without an error", s)
		}
		back, err := Parse(c.String())
		if err != nil || back != c {
			t.Errorf("Parse(%q) = %v, but Parse(%q) = %v, %v", s, c, c.String(), back, err)
		}
		var u Code
		if err := u.UnmarshalText([]byte(s)); err != nil || u != c {
			t.Errorf("UnmarshalText(%q) = %v, %v; Parse gave %v", s, u, err, c)
		}
		_, registered := detailIndex[c[1]*1000+c[2]]
		if _, ok := Lookup(c); ok != (c[1] <= 7 && registered) {
			t.Errorf("Lookup(%v) = %v", c, ok)
		}
	})
}
