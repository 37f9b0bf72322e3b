package textmatch

import (
	"regexp"
	"slices"
	"testing"
)

// patternExprs are expressions of the shapes the rules use: plain
// phrases, alternatives with and without literals, classes, anchors and
// word boundaries.
var patternExprs = []string{
	`user unknown`,
	`mailbox (?:is )?full|quota exceeded`,
	`\bspf\b.*fail`,
	`(?:^|\s)5\.1\.1\b`,
	`[a-z]+ does not exist`,
	`host (\S+) said:`,
	`relay(?:ing)? (?:access )?denied|not permitted to relay`,
	`\d{3} `,
}

var patternTexts = []string{
	"", "x", "550 5.1.1 user unknown", "the mailbox is full", "mailbox full",
	"spf check: fail", "myspf fail", "host mx.example.com said: 550", "relaying denied",
	"account does not exist", "5.1.1", " 5.1.1x", "ünknown user unknown", "not permitted to relay",
}

// TestPatternLikeRegexp checks that a Pattern finds what its plain
// expression finds, whichever path (phrase, prefilter, lead) it takes.
func TestPatternLikeRegexp(t *testing.T) {
	for _, expr := range patternExprs {
		p, re := Pat(expr), regexp.MustCompile(expr)
		for _, s := range patternTexts {
			checkPattern(t, p, re, s)
		}
	}
}

func checkPattern(t *testing.T, p *Pattern, re *regexp.Regexp, s string) {
	t.Helper()
	if got, want := p.Matches(s), re.MatchString(s); got != want {
		t.Errorf("%s on %q: Matches %v, regexp %v", re, s, got, want)
	}
	if got, want := p.Index(s), re.FindStringIndex(s); !slices.Equal(got, want) {
		t.Errorf("%s on %q: Index %v, regexp %v", re, s, got, want)
	}
	if got, want := p.Submatch(s), re.FindStringSubmatch(s); !slices.Equal(got, want) {
		t.Errorf("%s on %q: Submatch %q, regexp %q", re, s, got, want)
	}
	if re.MatchString(s) && !p.MayMatch(s) {
		t.Errorf("%s on %q: the prefilter refuses a text the expression matches", re, s)
	}
}

// FuzzPattern checks the same on arbitrary text.
func FuzzPattern(f *testing.F) {
	for _, s := range patternTexts {
		f.Add(s)
	}
	pats := make([]*Pattern, len(patternExprs))
	res := make([]*regexp.Regexp, len(patternExprs))
	for i, expr := range patternExprs {
		pats[i], res[i] = Pat(expr), regexp.MustCompile(expr)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := range pats {
			checkPattern(t, pats[i], res[i], s)
		}
	})
}
