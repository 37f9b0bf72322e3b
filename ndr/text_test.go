package ndr

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/classify"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

var spaceTexts = []string{
	"", " ", "a", " a", "a ", "a b", "a  b", "a\tb", "a \n b", "\u00a0a\u3000b\u0085",
	"550 5.1.1 <x@example.com>: no such user", "  550\r\n 5.1.1  x ", "a\xffb c\xff",
	"日本語 の\u3000テキスト", "\t\n\v\f\r ", "x\u2028y",
}

func TestJoinFields(t *testing.T) {
	for _, s := range spaceTexts {
		fs := strings.Fields(s)
		if got, want := textutil.CollapseSpace(s), strings.Join(fs, " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := textutil.WithoutSpace(s), strings.Join(fs, ""); got != want {
			t.Errorf("withoutSpace(%q) = %q, want %q", s, got, want)
		}
		want := ""
		if len(fs) > 0 {
			want = fs[0]
		}
		if got := textutil.FirstWord(s); got != want {
			t.Errorf("firstWord(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzJoinFields(f *testing.F) {
	for _, s := range spaceTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := strings.Fields(s)
		if got, want := textutil.CollapseSpace(s), strings.Join(fs, " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := textutil.WithoutSpace(s), strings.Join(fs, ""); got != want {
			t.Errorf("withoutSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

var addressTexts = []string{
	"", "@", "a@b", "a@b.c", "Mail Delivery System <MAILER-DAEMON@mx.example.com>",
	"<a@example.com>, b@example.org; c@@example.net", "x@y@z.example.com", "日本@例え.テスト",
	"a.b+c@example.com.", "-@-.-", "user@example.com@example.org", "mailto:a@example.com?x", "a @b.example.com",
	"\xff@example.com", "ü@é.example.com a@b.cd", "a@b-.example.com", "a@example..com",
}

func TestAddressIndexes(t *testing.T) {
	for _, s := range addressTexts {
		if got, want := mailaddr.AddressIndexes(s), mailaddr.AddrPattern.FindAllStringIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("addressIndexes(%q) = %v, want %v", s, got, want)
		}
		if got, want := mailaddr.FindAddress(s), mailaddr.AddrPattern.FindString(s); got != want {
			t.Errorf("findAddress(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAddressIndexes(f *testing.F) {
	for _, s := range addressTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mailaddr.AddressIndexes(s), mailaddr.AddrPattern.FindAllStringIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("addressIndexes(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestFoldPattern(t *testing.T) {
	for _, s := range []string{
		"Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)", "hello",
		"Mail delivery failed: returning message to sender", "MAIL DELIVERY SYSTEM", "配信エラー",
		"Undeliverable: re", "non-delivery", "ſ", "Delivery ſtatus notification", "failure noti\u212Ae",
		"Returned mail: see transcript", "mail failure notice", "NONDELIVERABLE",
	} {
		want := regexp.MustCompile("(?i)" + bounceSubject.Lower.Re.String()).MatchString(s)
		if got := bounceSubject.Matches(s, literal.LowerASCII(s)); got != want {
			t.Errorf("bounceSubject.matches(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestASCIIFold checks hasASCIIFold's premise: U+017F and U+212A are the
// only non-ASCII runes that fold to ASCII letters.
func TestASCIIFold(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < 0x80 && r != 0x17f && r != 0x212a {
				t.Errorf("%U folds to %q", r, f)
			}
		}
	}
}

// FuzzPatterns checks that the prefilters and the searches from a lead
// literal find what the plain expressions find.
func FuzzPatterns(f *testing.F) {
	f.Add("host mx.example.com [192.0.2.1] said: 550 spf fail ghost dmarc")
	f.Add("relayed by mx.example.net. [192.0.2.1] xbby a.example.org [x]")
	f.Add("the \bspam\b filter blocked_by policy; _spf dkim=fail")
	f.Add("550 <x@mx.example.com> does not exist; recipient address does not exist, account doesn't exist")
	f.Add("a\x80 mailbox does not exist \xe3\x81 <\x80.example.jp> does not exist")
	var all []*textmatch.Pattern
	all = append(all, classify.RemotePatterns...)
	for _, rules := range [][]classify.TextRule{classify.OverrideRules, classify.TextRules} {
		for _, r := range rules {
			all = append(all, r.Re)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = literal.LowerASCII(s)
		for _, p := range all {
			if got, want := p.Index(s), p.Re.FindStringIndex(s); !slices.Equal(got, want) {
				t.Errorf("%s on %q: index %v, regexp %v", p.Re, s, got, want)
			}
			if got, want := p.Matches(s), p.Re.MatchString(s); got != want {
				t.Errorf("%s on %q: matches %v, regexp %v", p.Re, s, got, want)
			}
			if got, want := p.Submatch(s), p.Re.FindStringSubmatch(s); !slices.Equal(got, want) {
				t.Errorf("%s on %q: submatch %q, regexp %q", p.Re, s, got, want)
			}
		}
	})
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

func TestSpaceLead(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			var b [utf8.UTFMax]byte
			utf8.EncodeRune(b[:], r)
			if !textutil.SpaceLead[b[0]] {
				t.Errorf("%U starts with %#x, not in spaceLead", r, b[0])
			}
		}
	}
}
