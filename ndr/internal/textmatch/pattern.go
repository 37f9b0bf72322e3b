package textmatch

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Pattern is a regular expression with a literal prefilter: every match
// of the expression contains one of lits, so a text that contains none
// of them is refused by plain substring checks without running the
// expression. Most texts match none of the rules, which makes the
// prefilter the common path. For a search, the expression is also split
// into its top-level alternatives: a plain phrase is found by a
// substring search, and only the alternatives whose own literals occur
// run as expressions.
type Pattern struct {
	Re *regexp.Regexp
	// Lits are the prefilter literals; nil means the expression has no
	// literal every match must contain, and always runs.
	Lits []string
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
	// inner, when set, locates where a match can start (see innerOf).
	inner *innerLiteral
}

// Pat compiles a pattern; like regexp.MustCompile it panics on a bad
// expression, so patterns are built at package level only.
func Pat(expr string) *Pattern {
	return PatOf(expr)
}

// PatOf compiles the alternation of exprs, (?:e1)|(?:e2)|..., the
// pattern of a rule made of several phrases, in which each expression
// stays an alternative of its own: Go's parser would factor their
// common prefixes ("user unknown|unknown user" becomes
// "u(?:ser unknown|nknown user)"), whose literals are weaker and which
// no plain substring search finds. Like Pat it panics on a bad
// expression.
func PatOf(exprs ...string) *Pattern {
	joined := exprs[0]
	if len(exprs) > 1 {
		joined = "(?:" + strings.Join(exprs, ")|(?:") + ")"
	}
	p := &Pattern{Re: regexp.MustCompile(joined)}
	tree, err := syntax.Parse(joined, syntax.Perl)
	if err != nil {
		return p
	}
	p.lead = leadOf(tree)
	var subs []*syntax.Regexp
	for _, expr := range exprs {
		t, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			panic("textmatch: " + err.Error())
		}
		if t.Op == syntax.OpAlternate {
			subs = append(subs, t.Sub...)
		} else {
			subs = append(subs, t)
		}
	}
	// Every match is a match of one alternative, so it holds one of
	// that alternative's literals: theirs together are the pattern's
	// (none when an alternative has none).
	lits := []string{}
	for _, sub := range subs {
		if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 {
			p.alts = append(p.alts, alternative{phrase: string(sub.Rune)})
		} else {
			a := alternative{re: regexp.MustCompile(sub.String()), lits: requiredLiterals(sub), lead: leadOf(sub), inner: innerOf(sub)}
			for _, g := range literal.Groups(sub, false) {
				if !slices.Equal(g, a.lits) {
					a.more = append(a.more, g)
				}
			}
			p.alts = append(p.alts, a)
		}
		if l := requiredLiterals(sub); l != nil && lits != nil {
			lits = append(lits, l...)
		} else {
			lits = nil
		}
	}
	p.Lits = lits
	return p
}

// find returns the location of the alternative's leftmost match in s;
// ok is false when there is none.
func (a *alternative) find(s string) (loc [2]int, ok bool) {
	if a.re != nil && (a.lits != nil && !textutil.ContainsAny(s, a.lits...) || !a.hasMore(s)) {
		return loc, false
	}
	return a.search(s)
}

// search is find for a text known to hold a literal of each of the
// alternative's groups (lits and more), and for a phrase.
func (a *alternative) search(s string) (loc [2]int, ok bool) {
	if a.re == nil {
		k := strings.Index(s, a.phrase)
		return [2]int{k, k + len(a.phrase)}, k >= 0
	}
	var m []int
	switch {
	case a.lead != "":
		k := leadStart(s, a.lead)
		if k < 0 {
			return loc, false
		}
		if m = a.re.FindStringIndex(s[k:]); m != nil {
			m[0], m[1] = m[0]+k, m[1]+k
		}
	case a.inner != nil:
		m = a.inner.find(s)
	default:
		m = a.re.FindStringIndex(s)
	}
	if m == nil {
		return loc, false
	}
	return [2]int{m[0], m[1]}, true
}

// innerLiteral is a literal that every match of an expression holds
// after some elements of a concatenation, each of which matches a
// bounded number of bytes or only bytes of a known set. Going back from
// the first occurrence of lit over those elements, right to left, gives
// a place before which no match can start: an element of at most n bytes
// starts at most n bytes before the place where the next one starts, and
// one of bytes of a set starts no earlier than the run of such bytes
// that ends there. The search for the leftmost match can begin there.
type innerLiteral struct {
	lit    string
	before []boundedElement // right to left
	// anchored is the expression anchored at the start of the text.
	anchored *regexp.Regexp
}

// boundedElement bounds what one element of a concatenation matches:
// at most max bytes (max < 0 for no bound), only bytes of set (nil for
// any byte). One of the two is set.
type boundedElement struct {
	max int
	set *[256]bool
}

// innerOf returns the first literal of a top-level concatenation whose
// preceding elements all give a bound, for an expression without
// empty-width assertions (which a cut text could change); nil when there
// is none.
func innerOf(re *syntax.Regexp) *innerLiteral {
	if re.Op != syntax.OpConcat || hasAssertion(re) {
		return nil
	}
	for j, sub := range re.Sub {
		if sub.Op != syntax.OpLiteral || sub.Flags&syntax.FoldCase != 0 || len(string(sub.Rune)) < 2 {
			continue
		}
		if j == 0 {
			return nil // a literal prefix: the expression skips to it itself
		}
		in := &innerLiteral{lit: string(sub.Rune), anchored: regexp.MustCompile(`^(?:` + re.String() + `)`)}
		for i := j - 1; i >= 0; i-- {
			e := boundedElement{max: literal.MaxLen(re.Sub[i], false), set: &[256]bool{}}
			if !byteSet(re.Sub[i], e.set) {
				e.set = nil
			}
			if e.max < 0 && e.set == nil {
				return nil
			}
			in.before = append(in.before, e)
		}
		return in
	}
	return nil
}

// find returns the location of the leftmost match in s, or nil. A match
// holds lit at one of its occurrences and starts at most as far before
// it as start allows; so only those starts are tried, in order, with the
// anchored expression, which at a given start prefers the match the
// expression prefers there.
func (in *innerLiteral) find(s string) []int {
	next := 0 // the first start not tried yet
	for from := 0; from < len(s); {
		k := strings.Index(s[from:], in.lit)
		if k < 0 {
			return nil
		}
		k += from
		for x := max(in.start(s, k), next); x <= k; x++ {
			if !RuneStart(s, x) {
				continue // inside a rune, where no match starts
			}
			if loc := in.anchored.FindStringIndex(s[x:]); loc != nil {
				return []int{x, x + loc[1]}
			}
		}
		next, from = k+1, k+1
	}
	return nil
}

// RuneStart reports whether the expression, which reads s rune by rune
// from its start, reaches offset x (x <= len(s)). It reaches every byte
// that is not a UTF-8 continuation byte, since a rune of several bytes
// holds only continuation bytes after its first; from the last such byte
// before x it reads one rune, of one byte when invalid, and then every
// continuation byte alone.
func RuneStart(s string, x int) bool {
	z := x
	for z >= 0 && z < len(s) && s[z]&0xc0 == 0x80 {
		z--
	}
	if z < 0 || z == x {
		return true
	}
	_, w := utf8.DecodeRuneInString(s[z:])
	return x >= z+w
}

// start returns the earliest offset where a match whose lit is at k can
// start.
func (in *innerLiteral) start(s string, p int) int {
	for _, e := range in.before {
		q := 0
		if e.max >= 0 {
			q = max(q, p-e.max)
		}
		if e.set != nil {
			r := p
			for r > 0 && e.set[s[r-1]] {
				r--
			}
			q = max(q, r)
		}
		if p = q; p == 0 {
			break
		}
	}
	return p
}

// hasAssertion reports whether re holds an empty-width assertion.
func hasAssertion(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return slices.ContainsFunc(re.Sub, hasAssertion)
}

// byteSet adds to set every byte a match of re can hold and reports
// true, or reports false when that may be any byte.
func byteSet(re *syntax.Regexp, set *[256]bool) bool {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return false
			}
			set[r] = true
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					if f >= utf8.RuneSelf {
						return false
					}
					set[f] = true
				}
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= utf8.RuneSelf {
				return false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				set[r] = true
			}
		}
		return true
	case syntax.OpCapture, syntax.OpQuest, syntax.OpStar, syntax.OpPlus, syntax.OpRepeat, syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !byteSet(sub, set) {
				return false
			}
		}
		return true
	}
	return false
}

// hasMore reports whether s holds a literal of each group of a.more.
func (a *alternative) hasMore(s string) bool {
	for _, g := range a.more {
		if !textutil.ContainsAny(s, g...) {
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
	if l.Op != syntax.OpLiteral || l.Flags&syntax.FoldCase != 0 || len(l.Rune) == 0 || !textutil.IsWordByte(byte(l.Rune[0])) || l.Rune[0] >= 0x80 {
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
		if k == 0 || !textutil.IsWordByte(s[k-1]) {
			return k
		}
		from = k + 1
	}
}

// has reports whether the alternative matches s.
func (a *alternative) has(s string) bool {
	if a.re == nil {
		return strings.Contains(s, a.phrase)
	}
	if a.lits != nil && !textutil.ContainsAny(s, a.lits...) || !a.hasMore(s) {
		return false
	}
	if a.lead != "" {
		k := leadStart(s, a.lead)
		return k >= 0 && a.re.MatchString(s[k:])
	}
	return a.re.MatchString(s)
}

// MayMatch reports whether s contains one of the prefilter literals.
func (p *Pattern) MayMatch(s string) bool {
	return p.Lits == nil || textutil.ContainsAny(s, p.Lits...)
}

// Index returns the location of the leftmost match in s, or nil, as
// p.re.FindStringIndex does: the leftmost start of any alternative, and
// at that start the first alternative in order.
func (p *Pattern) Index(s string) []int {
	if !p.MayMatch(s) {
		return nil
	}
	return p.Search(s)
}

// Search is index for a text known to pass the prefilter.
func (p *Pattern) Search(s string) []int {
	var m leftmost
	for j := range p.alts {
		m.offer(p.alts[j].find(s))
	}
	return m.result()
}

// leftmost collects the leftmost of the matches of a pattern's
// alternatives, offered in the order of the alternatives: the one that
// starts first and, of those that start at one place, the first
// offered, as the pattern's expression prefers.
type leftmost struct {
	loc [2]int
	ok  bool
}

// offer adds the match at loc, when ok.
func (m *leftmost) offer(loc [2]int, ok bool) {
	if ok && (!m.ok || loc[0] < m.loc[0]) {
		m.loc, m.ok = loc, true
	}
}

// result returns the location of the leftmost match, or nil.
func (m *leftmost) result() []int {
	if !m.ok {
		return nil
	}
	return []int{m.loc[0], m.loc[1]}
}

// Matches reports whether s has a match.
func (p *Pattern) Matches(s string) bool {
	if !p.MayMatch(s) {
		return false
	}
	for i := range p.alts {
		if p.alts[i].has(s) {
			return true
		}
	}
	return false
}

// Submatch returns the leftmost match and its groups, or nil.
func (p *Pattern) Submatch(s string) []string {
	if !p.MayMatch(s) {
		return nil
	}
	if p.lead != "" {
		k := leadStart(s, p.lead)
		if k < 0 {
			return nil
		}
		s = s[k:]
	}
	return p.Re.FindStringSubmatch(s)
}

// requiredLiterals returns a set of literals such that every match of re
// contains at least one of them, or nil when there is no such set of
// literals of at least two bytes. Case-folded literals give no set;
// patterns for lower-cased text are written in lower case.
func requiredLiterals(re *syntax.Regexp) []string {
	return literal.Best(literal.Groups(re, false))
}

// FoldPattern is a case-insensitive pattern that runs as a pattern (with
// its literal prefilter) on the ASCII-lower-cased text. That gives the
// same result as the case-insensitive expression unless the text holds
// one of the two non-ASCII letters that fold to ASCII ones (U+017F "ſ"
// to "s", U+212A Kelvin sign to "k"); for such text the expression runs.
type FoldPattern struct {
	fold  *regexp.Regexp
	Lower *Pattern
}

// FoldPat compiles a case-insensitive pattern from an expression written
// in lower case.
func FoldPat(expr string) *FoldPattern {
	return &FoldPattern{fold: regexp.MustCompile("(?i)" + expr), Lower: Pat(expr)}
}

// Matches reports whether s has a match; lower is s with its ASCII
// letters lower-cased (literal.LowerASCII(s)).
func (p *FoldPattern) Matches(s, lower string) bool {
	if len(lower) != len(s) || textutil.HasASCIIFold(s) {
		return p.fold.MatchString(s)
	}
	return p.Lower.Matches(lower)
}
