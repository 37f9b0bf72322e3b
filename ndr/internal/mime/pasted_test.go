package mime

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPasted(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text is kept", "<a@example.com>: host x[IP] said: 550 no\n", "<a@example.com>: host x[IP] said: 550 no\n"},
		{"one quote level", "> <a@example.com>: host\n> said: 550 no\n", "<a@example.com>: host\nsaid: 550 no\n"},
		{"two quote levels, blank lines", ">> <a@example.com>:\n>\n>> said\n", "<a@example.com>:\n\nsaid\n"},
		{"a line not quoted keeps all", "Look:\n> <a@example.com>: 550 no\n", "Look:\n> <a@example.com>: 550 no\n"},
		{"html view", "<p>&lt;a@example.com&gt;: host x[&times;&times;&times;]<br>\nsaid: 550&nbsp;no</p>", "\n<a@example.com>: host x[×××]\nsaid: 550 no\n"},
		{"html with an unescaped address", "<a@example.com>: 550 no<br>\nUser unknown", "<a@example.com>: 550 no\nUser unknown"},
		{"an ampersand alone is text", "AT&T <a@example.com>: 550 no", "AT&T <a@example.com>: 550 no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Pasted(tt.in)
			if diff := cmp.Diff(tt.want, m.Body); diff != "" {
				t.Errorf("Pasted(%q).Body (-want +got):\n%s", tt.in, diff)
			}
			if m.Raw != tt.in || !m.Pasted {
				t.Errorf("Pasted(%q): Raw %q, Pasted %t", tt.in, m.Raw, m.Pasted)
			}
		})
	}
}

// TestJoinWrappedAddresses covers the addresses that a narrow window broke
// across lines, and the line ends that must stay.
func TestJoinWrappedAddresses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"after a hyphen", "<a@shizuoka-\nseimitsu.co.jp>: host", "<a@shizuoka-seimitsu.co.jp>: host"},
		{"after the at sign", "user@\nexample.co.jp said", "user@example.co.jp said"},
		{"indented continuation", "a@tokyo-\n    example.jp", "a@tokyo-example.jp"},
		{"end of a sentence", "to team@example.org.\nPlease write", "to team@example.org.\nPlease write"},
		{"prose with a hyphen", "mail help-\ndesk hours", "mail help-\ndesk hours"},
		{"next line is no domain", "a@example-\n- item", "a@example-\n- item"},
		{"no at sign", "well-\nknown", "well-\nknown"},
	}
	for _, tt := range tests {
		if got := joinWrappedAddresses(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestNarrowASCII checks that retyped full-width codes and addresses are
// read in ASCII, and Japanese punctuation is kept.
func TestNarrowASCII(t *testing.T) {
	for in, want := range map[string]string{
		"応答：４５２　４．２．２　Ｔｈｅ　ｒｅｃｉｐｉｅｎｔ": "応答：452 4.2.2 The recipient",
		"ｆｕｊｉｍｏｔｏ＠ｇｍａｉｌ．ｃｏｍ（営業）":     "fujimoto@gmail.com（営業）",
		"　山田　太郎":      "　山田　太郎",
		"plain ascii": "plain ascii",
	} {
		if got := narrowASCII(in); got != want {
			t.Errorf("narrowASCII(%q) = %q, want %q", in, got, want)
		}
	}
}
