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
	// The alternatives of all patterns are numbered in order: those of
	// pattern p from first[p] to first[p+1]-1; owner gives each one's
	// pattern.
	first []int
	owner []int32
	// byLit[i] are the alternatives whose prefilter literals hold
	// literal i.
	byLit [][]int32
	// always has the bits of the alternatives without literals.
	always []uint64
	// litWords, altWords and patWords are the lengths of Found's bit
	// sets.
	litWords, altWords, patWords int
}

// NewSet builds the set of pats, which keep their order: pattern p of
// the set is pats[p].
func NewSet(pats []*Pattern) *Set {
	x := &Set{pats: pats}
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
	var always []int
	for p, pat := range pats {
		x.first = append(x.first, len(x.owner))
		for _, a := range pat.alts {
			n := int32(len(x.owner))
			x.owner = append(x.owner, int32(p))
			lits := a.lits
			if a.re == nil {
				lits = []string{a.phrase}
			}
			if len(lits) == 0 {
				always = append(always, int(n))
			}
			for _, l := range lits {
				k := id(l)
				if m := len(x.byLit[k]); m == 0 || x.byLit[k][m-1] != n {
					x.byLit[k] = append(x.byLit[k], n)
				}
			}
		}
	}
	x.first = append(x.first, len(x.owner))
	x.ac = literal.NewAutomaton(lits)
	x.litWords = (len(lits) + 63) / 64
	x.altWords = (len(x.owner) + 63) / 64
	x.patWords = (len(pats) + 63) / 64
	x.always = make([]uint64, x.altWords)
	for _, a := range always {
		x.always[a/64] |= 1 << (a % 64)
	}
	return x
}

// Found is what a Set's pass over one text found: a bit for each literal
// the text holds, and one for each alternative and each pattern that may
// match it. It holds the bits of a small set itself, so that it needs no
// allocation.
type Found struct {
	small [16]uint64
	big   []uint64
}

// words returns the bit set of n words.
func (f *Found) words(n int) []uint64 {
	if n <= len(f.small) {
		return f.small[:n]
	}
	if len(f.big) != n {
		f.big = make([]uint64, n)
	}
	return f.big
}

// parts returns the bits of f's literals, alternatives and patterns.
func (x *Set) parts(f *Found) (lits, alts, pats []uint64) {
	w := f.words(x.litWords + x.altWords + x.patWords)
	return w[:x.litWords], w[x.litWords : x.litWords+x.altWords], w[x.litWords+x.altWords:]
}

// Scan reads s once and records in f which literals it holds and which
// alternatives and patterns may therefore match it.
func (x *Set) Scan(s string, f *Found) {
	x.ac.Mark(s, x.reset(f))
	x.candidates(f)
}

// ScanIn is Scan that also records in in what the part s[lo:hi] holds,
// from the same pass over s.
func (x *Set) ScanIn(s string, lo, hi int, f, in *Found) {
	x.ac.MarkIn(s, lo, hi, x.reset(f), x.reset(in))
	x.candidates(f)
	x.candidates(in)
}

// reset clears f and returns its literals' bits.
func (x *Set) reset(f *Found) []uint64 {
	lits, alts, pats := x.parts(f)
	clear(lits)
	clear(pats)
	copy(alts, x.always)
	return lits
}

// candidates sets f's bits of the alternatives and patterns that may
// match, from its literals' bits.
func (x *Set) candidates(f *Found) {
	lits, alts, pats := x.parts(f)
	for i, word := range lits {
		for ; word != 0; word &= word - 1 {
			for _, a := range x.byLit[i*64+bits.TrailingZeros64(word)] {
				alts[a/64] |= 1 << (a % 64)
			}
		}
	}
	for i, word := range alts {
		for ; word != 0; word &= word - 1 {
			p := x.owner[i*64+bits.TrailingZeros64(word)]
			pats[p/64] |= 1 << (p % 64)
		}
	}
}

// MayMatch reports whether pattern p may match the text f was scanned
// from: whether the text holds a prefilter literal of one of its
// alternatives.
func (x *Set) MayMatch(f *Found, p int) bool {
	_, _, pats := x.parts(f)
	return pats[p/64]&(1<<(p%64)) != 0
}

// Candidates returns a bit for each of n patterns from the first on,
// pattern first+i as bit i (n at most 64), that may match the text f
// was scanned from (see MayMatch).
func (x *Set) Candidates(f *Found, first, n int) uint64 {
	_, _, pats := x.parts(f)
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
	_, alts, _ := x.parts(f)
	pat := x.pats[p]
	var m leftmost
	for a, end := x.first[p], x.first[p+1]; a < end; a++ {
		w := alts[a/64] >> (a % 64)
		if w == 0 {
			a |= 63 // on to the next word
			continue
		}
		if a += bits.TrailingZeros64(w); a >= end {
			break
		}
		if alt := &pat.alts[a-x.first[p]]; alt.hasMore(s) {
			m.offer(alt.search(s))
		}
	}
	return m.result()
}
