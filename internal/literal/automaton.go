package literal

// KeyLen is the most bytes of a literal that an Automaton's table holds:
// a longer literal is found by its first KeyLen bytes, its key, and then
// the rest is compared. Long literals would otherwise add a state per
// byte, which makes the table too large to stay in the processor's
// caches.
const KeyLen int = 12

// Automaton is an Aho-Corasick automaton over bytes, with ASCII letters
// folded to lower case, compiled to a table: one row per state and one
// column per class of bytes. The table finds the literals' keys (see
// KeyLen); code reading it directly gets the literals whose keys end in
// a state.
type Automaton struct {
	// Class maps a byte to its column; both cases of an ASCII letter
	// share one, and bytes no literal contains are class 0.
	Class [256]uint8
	// Width is the number of columns.
	Width int32
	// Delta[row+class] is the row of the next state (state number times
	// width), complemented (^row) when literals end in that state.
	Delta []int32
	// Outs lists per state the literals (their indexes) that end there.
	Outs [][]int32
	// lens are the literals' lengths; rests are what follows the keys
	// ("" for a literal no longer than its key); maxKey is the longest
	// key.
	lens   []int32
	rests  []string
	maxKey int
}

// NewAutomaton compiles an automaton that finds every one of lits.
func NewAutomaton(lits []string) *Automaton {
	a := &Automaton{}
	a.lens = make([]int32, len(lits))
	a.rests = make([]string, len(lits))
	keys := make([]string, len(lits))
	for i, s := range lits {
		a.lens[i] = int32(len(s))
		keys[i] = s[:min(len(s), KeyLen)]
		a.rests[i] = s[len(keys[i]):]
		a.maxKey = max(a.maxKey, len(keys[i]))
	}
	lits = keys
	// Class 0 stands for every byte no literal contains.
	next := uint8(1)
	for _, s := range lits {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if a.Class[c] == 0 {
				a.Class[c] = next
				if 'a' <= c && c <= 'z' {
					a.Class[c-'a'+'A'] = next
				}
				next++
			}
		}
	}
	w := int(next)
	a.Width = int32(w)

	// The trie; state 0 is the root, -1 means no edge.
	trie := make([]int32, w)
	for i := range trie {
		trie[i] = -1
	}
	own := [][]int32{nil}
	for id, s := range lits {
		st := 0
		for i := 0; i < len(s); i++ {
			c := int(a.Class[s[i]])
			if trie[st*w+c] < 0 {
				trie[st*w+c] = int32(len(own))
				own = append(own, nil)
				for range w {
					trie = append(trie, -1)
				}
			}
			st = int(trie[st*w+c])
		}
		own[st] = append(own[st], int32(id))
	}
	n := len(own)

	// Breadth first: failure links, complete transitions and outputs.
	fail := make([]int32, n)
	delta := make([]int32, n*w)
	a.Outs = make([][]int32, n)
	a.Outs[0] = own[0]
	var queue []int32
	for c := range w {
		if v := trie[c]; v > 0 {
			delta[c] = v
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		u := int(queue[0])
		queue = queue[1:]
		a.Outs[u] = append(append([]int32(nil), own[u]...), a.Outs[fail[u]]...)
		for c := range w {
			v := trie[u*w+c]
			if v < 0 {
				delta[u*w+c] = delta[int(fail[u])*w+c]
				continue
			}
			delta[u*w+c] = v
			fail[v] = delta[int(fail[u])*w+c]
			queue = append(queue, v)
		}
	}
	// States to rows, complemented where literals end.
	for i, v := range delta {
		row := v * int32(w)
		if len(a.Outs[v]) > 0 {
			row = ^row
		}
		delta[i] = row
	}
	a.Delta = delta
	return a
}

// FirstIndex records in first, for each literal, the start of its first
// occurrence in s, ASCII letters folded, or -1. first must have one
// element per literal.
func (a *Automaton) FirstIndex(s string, first []int32) {
	for i := range first {
		first[i] = -1
	}
	Scan(a, s, func(row int32, keyEnd int) { a.note(s, row, keyEnd, first) })
}

// Mark sets in seen the bit of every literal that s holds, ASCII
// letters folded: bit id%64 of seen[id/64] for literal id. seen must
// have a bit per literal; bits already set stay set.
func (a *Automaton) Mark(s string, seen []uint64) {
	a.MarkIn(s, 0, 0, seen, nil)
}

// MarkIn is Mark that also sets in in, when it is not nil, the bits of
// the literals that s[lo:hi] holds: the same pass over s marks the
// literals of the whole text and those of a part of it.
//
// MarkIn is kept out of line: inlined into a caller in another package,
// its closure, passed to the generic Scan, would be allocated on the
// heap at every call.
//
//go:noinline
func (a *Automaton) MarkIn(s string, lo, hi int, seen, in []uint64) {
	if len(s) >= 256 {
		Scan(a, s, func(row int32, keyEnd int) { a.mark(s, row, keyEnd, lo, hi, seen, in) })
		return
	}
	delta, class := a.Delta, &a.Class
	var row int32
	for i := 0; i < len(s); i++ {
		v := delta[row+int32(class[s[i]])]
		if v >= 0 {
			row = v
			continue
		}
		row = ^v
		a.mark(s, row, i+1, lo, hi, seen, in)
	}
}

// mark sets the bits of MarkIn for the literals whose keys end at
// keyEnd in the state at row, where the rest follows.
func (a *Automaton) mark(s string, row int32, keyEnd, lo, hi int, seen, in []uint64) {
	for _, id := range a.Outs[row/a.Width] {
		rest := a.rests[id]
		if rest != "" && !hasFoldedAt(s, keyEnd, rest) {
			continue
		}
		seen[id>>6] |= 1 << (id & 63)
		if end := keyEnd + len(rest); in != nil && end <= hi && end-int(a.lens[id]) >= lo {
			in[id>>6] |= 1 << (id & 63)
		}
	}
}

// Scan runs the automaton over s and calls hit with the row of every
// state in which keys end (Outs[row/Width] lists them) and the offset
// just past the key.
//
// A text of more than twice the longest key is cut into four pieces,
// each overlapping the previous one by the longest key's length less
// one, so that every key lies wholly inside a piece; the pieces are
// scanned in step, which lets the processor work on four bytes at once
// instead of waiting for each table lookup in turn. A later occurrence
// may then be reported before an earlier one. (Each piece is at least as
// long as the overlap plus a few bytes, so the last stretch of each of
// the first three lies inside the text.)
func Scan[T string | []byte](a *Automaton, s T, hit func(row int32, keyEnd int)) {
	n := len(s)
	ov := a.maxKey - 1
	if n < 64 || ov < 0 || n < 2*ov {
		run(a, s, 0, n, 0, hit)
		return
	}
	l := (n + 3*ov + 3) / 4 // piece length; the last may be shorter
	step := l - ov
	s1, s2, s3 := step, 2*step, 3*step
	delta, class := a.Delta, &a.Class
	var r0, r1, r2, r3 int32
	k := n - s3 // length of the last piece
	// The first k bytes of each piece, of one length, so that indexing
	// them needs no bounds checks inside the loop.
	p3 := s[s3:]
	p0, p1, p2 := s[:len(p3)], s[s1:s1+len(p3)], s[s2:s2+len(p3)]
	for i := 0; i < len(p3); i++ {
		v0 := delta[r0+int32(class[p0[i]])]
		v1 := delta[r1+int32(class[p1[i]])]
		v2 := delta[r2+int32(class[p2[i]])]
		v3 := delta[r3+int32(class[p3[i]])]
		r0, r1, r2, r3 = v0, v1, v2, v3
		if v0|v1|v2|v3 < 0 {
			if v0 < 0 {
				r0 = ^v0
				hit(r0, i+1)
			}
			if v1 < 0 {
				r1 = ^v1
				hit(r1, s1+i+1)
			}
			if v2 < 0 {
				r2 = ^v2
				hit(r2, s2+i+1)
			}
			if v3 < 0 {
				r3 = ^v3
				hit(r3, s3+i+1)
			}
		}
	}
	run(a, s, k, l, r0, hit)
	run(a, s, s1+k, s1+l, r1, hit)
	run(a, s, s2+k, s2+l, r2, hit)
}

// run scans s[from:to] from the state at row.
func run[T string | []byte](a *Automaton, s T, from, to int, row int32, hit func(row int32, keyEnd int)) {
	delta, class := a.Delta, &a.Class
	for i := from; i < to; i++ {
		v := delta[row+int32(class[s[i]])]
		if v >= 0 {
			row = v
			continue
		}
		row = ^v
		hit(row, i+1)
	}
}

// note records the literals whose keys end at keyEnd in the state at
// row, where the rest follows and they start before what first holds.
func (a *Automaton) note(s string, row int32, keyEnd int, first []int32) {
	for _, id := range a.Outs[row/a.Width] {
		rest := a.rests[id]
		start := int32(keyEnd+len(rest)) - a.lens[id]
		if first[id] >= 0 && start >= first[id] || rest != "" && !hasFoldedAt(s, keyEnd, rest) {
			continue
		}
		first[id] = start
	}
}

// hasFoldedAt reports whether s holds rest at offset at, with ASCII
// letters folded as the automaton folds them.
func hasFoldedAt(s string, at int, rest string) bool {
	if len(s)-at < len(rest) {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c, d := s[at+i], rest[i]; c != d && LowerByte(c) != LowerByte(d) {
			return false
		}
	}
	return true
}
