package mime

import (
	"testing"
	"unicode/utf8"
)

// UTF-7 as RFC 2152 gives it, and text that breaks its rules.
func TestDecodeUTF7(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "Your message did not reach some or all of the intended recipients.", want: "Your message did not reach some or all of the intended recipients."},
		{in: "A+-B", want: "A+B"},
		{in: "Hi Mom -+Jjo--!", want: "Hi Mom -☺-!"},
		{in: "+ZeVnLIqe-", want: "日本語"},
		{in: "A+ImIDkQ.", want: "A≢Α."},
		{in: "+2D3cAA-", want: "\U0001F400"},
		{in: "+ZeVnLIqe", want: "日本語"},
		{in: "+ZeV-", bad: true},
		{in: "caf\xc3\xa9", bad: true},
	}
	for _, tt := range tests {
		got, err := decodeUTF7(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("decodeUTF7(%q) error %v, want an error: %v", tt.in, err, tt.bad)
			continue
		}
		if tt.bad {
			if got != tt.in {
				t.Errorf("decodeUTF7(%q) = %q, want the text as it was", tt.in, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("decodeUTF7(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, err := decodeCharset("+ZeVnLIqe-", "unicode-1-1-utf-7"); err != nil || got != "日本語" {
		t.Errorf("decodeCharset(unicode-1-1-utf-7) = %q, %v", got, err)
	}
}

// decodeUTF7 never panics, gives valid UTF-8 when it decodes, and gives
// the text back as it was when it does not.
func FuzzDecodeUTF7(f *testing.F) {
	for _, s := range []string{"A+-B", "Hi Mom -+Jjo--!", "+ZeVnLIqe-", "+2D3cAA-", "+ZeV-", "+", "+-", "++", "+AAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeUTF7(s)
		if err != nil {
			if got != s {
				t.Fatalf("decodeUTF7(%q) failed but changed the text to %q", s, got)
			}
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("decodeUTF7(%q) = %q, not valid UTF-8", s, got)
		}
	})
}
