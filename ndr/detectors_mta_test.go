package ndr

import (
	"strings"
	"testing"
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
		if got := containsLower(tt.s, tt.marker); got != tt.want {
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
		if got := containsFold(tt.s, tt.marker); got != want {
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
		if got := hasPrefixLower(tt.s, tt.prefix); got != tt.want {
			t.Errorf("hasPrefixLower(%q, %q) = %v, want %v", tt.s, tt.prefix, got, tt.want)
		}
	}
}

func TestEqualWithoutSpace(t *testing.T) {
	for _, a := range spaceTexts {
		for _, b := range spaceTexts {
			if got, want := equalWithoutSpace(a, b), withoutSpace(a) == withoutSpace(b); got != want {
				t.Errorf("equalWithoutSpace(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func FuzzEqualWithoutSpace(f *testing.F) {
	f.Add("Ma ximum", "Ma\n ximum")
	f.Add("a\u2028b", "ab")
	f.Add("\xe2\x80", "\xe2 \x80")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := equalWithoutSpace(a, b), withoutSpace(a) == withoutSpace(b); got != want {
			t.Errorf("equalWithoutSpace(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}
