package mailaddr_test

import (
	"slices"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
)

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

// TestCleanAddress checks the punctuation CleanAddress takes off.
func TestCleanAddress(t *testing.T) {
	for in, want := range map[string]string{
		"<a@example.com>":         "a@example.com",
		"Taro <a@example.com>,":   "a@example.com",
		"'a@example.com'":         "a@example.com",
		"{'a@example.com':":       "a@example.com",
		`"john..doe"@example.com`: `"john..doe"@example.com`,
		"(a@example.com).":        "a@example.com",
		"[a@example.com];":        "a@example.com",
		"a{b}c@example.com":       "a{b}c@example.com",
	} {
		if got := mailaddr.CleanAddress(in); got != want {
			t.Errorf("CleanAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
