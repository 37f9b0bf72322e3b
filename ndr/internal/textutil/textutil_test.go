package textutil_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func TestContainsLower(t *testing.T) {
	tests := []struct {
		s, marker string
		want      bool
	}{
		{"MAILER-DAEMON@Corp.Mail.RU", "mail.ru", true},
		{"mailer-daemon@yandex.ru", "@yandex.", true},
		{"Postmaster <postmaster@example.jp>", "content-filter at", false},
		{"\"Content-filter at gw\" <postmaster@gw>", "content-filter at", true},
		{"short", "longer marker", false},
		{"", "", true},
		{"A", "a", true},
		{"[", "{", false},
	}
	for _, tt := range tests {
		if got := textutil.ContainsLower(tt.s, tt.marker); got != tt.want {
			t.Errorf("containsLower(%q, %q) = %v, want %v", tt.s, tt.marker, got, tt.want)
		}
	}
}

func TestContainsFold(t *testing.T) {
	tests := []struct {
		s, marker string
	}{
		{"Invoked for BOUNCE", "invoked for bounce"},
		{"by mx (Postfix)", "invoked for bounce"},
		{"qmail 1234 invo\u212aed for bounce", "invoked for bounce"},
		{"日本語 INVOKED FOR BOUNCE", "invoked for bounce"},
		{"", "x"},
	}
	for _, tt := range tests {
		want := strings.Contains(strings.ToLower(tt.s), tt.marker)
		if got := textutil.ContainsFold(tt.s, tt.marker); got != want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", tt.s, tt.marker, got, want)
		}
	}
}

func TestHasPrefixLower(t *testing.T) {
	tests := []struct {
		s, prefix string
		want      bool
	}{
		{"Original Message follows", "original message", true},
		{"ORIGINAL", "original message", false},
		{"以下、元のメール", "以下、元のメール", true},
		{"Content-Type: Message/RFC822", "content-type: message/rfc822", true},
		{"x", "", true},
	}
	for _, tt := range tests {
		if got := textutil.HasPrefixLower(tt.s, tt.prefix); got != tt.want {
			t.Errorf("hasPrefixLower(%q, %q) = %v, want %v", tt.s, tt.prefix, got, tt.want)
		}
	}
}

func TestEqualWithoutSpace(t *testing.T) {
	for _, a := range spaceTexts {
		for _, b := range spaceTexts {
			if got, want := textutil.EqualWithoutSpace(a, b), textutil.WithoutSpace(a) == textutil.WithoutSpace(b); got != want {
				t.Errorf("equalWithoutSpace(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

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

func TestCutUTF8(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"日本", 4, "日"},
		{"日本", 2, ""},
	} {
		if got := textutil.CutUTF8(tt.s, tt.n); got != tt.want {
			t.Errorf("CutUTF8(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "user unknown", `say "no"`, `a\b`, "tab\there", "日本語", "\x7f", "~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := textutil.Quote(s), strconv.Quote(s); got != want {
			t.Errorf("Quote(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestEqualFold(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"Content-Type", "content-type", true},
		{"FINAL-RECIPIENT", "Final-Recipient", true},
		{"Received", "Receive", false},
		{"X-A", "X-B", false},
		{"\u212aeywords", "Keywords", false}, // not a field name: no Unicode folding
		{"", "", true},
	} {
		if got := textutil.EqualFold(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualFold(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
		}
	}
}
