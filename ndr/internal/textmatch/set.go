package textmatch

import (
	"math/bits"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// Set is a list of patterns whose literals one pass over a text finds
// together: an automaton, built once, over the prefilter literals of
// every alternative of every pattern (a plain phrase is its own
// literal). After that pass an alternative runs only when the text holds
// one of its literals, so that a text is read once for all the patterns
// instead of once for each alternative's literals, and the patterns none
// of whose alternatives can match cost nothing more. (The further groups
// of literals of an alternative, often short and common words, are
// tested only when it runs.)
type Set struct {
	pats []*Pattern
	ac   *literal.Automaton
	// alts[p][j] are the prefilter literals of alternative j of
	// pattern p, as literal numbers: the alternative can match only a
	// text that holds one of them. An alternative without literals
	// always runs.
	alts [][][]int32
	// byLit[i] are the patterns with an alternative that literal i
	// lets run.
	byLit [][]int32
	// always has the bits of the patterns with an alternative without
	// literals.
	always []uint64
	// litWords and patWords are the lengths of Found's bit sets.
	litWords, patWords int
}

// NewSet builds the set of pats, which keep their order: pattern p of
// the set is pats[p].
func NewSet(pats []*Pattern) *Set {
	x := &Set{pats: pats, alts: make([][][]int32, len(pats))}
	ids := map[string]int32{}
	var lits []string
	id := func(l string) int32 {
		if k, ok := ids[l]; ok {
			return k
		}
		k := int32(len(lits))
		ids[l] = k
		lits = append(lits, l)
		x.byLit = append(x.byLit, nil)
		return k
	}
	x.patWords = (len(pats) + 63) / 64
	x.always = make([]uint64, x.patWords)
	for p, pat := range pats {
		for _, a := range pat.alts {
			lits := a.lits
			if a.re == nil {
				lits = []string{a.phrase}
			}
			var ids []int32
			for _, l := range lits {
				ids = append(ids, id(l))
			}
			x.alts[p] = append(x.alts[p], ids)
			if len(ids) == 0 {
				x.always[p/64] |= 1 << (p % 64)
				continue
			}
			for _, k := range ids {
				if n := len(x.byLit[k]); n == 0 || x.byLit[k][n-1] != int32(p) {
					x.byLit[k] = append(x.byLit[k], int32(p))
				}
			}
		}
	}
	x.ac = literal.NewAutomaton(lits)
	x.litWords = (len(lits) + 63) / 64
	return x
}

// Len returns the number of patterns.
func (x *Set) Len() int { return len(x.pats) }

// Found is what a Set's pass over one text found: a bit for each literal
// the text holds and one for each pattern that may match it. It holds
// the bits of a small set itself, so that it needs no allocation.
type Found struct {
	small [12]uint64
	big   []uint64
}

// words returns the bit set of n words, the literals' first.
func (f *Found) words(n int) []uint64 {
	if n <= len(f.small) {
		return f.small[:n]
	}
	if len(f.big) != n {
		f.big = make([]uint64, n)
	}
	return f.big
}

// Scan reads s once and records in f which literals it holds and which
// patterns may therefore match it.
func (x *Set) Scan(s string, f *Found) {
	lits := x.reset(f)
	x.ac.Mark(s, lits)
	x.candidates(f)
}

// ScanIn is Scan that also records in in what the part s[lo:hi] holds,
// from the same pass over s.
func (x *Set) ScanIn(s string, lo, hi int, f, in *Found) {
	lits, inLits := x.reset(f), x.reset(in)
	x.ac.MarkIn(s, lo, hi, lits, inLits)
	x.candidates(f)
	x.candidates(in)
}

// reset clears f and returns its literals' bits.
func (x *Set) reset(f *Found) []uint64 {
	w := f.words(x.litWords + x.patWords)
	clear(w)
	return w[:x.litWords]
}

// candidates sets f's bits of the patterns that may match, from its
// literals' bits.
func (x *Set) candidates(f *Found) {
	w := f.words(x.litWords + x.patWords)
	lits, pats := w[:x.litWords], w[x.litWords:]
	copy(pats, x.always)
	for i, word := range lits {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			for _, p := range x.byLit[i*64+b] {
				pats[p/64] |= 1 << (p % 64)
			}
		}
	}
}

// MayMatch reports whether pattern p may match the text f was scanned
// from: whether the text holds a prefilter literal of one of its
// alternatives.
func (x *Set) MayMatch(f *Found, p int) bool {
	return f.words(x.litWords + x.patWords)[x.litWords+p/64]&(1<<(p%64)) != 0
}

// Candidates returns a bit for each of n patterns from the first on,
// pattern first+i as bit i (n at most 64), that may match the text f
// was scanned from (see MayMatch).
func (x *Set) Candidates(f *Found, first, n int) uint64 {
	pats := f.words(x.litWords + x.patWords)[x.litWords:]
	i, sh := first/64, first%64
	m := pats[i] >> sh
	if sh != 0 && i+1 < len(pats) {
		m |= pats[i+1] << (64 - sh)
	}
	if n < 64 {
		m &= 1<<n - 1
	}
	return m
}

// Search returns the location of the leftmost match of pattern p in s,
// the text f was scanned from, or nil: what x's pattern p Index gives,
// running only the alternatives whose literals s holds.
func (x *Set) Search(f *Found, p int, s string) []int {
	if !x.MayMatch(f, p) {
		return nil
	}
	lits := f.words(x.litWords + x.patWords)[:x.litWords]
	alts := x.alts[p]
	return x.pats[p].leftmost(s, func(j int) bool {
		return alts[j] == nil || anyBit(lits, alts[j])
	})
}

// anyBit reports whether one of the bits ids of set is set.
func anyBit(set []uint64, ids []int32) bool {
	for _, i := range ids {
		if set[i/64]&(1<<(i%64)) != 0 {
			return true
		}
	}
	return false
}
