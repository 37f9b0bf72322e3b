package classify

import (
	"github.com/ndrkit/ndrkit/internal/literal"
)

// ruleSet is an ordered list of text rules with an index of their
// prefilter literals by their first two bytes, so that one pass over a
// text finds every rule that may match it.
type ruleSet struct {
	Rules []textRule
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
	rs := &ruleSet{Rules: rules}
	for i, r := range rules {
		if r.Re.Lits == nil {
			rs.always |= 1 << i
		}
	}
	return rs
}

// Candidates returns a bit for each rule whose expression may match s.
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
	// rest is, for a literal longer than literal.KeyLen, what follows
	// its key, which the automaton finds; "" for the others.
	rest []string
}

// newRuleIndex indexes the literals of sets; each set belongs to one
// index.
func newRuleIndex(sets ...*ruleSet) *ruleIndex {
	x := &ruleIndex{sets: sets}
	var lits []string
	for k, rs := range sets {
		rs.index, rs.slot = x, k
		for i, r := range rs.Rules {
			for _, l := range r.Re.Lits {
				lits = append(lits, l)
				x.rest = append(x.rest, l[min(len(l), literal.KeyLen):])
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
			if rest := x.rest[id]; rest == "" || hasFoldedAt(s, i+1, rest) {
				masks[x.litSet[id]] |= x.litRule[id]
			}
		}
	}
}

// hasFoldedAt reports whether s holds rest at offset at, with ASCII
// letters folded as the automaton folds them.
func hasFoldedAt(s string, at int, rest string) bool {
	if len(s)-at < len(rest) {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c, d := s[at+i], rest[i]; c != d && literal.LowerByte(c) != literal.LowerByte(d) {
			return false
		}
	}
	return true
}
