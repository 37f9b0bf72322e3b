package ndr

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// pattern is a regular expression with a literal prefilter: every match of the expression contains one of lits, so a
// text that contains none of them is refused by plain substring checks
// without running the expression. Most texts match none of the rules,
// which makes the prefilter the common path.
type pattern struct {
	re *regexp.Regexp
	// lits are the prefilter literals; nil means the expression has no
	// literal every match must contain, and always runs.
	lits []string
}

// pat compiles a pattern; like regexp.MustCompile it panics on a bad
// expression, so patterns are built at package level only.
func pat(expr string) *pattern {
	p := &pattern{re: regexp.MustCompile(expr)}
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.lits = requiredLiterals(tree)
	}
	return p
}

// mayMatch reports whether s contains one of the prefilter literals.
func (p *pattern) mayMatch(s string) bool {
	if p.lits == nil {
		return true
	}
	for _, l := range p.lits {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

// index returns the location of the leftmost match in s, or nil.
func (p *pattern) index(s string) []int {
	if !p.mayMatch(s) {
		return nil
	}
	return p.re.FindStringIndex(s)
}

// matches reports whether s has a match.
func (p *pattern) matches(s string) bool {
	return p.mayMatch(s) && p.re.MatchString(s)
}

// submatch returns the leftmost match and its groups, or nil.
func (p *pattern) submatch(s string) []string {
	if !p.mayMatch(s) {
		return nil
	}
	return p.re.FindStringSubmatch(s)
}

// requiredLiterals returns a set of literals such that every match of re
// contains at least one of them, or nil when there is no such set of
// literals of at least two bytes. Case-folded literals give no set;
// patterns for lower-cased text are written in lower case.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(string(re.Rune)) < 2 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if set := requiredLiterals(sub); betterLiterals(set, best) {
				best = set
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set := requiredLiterals(sub)
			if set == nil {
				return nil
			}
			out = append(out, set...)
		}
		return out
	}
	return nil
}

// betterLiterals reports whether set a is a more selective prefilter
// than b: its shortest literal is longer, or, as long, it has fewer
// literals.
func betterLiterals(a, b []string) bool {
	if a == nil {
		return false
	}
	if b == nil {
		return true
	}
	ma, mb := shortest(a), shortest(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func shortest(set []string) int {
	n := -1
	for _, s := range set {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}
