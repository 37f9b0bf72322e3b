package classify

import (
	"slices"
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
)

func TestCommandOf(t *testing.T) {
	for _, tc := range []struct{ text, cmd string }{
		{"", ""},
		{"550 5.1.1 no such user", ""},
		{"host mx.example.com said: 550 5.1.1 no such user (in reply to rcpt to command)", "RCPT"},
		{"554 5.7.1 refused (in reply to end of data command)", "DATA"},
		{"... after rcpt to:<a@example.com> ... after end of data", "DATA"},
		{"sender was rejected", "MAIL"},
		{"my name was rejected", "HELO"},
		{"after starttls", "STARTTLS"},
		{"421 greeting never came", "CONN"},
		{"connect to mx.example.com[192.0.2.1]:25: connection refused", "CONN"},
		{"connect to mx.example.com[192.0.2.1]:25: connection timed out", "CONN"},
		{"refused, then connect to mx.example.com", ""},
	} {
		if got := dsn.CommandOfLower(tc.text); got != tc.cmd {
			t.Errorf("commandOfLower(%q) = %q, want %q", tc.text, got, tc.cmd)
		}
	}
}

func TestTokensOf(t *testing.T) {
	for _, tc := range []struct{ text, token string }{
		{"550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)", "S3150"},
		{"blocked AS(201806281) see", "AS(201806281)"},
		{"421 4.7.0 [TSS04] Messages temporarily deferred", "TSS04"},
		{"550 [BL21] refused", "BL21"},
		{"554 5.7.1 OFR_506 refused", "OFR_506"},
		{"550 LPN007_510 refused", "LPN007_510"},
		{"554 CXBL 1.2.3.4 blocked CXBL12", "CXBL12"},
		{"550 ES12 refused", "ES12"},
		{"554 AUP#MXRT refused", "AUP#MXRT"},
		{"550 SC-001 refused", "SC-001"},
		{"421 RP-001 (AM4PEPF00027A60) Unfortunately, some messages from [192.0.2.1] weren't sent.", "RP-001"},
	} {
		if got := tokensOf(tc.text); len(got) != 1 || got[0] != tc.token {
			t.Errorf("tokensOf(%q) = %q, want [%q]", tc.text, got, tc.token)
		}
	}
}

func FuzzTokensOf(f *testing.F) {
	f.Add("550 [TSS04] x (S3150) AS(201806281)\tOFR_506 [BL21]ES12 AUP#MXRT-123 SC-001-002")
	f.Add("(SMTP) [BN8NAM11] CXBL12, RL99.")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tokensOf(s), tokensByRegexp(s); !slices.Equal(got, want) {
			t.Errorf("tokensOf(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestReceiverMarks(t *testing.T) {
	texts := []string{"", "550 5.1.1 user unknown"}
	for _, rc := range receivers {
		if rc.marker != "" {
			texts = append(texts, "550 x "+rc.marker+" y", literal.LowerASCII(rc.marker))
		}
	}
	for _, s := range texts {
		c := &clue{ldiag: s}
		for i, rc := range receivers {
			if rc.marker == "" {
				continue
			}
			if got, want := rc.is(c, i), strings.Contains(s, rc.marker); got != want {
				t.Errorf("receiver %s on %q: is %v, marker found %v", rc.name, s, got, want)
			}
		}
	}
}

// tokensByRegexp is tokensOf without the split into words.
func tokensByRegexp(s string) []string {
	var out []string
	for _, m := range tokenPattern.FindAllStringSubmatch(s, -1) {
		for _, g := range m[1:] {
			if g != "" && !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}
