package textmatch

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
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

// TestPatOfLikeRegexp checks that a pattern of several expressions, each
// an alternative of its own, finds what their alternation finds, for
// expressions whose common prefixes Go's parser would factor.
func TestPatOfLikeRegexp(t *testing.T) {
	groups := [][]string{
		{`user unknown`, `unknown user`, `unknown recipient`},
		{`mailbox full`, `mailbox (?:is )?full`, `mailbox has exceeded`},
		{`x`, `\bspf\b.*fail`, `(?:^|\s)5\.1\.1\b`},
		patternExprs,
	}
	texts := append([]string{"unknown user; user unknown", "mailbox is full", "550 unknown recipient", "x spf fail"}, patternTexts...)
	for _, g := range groups {
		p := PatOf(g...)
		re := regexp.MustCompile("(?:" + strings.Join(g, ")|(?:") + ")")
		if p.Re.String() != re.String() {
			t.Errorf("PatOf(%q).Re = %s, want %s", g, p.Re, re)
		}
		for _, s := range texts {
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

// checkSet checks that a Set finds in s what each of its patterns finds
// alone.
func checkSet(t *testing.T, x *Set, pats []*Pattern, s string) {
	t.Helper()
	var f, whole, in Found
	x.Scan(s, &f)
	// A part of the text, from the pass over all of it: a third of it
	// from a sixth on.
	lo, hi := len(s)/6, len(s)/6+len(s)/3
	x.ScanIn(s, lo, hi, &whole, &in)
	for p, pat := range pats {
		want := pat.Index(s)
		if got := x.Search(&f, p, s); !slices.Equal(got, want) {
			t.Errorf("%s on %q: set search %v, pattern %v", pat.Re, s, got, want)
		}
		if got := x.Search(&whole, p, s); !slices.Equal(got, want) {
			t.Errorf("%s on %q: set search after ScanIn %v, pattern %v", pat.Re, s, got, want)
		}
		if got, want := x.Search(&in, p, s[lo:hi]), pat.Index(s[lo:hi]); !slices.Equal(got, want) {
			t.Errorf("%s on %q: set search of the part %v, pattern %v", pat.Re, s[lo:hi], got, want)
		}
		if want != nil && !x.MayMatch(&f, p) {
			t.Errorf("%s on %q: the set refuses a text the pattern matches", pat.Re, s)
		}
	}
	for _, first := range []int{0, 1, 63, 64, 65, len(pats) - 64, len(pats) - 1} {
		for _, n := range []int{1, 10, 64} {
			if first < 0 || first+n > len(pats) {
				continue
			}
			m := x.Candidates(&f, first, n)
			for i := range n {
				if got, want := m&(1<<i) != 0, x.MayMatch(&f, first+i); got != want {
					t.Errorf("on %q: Candidates(%d, %d) bit %d is %v, MayMatch %v", s, first, n, i, got, want)
				}
			}
			if n < 64 && m>>n != 0 {
				t.Errorf("on %q: Candidates(%d, %d) = %b has bits beyond %d", s, first, n, m, n)
			}
		}
	}
}

// setExprs add to patternExprs alternatives that share literals, a
// one-byte phrase, upper-case literals (which the set's folding pass
// finds in texts that do not hold them) and long literals.
var setExprs = append([]string{
	`no such user|user unknown|x`,
	`Mailbox Full|mailbox full`,
	`the following addresses had permanent fatal errors|permanent (?:fatal )?errors? \d`,
	`(?:sender|recipient) address rejected: (?:user unknown|access denied)`,
}, patternExprs...)

// TestSetLikePatterns checks a Set on the table's texts, with more
// patterns and literals than Found holds without allocating.
func TestSetLikePatterns(t *testing.T) {
	var pats []*Pattern
	for i := range 700 {
		pats = append(pats, Pat(setExprs[i%len(setExprs)]), Pat(fmt.Sprintf("code %d here|code %d", i, i+1000)))
	}
	x := NewSet(pats)
	texts := append([]string{
		"MAILBOX FULL", "mailbox full", "X", "no such user; user unknown",
		"the following addresses had permanent fatal errors", "permanent fatal errors 5",
		"recipient address rejected: access denied", "code 650 here", "code 1699 x", "code 1",
	}, patternTexts...)
	for _, s := range texts {
		checkSet(t, x, pats, s)
	}
}

// FuzzSet checks a Set against its patterns on arbitrary text.
func FuzzSet(f *testing.F) {
	for _, s := range patternTexts {
		f.Add(s)
	}
	var pats []*Pattern
	for _, expr := range setExprs {
		pats = append(pats, Pat(expr))
	}
	x := NewSet(pats)
	f.Fuzz(func(t *testing.T, s string) {
		checkSet(t, x, pats, s)
	})
}
