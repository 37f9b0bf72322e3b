package ndr

import (
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

func TestValidAddress(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"user@example.com", true},
		{"first.last+tag@mail.example.co.jp", true},
		{`"john..doe"@example.com`, true},
		{"山田@例え.jp", true},
		{"user@[192.0.2.1]", true},
		{"user@xn--eckwd4c7c.xn--zckzah", true},
		{"l@n.Y", false},              // a one-letter top-level domain
		{"ken@estate.ocn.ne.j", true}, // a mistyped one (see mistypedTLD)
		{"ken@a.b.j", false},
		{"user@gmail.c", false},
		{"user@localhost", false},   // no dot
		{"a..b@example.com", false}, // two dots in a row
		{".a@example.com", false},
		{"a b@example.com", false},
		{"jsg-u('zr@ht[myyj)12o", false},
		{"ь失о@Поеい.宛о", false}, // mixed scripts
		{"user@exa_mple.c0m", false},
		{"user@-example.com", false},
		{"@example.com", false},
		{"user@", false},
		{"user\x00@example.com", false},
		// Beyond RFC 5321's 64 octets: the tagged return address of a
		// mailing list (VERP), up to 512 octets.
		{"bounce-" + strings.Repeat("0123456789abcdef", 4) + "-x@example.com", true},
		{strings.Repeat("a", 512) + "@example.com", true},
		{strings.Repeat("a", 513) + "@example.com", false},
		// Exchange's encapsulated X.500 names run longer.
		{"IMCEAEX-_o=ExchangeLabs_ou=Exchange+20Administrative+20Group+20+28FYDIBOHF23SPDLT+29_cn=Recipients_cn=a1b2-sato@corp.example.local", true},
		{"IMCEAEX-" + strings.Repeat("a", 600) + "@example.local", false},
	} {
		if got := validAddress(tt.addr); got != tt.want {
			t.Errorf("validAddress(%q) = %t, want %t", tt.addr, got, tt.want)
		}
	}
}

func FuzzValidAddress(f *testing.F) {
	for _, s := range []string{"user@example.com", "山田@例え.jp", "a@[1.2.3.4]", "x@y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validAddress(s) && validAddress(s+"\n") {
			t.Errorf("%q and %q both valid", s, s+"\n")
		}
	})
}

// FuzzValidAddressASCII checks the ASCII path of validAddress against
// the general one, which reads runes and scripts.
func FuzzValidAddressASCII(f *testing.F) {
	for _, s := range []string{"user@example.com", "a@[1.2.3.4]", "x@y", `"a b"@c.de`, "a..b@c.de", "u@xn--z.xn--zz", "u@[IPv6:::1]", "u@[1.2", "u@a.b_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !textutil.IsASCII(s) || len(s) > maxAddressLen {
			return
		}
		at := strings.LastIndexByte(s, '@')
		if at <= 0 || at == len(s)-1 {
			return
		}
		want := validLocalPart(s[:at]) && validDomain(s[at+1:])
		if got := validAddress(s); got != want {
			t.Errorf("validAddress(%q) = %t, the general path says %t", s, got, want)
		}
	})
}
