// Package literal finds the literal strings that every match of a regular
// expression must contain, so that a cheap substring search can rule a
// text out before the expression runs.
package literal

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Groups returns groups of literals of at least two bytes such that every
// match of re contains at least one literal of each group; nil when it
// finds none. With lower, the literals are lower-cased and must be ASCII
// (for matching against ASCII-lower-cased text, where case-folded
// literals count too); without it, case-folded literals give nothing.
func Groups(re *syntax.Regexp, lower bool) [][]string {
	switch re.Op {
	case syntax.OpLiteral:
		lit := string(re.Rune)
		if len(lit) < 2 {
			return nil
		}
		if lower {
			for _, c := range lit {
				if c >= utf8.RuneSelf {
					return nil
				}
			}
			return [][]string{{strings.ToLower(lit)}}
		}
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return [][]string{{lit}}
	case syntax.OpCapture, syntax.OpPlus:
		return Groups(re.Sub[0], lower)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return Groups(re.Sub[0], lower)
		}
	case syntax.OpConcat:
		var out [][]string
		for _, sub := range re.Sub {
			out = append(out, Groups(sub, lower)...)
		}
		return out
	case syntax.OpAlternate:
		// A match contains a literal of some group of the branch it
		// matched, so one group of every branch, joined, is a group.
		var any []string
		for _, sub := range re.Sub {
			best := Best(Groups(sub, lower))
			if best == nil {
				return nil
			}
			any = append(any, best...)
		}
		return [][]string{any}
	}
	return nil
}

// Best returns the most selective group: the one whose shortest literal
// is longest and, among those, the one with the fewest literals; nil when
// there are no groups.
func Best(groups [][]string) []string {
	var best []string
	for _, g := range groups {
		if best == nil {
			best = g
			continue
		}
		if m, mb := Shortest(g), Shortest(best); m > mb || m == mb && len(g) < len(best) {
			best = g
		}
	}
	return best
}

// Shortest returns the length of the shortest literal of g, or -1 for an
// empty group.
func Shortest(g []string) int {
	n := -1
	for _, s := range g {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}
