package ndr

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// pattern is a regular expression with a literal prefilter: every match
// of the expression contains one of lits, so a text that contains none
// of them is refused by plain substring checks without running the
// expression. Most texts match none of the rules, which makes the
// prefilter the common path. For a search, the expression is also split
// into its top-level alternatives: a plain phrase is found by a
// substring search, and only the alternatives whose own literals occur
// run as expressions.
type pattern struct {
	re *regexp.Regexp
	// lits are the prefilter literals; nil means the expression has no
	// literal every match must contain, and always runs.
	lits []string
	// alts are the top-level alternatives, in order.
	alts []alternative
	// lead, when set, is the literal every match starts with, right
	// after a word boundary (see leadOf).
	lead string
}

// alternative is one top-level alternative of a pattern: a plain phrase
// (re is nil) or an expression with its own prefilter literals.
type alternative struct {
	phrase string
	re     *regexp.Regexp
	lits   []string
	lead   string // as pattern.lead
	// more are the other groups of literals that every match contains
	// one of (see literal.Groups), tested after lits.
	more [][]string
}

// pat compiles a pattern; like regexp.MustCompile it panics on a bad
// expression, so patterns are built at package level only.
func pat(expr string) *pattern {
	p := &pattern{re: regexp.MustCompile(expr)}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return p
	}
	p.lits = requiredLiterals(tree)
	p.lead = leadOf(tree)
	subs := []*syntax.Regexp{tree}
	if tree.Op == syntax.OpAlternate {
		subs = tree.Sub
	}
	for _, sub := range subs {
		if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 {
			p.alts = append(p.alts, alternative{phrase: string(sub.Rune)})
			continue
		}
		a := alternative{re: regexp.MustCompile(sub.String()), lits: requiredLiterals(sub), lead: leadOf(sub)}
		for _, g := range literal.Groups(sub, false) {
			if !slices.Equal(g, a.lits) {
				a.more = append(a.more, g)
			}
		}
		p.alts = append(p.alts, a)
	}
	return p
}

// find returns the location of the alternative's leftmost match in s,
// or nil.
func (a *alternative) find(s string) []int {
	if a.re == nil {
		if k := strings.Index(s, a.phrase); k >= 0 {
			return []int{k, k + len(a.phrase)}
		}
		return nil
	}
	if a.lits != nil && !containsAny(s, a.lits...) || !a.hasMore(s) {
		return nil
	}
	if a.lead != "" {
		k := leadStart(s, a.lead)
		if k < 0 {
			return nil
		}
		loc := a.re.FindStringIndex(s[k:])
		if loc == nil {
			return nil
		}
		return []int{k + loc[0], k + loc[1]}
	}
	return a.re.FindStringIndex(s)
}

// hasMore reports whether s holds a literal of each group of a.more.
func (a *alternative) hasMore(s string) bool {
	for _, g := range a.more {
		if !containsAny(s, g...) {
			return false
		}
	}
	return true
}

// leadOf returns the literal that every match of re starts with when re
// is a word boundary followed by a literal that begins with a word byte
// ("\bhost ..."); "" otherwise. Go's regexp finds no literal prefix
// behind the boundary and tries every position of the text.
func leadOf(re *syntax.Regexp) string {
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpWordBoundary {
		return ""
	}
	l := re.Sub[1]
	if l.Op != syntax.OpLiteral || l.Flags&syntax.FoldCase != 0 || len(l.Rune) == 0 || !isWordByte(byte(l.Rune[0])) || l.Rune[0] >= 0x80 {
		return ""
	}
	return string(l.Rune)
}

// leadStart returns the first offset in s where lead occurs after a
// non-word byte or at the start, or -1. An expression that starts with
// a word boundary and lead matches, if at all, at or after that offset,
// and searching s from there gives its match in s: the boundary holds at
// the start of the searched text, as it does in s there, and everywhere
// else the text before is the same.
func leadStart(s, lead string) int {
	for from := 0; ; {
		k := strings.Index(s[from:], lead)
		if k < 0 {
			return -1
		}
		k += from
		if k == 0 || !isWordByte(s[k-1]) {
			return k
		}
		from = k + 1
	}
}

// isWordByte reports whether c is an ASCII word character, as \b sees
// them.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// has reports whether the alternative matches s.
func (a *alternative) has(s string) bool {
	if a.re == nil {
		return strings.Contains(s, a.phrase)
	}
	if a.lits != nil && !containsAny(s, a.lits...) || !a.hasMore(s) {
		return false
	}
	if a.lead != "" {
		k := leadStart(s, a.lead)
		return k >= 0 && a.re.MatchString(s[k:])
	}
	return a.re.MatchString(s)
}

// mayMatch reports whether s contains one of the prefilter literals.
func (p *pattern) mayMatch(s string) bool {
	return p.lits == nil || containsAny(s, p.lits...)
}

// index returns the location of the leftmost match in s, or nil, as
// p.re.FindStringIndex does: the leftmost start of any alternative, and
// at that start the first alternative in order.
func (p *pattern) index(s string) []int {
	if !p.mayMatch(s) {
		return nil
	}
	return p.search(s)
}

// search is index for a text known to pass the prefilter.
func (p *pattern) search(s string) []int {
	var best []int
	for i := range p.alts {
		if loc := p.alts[i].find(s); loc != nil && (best == nil || loc[0] < best[0]) {
			best = loc
		}
	}
	return best
}

// matches reports whether s has a match.
func (p *pattern) matches(s string) bool {
	if !p.mayMatch(s) {
		return false
	}
	for i := range p.alts {
		if p.alts[i].has(s) {
			return true
		}
	}
	return false
}

// submatch returns the leftmost match and its groups, or nil.
func (p *pattern) submatch(s string) []string {
	if !p.mayMatch(s) {
		return nil
	}
	if p.lead != "" {
		k := leadStart(s, p.lead)
		if k < 0 {
			return nil
		}
		s = s[k:]
	}
	return p.re.FindStringSubmatch(s)
}

// requiredLiterals returns a set of literals such that every match of re
// contains at least one of them, or nil when there is no such set of
// literals of at least two bytes. Case-folded literals give no set;
// patterns for lower-cased text are written in lower case.
func requiredLiterals(re *syntax.Regexp) []string {
	return literal.Best(literal.Groups(re, false))
}

// ruleSet is an ordered list of text rules with an index of their
// prefilter literals by their first two bytes, so that one pass over a
// text finds every rule that may match it.
type ruleSet struct {
	rules []textRule
	// always has a bit for each rule without a prefilter.
	always uint64
	// index finds the rules' literals, with those of other rule sets;
	// slot is the set's place in it.
	index *ruleIndex
	slot  int
}

// newRuleSet makes a rule set of rules, at most 64; newRuleIndex then
// indexes it.
func newRuleSet(rules []textRule) *ruleSet {
	if len(rules) > 64 {
		panic("ndr: more than 64 rules in a rule set")
	}
	rs := &ruleSet{rules: rules}
	for i, r := range rules {
		if r.re.lits == nil {
			rs.always |= 1 << i
		}
	}
	return rs
}

// candidates returns a bit for each rule whose expression may match s.
func (rs *ruleSet) candidates(s string) uint64 {
	masks := make([]uint64, len(rs.index.sets))
	rs.index.candidates(s, masks)
	return masks[rs.slot]
}

// ruleIndex finds the prefilter literals of the rules of several rule
// sets in one pass over a text.
type ruleIndex struct {
	sets []*ruleSet
	// lits finds the literals; for literal i, litSet[i] is the slot of
	// its rule set and litRule[i] has the bit of its rule.
	lits    *literal.Automaton
	litSet  []int
	litRule []uint64
}

// newRuleIndex indexes the literals of sets; each set belongs to one
// index.
func newRuleIndex(sets ...*ruleSet) *ruleIndex {
	x := &ruleIndex{sets: sets}
	var lits []string
	for k, rs := range sets {
		rs.index, rs.slot = x, k
		for i, r := range rs.rules {
			for _, l := range r.re.lits {
				lits = append(lits, l)
				x.litSet = append(x.litSet, k)
				x.litRule = append(x.litRule, 1<<i)
			}
		}
	}
	x.lits = literal.NewAutomaton(lits)
	return x
}

// candidates sets masks[k] to a bit for each rule of sets[k] whose
// expression may match s, a lower-cased text: the rules without a
// prefilter and those with a literal in s. (The automaton folds ASCII
// case, which changes nothing for lower-cased text and lower-case
// literals, and for any other literal only adds a candidate, whose
// expression then decides.)
func (x *ruleIndex) candidates(s string, masks []uint64) {
	for k, rs := range x.sets {
		masks[k] = rs.always
	}
	a := x.lits
	var row int32
	for i := 0; i < len(s); i++ {
		v := a.Delta[row+int32(a.Class[s[i]])]
		if v >= 0 {
			row = v
			continue
		}
		row = ^v
		for _, id := range a.Outs[row/a.Width] {
			masks[x.litSet[id]] |= x.litRule[id]
		}
	}
}

// foldPattern is a case-insensitive pattern that runs as a pattern (with
// its literal prefilter) on the ASCII-lower-cased text. That gives the
// same result as the case-insensitive expression unless the text holds
// one of the two non-ASCII letters that fold to ASCII ones (U+017F "ſ"
// to "s", U+212A Kelvin sign to "k"); for such text the expression runs.
type foldPattern struct {
	fold  *regexp.Regexp
	lower *pattern
}

// foldPat compiles a case-insensitive pattern from an expression written
// in lower case.
func foldPat(expr string) *foldPattern {
	return &foldPattern{fold: regexp.MustCompile("(?i)" + expr), lower: pat(expr)}
}

// matches reports whether s has a match; lower is s with its ASCII
// letters lower-cased (lowerASCII(s)).
func (p *foldPattern) matches(s, lower string) bool {
	if len(lower) != len(s) || hasASCIIFold(s) {
		return p.fold.MatchString(s)
	}
	return p.lower.matches(lower)
}

// hasASCIIFold reports whether s holds a non-ASCII letter whose case
// folding gives an ASCII one.
func hasASCIIFold(s string) bool {
	return strings.Contains(s, "\u017f") || strings.Contains(s, "\u212a")
}
