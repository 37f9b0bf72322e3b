package classify

import (
	"context"
	"errors"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"slices"
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/layout"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

// TestPatternPrefilter checks that the prefilters never refuse a text
// that an expression matches, and that the search by alternatives finds
// what the whole expression finds, on the texts of the table and on the
// diagnostics of the test bounces.
func TestPatternPrefilter(t *testing.T) {
	texts := []string{
		"550 5.1.1 user unknown", "mailbox is full", "message expired after 5 days",
		"could not deliver for the last 3 hours", "client host [192.0.2.1] blocked using zen",
		"spf check failed", "not rfc 5322 compliant", "relaying mail to example.org is not allowed",
		"timeout", "time-out", "a", "", "reverse dns", "rdns", "starttls required",
		"recipient's mail filter", "header error", "unverifiable sending ip",
		"the user mailbox is full and the user is unknown", "no such user here; user unknown",
	}
	for _, data := range testcorpus.Bounces(t) {
		m, err := mime.Walk(string(mime.Normalize(data)), testLimits)
		if err != nil {
			continue
		}
		m.Prepare()
		for _, r := range decoded(m) {
			Finish(&r, m)
			texts = append(texts, strings.ToLower(r.Diagnostic), strings.ToLower(r.Cause.Text))
		}
	}
	// The index looks for the first bytes of long literals and compares
	// the rest: texts with the whole literal, its first bytes only, or
	// nearly all of it.
	for _, rs := range []*ruleSet{overrideSet, phraseSet, textSet, microsoftSet} {
		for _, r := range rs.Rules {
			for _, l := range r.Re.Lits {
				if len(l) > literal.KeyLen {
					texts = append(texts, l, "x "+l+" y", l[:literal.KeyLen], l[:len(l)-1], l[:len(l)-1]+"#", l[:literal.KeyLen]+" "+l)
				}
			}
		}
	}
	for _, rs := range []*ruleSet{overrideSet, phraseSet, textSet, fallbackSet, microsoftSet} {
		for _, s := range texts {
			mask := rs.candidates(s)
			var f textmatch.Found
			rs.index.set.Scan(s, &f)
			for i, rule := range rs.Rules {
				if got, want := mask&(1<<i) != 0, rule.Re.MayMatch(s); got != want {
					t.Errorf("%s on %q: indexed candidate %v, prefilter %v", rule.Re.Re, s, got, want)
				}
				if got, want := rs.index.search(&f, rs, i, s), rule.Re.Index(s); !slices.Equal(got, want) {
					t.Errorf("%s on %q: indexed search %v, pattern %v", rule.Re.Re, s, got, want)
				}
			}
		}
	}
	all := []*textmatch.Pattern{delayedPattern}
	for _, rules := range [][]textRule{overrideSet.Rules, phraseSet.Rules, textSet.Rules, microsoftTexts} {
		for _, r := range rules {
			all = append(all, r.Re)
		}
	}
	for _, rc := range receivers {
		for _, v := range rc.Rules {
			if v.Re != nil {
				all = append(all, v.Re)
			}
		}
	}
	for _, p := range all {
		for _, s := range texts {
			if got, want := p.Matches(s), p.Re.MatchString(s); got != want {
				t.Errorf("%s on %q: matches %v, regexp %v", p.Re, s, got, want)
			}
			if got, want := p.Index(s), p.Re.FindStringIndex(s); !slices.Equal(got, want) {
				t.Errorf("%s on %q: search %v, regexp %v (literals %q)", p.Re, s, got, want, p.Lits)
			}
		}
	}
}

// FuzzPatterns checks that the prefilters, the searches from a lead
// literal and the one-pass index of the rules find what the plain
// expressions find.
func FuzzPatterns(f *testing.F) {
	f.Add("host mx.example.com [192.0.2.1] said: 550 spf fail ghost dmarc")
	f.Add("relayed by mx.example.net. [192.0.2.1] xbby a.example.org [x]")
	f.Add("the \bspam\b filter blocked_by policy; _spf dkim=fail")
	f.Add("550 <x@mx.example.com> does not exist; recipient address does not exist, account doesn't exist")
	f.Add("a\x80 mailbox does not exist \xe3\x81 <\x80.example.jp> does not exist")
	var all []*textmatch.Pattern
	all = append(all, remotePatterns...)
	for _, rules := range [][]textRule{overrideSet.Rules, phraseSet.Rules, textSet.Rules} {
		for _, r := range rules {
			all = append(all, r.Re)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = literal.LowerASCII(s)
		var found textmatch.Found
		ruleLiterals.set.Scan(s, &found)
		for _, rs := range ruleLiterals.sets {
			for i, rule := range rs.Rules {
				if got, want := ruleLiterals.search(&found, rs, i, s), rule.Re.Index(s); !slices.Equal(got, want) {
					t.Errorf("%s on %q: indexed search %v, pattern %v", rule.Re.Re, s, got, want)
				}
			}
		}
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

// testLimits are the default limits of Explain.
var testLimits = mime.Limits{
	MaxSize: 16 << 20, MaxParts: 512, MaxDepth: 16,
	ErrTruncated: errors.New("truncated"), ErrUnknownCharset: errors.New("unknown charset"),
}

// decoded is layout.Decode without a deadline or a limit on addresses.
func decoded(m *mime.Message) []record.Recipient {
	rs, _ := layout.Decode(context.Background(), m, layout.Options{})
	return rs
}
