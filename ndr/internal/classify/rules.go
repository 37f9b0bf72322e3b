package classify

import (
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

// ruleSet is an ordered list of text rules, indexed with other rule sets
// in a ruleIndex, so that one pass over a text finds every rule that may
// match it.
type ruleSet struct {
	Rules []textRule
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
	return &ruleSet{Rules: rules}
}

// candidates returns a bit for each rule whose expression may match s.
func (rs *ruleSet) candidates(s string) uint64 {
	var f textmatch.Found
	rs.index.set.Scan(s, &f)
	return rs.index.candidates(&f, rs)
}

// ruleIndex finds the literals of the rules of several rule sets in one
// pass over a text, and then runs only the alternatives of the rules
// whose literals the text holds.
type ruleIndex struct {
	sets []*ruleSet
	// set holds the rules of all sets in order; base[k] is the place
	// in it of the first rule of sets[k].
	set  *textmatch.Set
	base []int
}

// newRuleIndex indexes the rules of sets; each set belongs to one
// index.
func newRuleIndex(sets ...*ruleSet) *ruleIndex {
	x := &ruleIndex{sets: sets}
	var pats []*textmatch.Pattern
	for k, rs := range sets {
		rs.index, rs.slot = x, k
		x.base = append(x.base, len(pats))
		for _, r := range rs.Rules {
			pats = append(pats, r.Re)
		}
	}
	x.set = textmatch.NewSet(pats)
	return x
}

// candidates returns a bit for each rule of rs, one of x's sets, that
// may match the text that f was scanned from, a lower-cased text. (The
// pass folds ASCII case, which changes nothing for lower-cased text and
// lower-case literals, and for any other literal only adds a candidate,
// whose expression then decides.)
func (x *ruleIndex) candidates(f *textmatch.Found, rs *ruleSet) uint64 {
	if len(rs.Rules) == 0 {
		return 0
	}
	return x.set.Candidates(f, x.base[rs.slot], len(rs.Rules))
}

// search returns the location of the leftmost match of rule i of rs in
// s, the text f was scanned from, or nil.
func (x *ruleIndex) search(f *textmatch.Found, rs *ruleSet, i int, s string) []int {
	return x.set.Search(f, x.base[rs.slot]+i, s)
}
