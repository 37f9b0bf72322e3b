package ndr

import (
	"slices"
	"testing"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/classify"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

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
