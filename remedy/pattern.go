package remedy

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"

	strlit "github.com/ndrkit/ndrkit/internal/literal"
)

// lineLocal reports whether no match of re can contain a newline or
// depend on the start or end of the whole text, so that a match lies
// inside one line and can be searched for line by line.
func lineLocal(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText, syntax.OpEndText, syntax.OpAnyChar:
		return false
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r == '\n' {
				return false
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return false
			}
		}
	}
	for _, sub := range re.Sub {
		if !lineLocal(sub) {
			return false
		}
	}
	return true
}

// hasOp reports whether op occurs in re.
func hasOp(re *syntax.Regexp, op syntax.Op) bool {
	if re.Op == op {
		return true
	}
	for _, sub := range re.Sub {
		if hasOp(sub, op) {
			return true
		}
	}
	return false
}

// maxBytes returns the most bytes a match of re can span, or -1 when
// there is no limit, for texts in which U+212A and U+017F do not occur
// (see literal.fold): ASCII letters then match ASCII letters only.
func maxBytes(re *syntax.Regexp) int {
	return strlit.MaxLen(re, true)
}

// alternatives returns the strings a case-insensitive pattern matches
// when it matches nothing but a few ASCII strings without newlines, in
// the order in which the regexp engine prefers them at one place: the
// leftmost match is then the first of them that occurs at the place
// where one occurs first. A pattern may start and end with \b next to
// word bytes; start and end report them. alts is nil for other patterns.
func alternatives(re *syntax.Regexp) (alts []string, start, end bool) {
	if re.Op == syntax.OpConcat && len(re.Sub) > 1 {
		subs := re.Sub
		if subs[0].Op == syntax.OpWordBoundary {
			start, subs = true, subs[1:]
		}
		if subs[len(subs)-1].Op == syntax.OpWordBoundary {
			end, subs = true, subs[:len(subs)-1]
		}
		if start || end {
			re = &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
		}
	}
	alts, ok := spellOut(re)
	if !ok {
		return nil, false, false
	}
	for _, a := range alts {
		if a == "" || start && !isWordByte(a[0]) || end && !isWordByte(a[len(a)-1]) {
			return nil, false, false
		}
	}
	return alts, start, end
}

// spellOut returns the strings re matches in the order of preference, in
// lower case, if they are at most 16 strings of ASCII bytes other than
// newlines and re treats upper and lower case alike.
func spellOut(re *syntax.Regexp) ([]string, bool) {
	const most = 16
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		b := make([]byte, 0, len(re.Rune))
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf || r == '\n' || re.Flags&syntax.FoldCase == 0 && unicode.IsLetter(r) {
				return nil, false
			}
			b = append(b, byte(r))
		}
		return []string{strlit.LowerASCII(string(b))}, true
	case syntax.OpCharClass:
		// The class must hold both cases of its letters; K and ſ are
		// ignored as the literals are (see literal.fold).
		var in [utf8.RuneSelf]bool
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if r == '\u212a' || r == '\u017f' {
					continue
				}
				if r >= utf8.RuneSelf || r == '\n' || n == most {
					return nil, false
				}
				in[r] = true
				n++
			}
		}
		var out []string
		for r := range in {
			if !in[r] {
				continue
			}
			if l := unicode.ToLower(rune(r)); l != rune(r) || unicode.ToUpper(rune(r)) != rune(r) {
				if !in[unicode.ToLower(rune(r))] || !in[unicode.ToUpper(rune(r))] {
					return nil, false
				}
				if l != rune(r) {
					continue
				}
			}
			out = append(out, string(rune(r)))
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return spellOut(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := spellOut(re.Sub[0])
		if !ok || len(sub) >= most {
			return nil, false
		}
		if re.Flags&syntax.NonGreedy != 0 {
			return append([]string{""}, sub...), true
		}
		return append(sub, ""), true
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			sub, ok := spellOut(s)
			if !ok || len(out)+len(sub) > most {
				return nil, false
			}
			out = append(out, sub...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			sub, ok := spellOut(s)
			if !ok || len(out)*len(sub) > most {
				return nil, false
			}
			var next []string
			for _, a := range out {
				for _, b := range sub {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out, true
	}
	return nil, false
}

// minBytes returns the fewest bytes a match of re can span.
func minBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(string(re.Rune))
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minBytes(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minBytes(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += minBytes(sub)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if m := minBytes(sub); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0 // empty match, assertions, star, quest, no match
}
