package remedy

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unsafe"

	strlit "github.com/ndrkit/ndrkit/internal/literal"
)

// index is what a Catalogue prepares at load time so that Match reads
// the texts of a bounce only once and looks closely only at the entries
// that can apply:
//
//   - an automaton finds, in one pass, every literal string the entries
//     look for: plain tokens, and the literals that every match of a text
//     or token pattern must contain (see requiredLiterals);
//   - the entries are listed by the literals, reasons and status subjects
//     that can trigger them, so an entry none of whose triggers can match
//     is never evaluated.
//
// Entries are shared between a catalogue and the catalogues extended
// from it, so everything that numbers literals or entries lives here.
type index struct {
	ac     *strlit.Automaton
	lits   []literal
	strs   []string // the literals' text, lower case
	bstrs  [][]byte // the same as bytes
	maxKey int      // length of the longest key (see strlit.KeyLen)
	plans  []entryPlan

	// Candidates: the entries a literal, a reason or a status can
	// trigger, by entry number, in catalogue order.
	byLit     [][]int32
	byReason  map[string][]int32
	byDetail  map[[2]int][]int32 // status patterns of one subject and detail
	bySubject map[int][]int32    // status patterns of a subject with a range or any detail
	anyStatus []int32            // status patterns of a class only ("5.")
	always    []int32            // patterns without literals: always evaluated

	// willNot is the literal "will not", without which no text says that
	// retrying will not succeed (see saysNoRetry).
	willNot int32

	// separate is set when no literal holds a newline: the texts joined
	// by newlines can then be scanned one by one, each found literal
	// where one scan of the joined texts finds it (see scratch.last).
	separate bool

	pool sync.Pool // *scratch
}

// literal is one string the automaton looks for.
type literal struct {
	n int // length in bytes
	// An occurrence counts only where it is not preceded (before) or
	// followed (after) by a word byte: plain tokens are whole words, and
	// \b delimits some patterns.
	before, after bool
	// fold marks the UTF-8 forms of U+212A KELVIN SIGN and U+017F LATIN
	// SMALL LETTER LONG S: case-insensitive regexps match them for 'k'
	// and 's', so when they occur the literals cannot rule a pattern out.
	fold bool
}

// groups are literal groups in numbers: every match of a pattern
// contains a literal of each group. nil means nothing is known.
type groups [][]int32

// entryPlan is an entry's evidence in literal numbers.
type entryPlan struct {
	receivers              []int // indices into Catalogue.receivers, parallel to When.Receivers
	when, require, exclude evidencePlan
}

// evidencePlan is parallel to the lists of an evidence.
type evidencePlan struct {
	tokens   []int32  // per plain token: its literal
	patterns []groups // per token pattern
	texts    []groups // per text pattern; a literal pattern has its own literal as the only group
}

// scratch is the per-call state of Match, kept in a pool.
type scratch struct {
	facts Facts    // the facts of the call
	in    input    // the facts prepared for matching
	texts []string // Facts.Cause and Facts.Texts, when there is a cause
	buf   []byte   // the texts joined by newlines
	low   []byte   // buf in ASCII lower case, made when needed
	found []uint64 // bit set of the literals found
	first []int    // start of the first occurrence of every found literal
	fold  bool     // a literal with the fold mark was found
	cand  []uint64 // bit set of the entries to evaluate
	rcv   []uint8  // per receiver: rcvUnknown, rcvNone, rcvDomain or rcvHost

	// last is the scan of the last long text, kept for the next call: a
	// caller that explains the recipients of one bounce in turn passes
	// the same text of the bounce with each, and it is scanned once.
	last textScan
}

// textScan is what a scan of one text found: each literal with the
// start of its first occurrence in the text, and whether a literal with
// the fold mark was among them. text is kept so that its bytes cannot
// be reused for another string while the scan is kept.
type textScan struct {
	text string
	hits []textHit
	fold bool
}

type textHit struct {
	id    int32
	start int
}

// minCached is the length from which a text's scan is kept.
const minCached = 256

// Receiver hits, computed when an entry first asks for the receiver.
const (
	rcvUnknown uint8 = iota
	rcvNone
	rcvDomain
	rcvHost
)

type literalKey struct {
	s             string
	before, after bool
}

func newIndex(c *Catalogue) *index {
	x := &index{byReason: map[string][]int32{}, byDetail: map[[2]int][]int32{}, bySubject: map[int][]int32{}}
	ids := map[literalKey]int32{}
	add := func(s string, before, after, fold bool) int32 {
		k := literalKey{s, before, after}
		if id, ok := ids[k]; ok {
			return id
		}
		id := int32(len(x.lits))
		ids[k] = id
		x.lits = append(x.lits, literal{n: len(s), before: before, after: after, fold: fold})
		x.strs = append(x.strs, s)
		x.bstrs = append(x.bstrs, []byte(s))
		x.byLit = append(x.byLit, nil)
		x.maxKey = max(x.maxKey, min(len(s), strlit.KeyLen))
		return id
	}
	add("\u212a", false, false, true)
	add("\u017f", false, false, true)
	x.willNot = add("will not", false, false, false)
	lits := func(gs [][]string) groups {
		if gs == nil {
			return nil
		}
		out := make(groups, len(gs))
		for i, g := range gs {
			for _, s := range g {
				out[i] = append(out[i], add(s, false, false, false))
			}
		}
		return out
	}
	plan := func(ev *evidence) evidencePlan {
		var p evidencePlan
		for _, t := range ev.literal {
			p.tokens = append(p.tokens, add(strlit.LowerASCII(t), true, true, false))
		}
		for _, t := range ev.patterns {
			p.patterns = append(p.patterns, lits(t.lits))
		}
		for _, t := range ev.texts {
			if t.alts != nil {
				var g []int32
				for _, a := range t.alts {
					g = append(g, add(a, t.wordStart, t.wordEnd, false))
				}
				p.texts = append(p.texts, groups{g})
			} else {
				p.texts = append(p.texts, lits(t.lits))
			}
		}
		return p
	}
	note := func(list []int32, e int32) []int32 {
		if len(list) > 0 && list[len(list)-1] == e {
			return list
		}
		return append(list, e)
	}
	// An entry is a candidate when a literal of one group of a pattern
	// is found; the group with the longest shortest literal is the
	// most selective.
	noteGroups := func(g groups, e int32) {
		if g == nil {
			x.always = note(x.always, e)
			return
		}
		best := g[0]
		for _, grp := range g[1:] {
			if x.shortest(grp) > x.shortest(best) {
				best = grp
			}
		}
		for _, id := range best {
			x.byLit[id] = note(x.byLit[id], e)
		}
	}
	x.plans = make([]entryPlan, len(c.entries))
	for i, e := range c.entries {
		p := &x.plans[i]
		for _, r := range e.When.Receivers {
			p.receivers = append(p.receivers, c.receiverIdx[r])
		}
		p.when = plan(&e.when)
		p.require = plan(&e.require)
		p.exclude = plan(&e.exclude)

		n := int32(i)
		for _, id := range p.when.tokens {
			x.byLit[id] = note(x.byLit[id], n)
		}
		for _, g := range p.when.patterns {
			noteGroups(g, n)
		}
		for _, g := range p.when.texts {
			noteGroups(g, n)
		}
		for _, r := range e.when.reasons {
			x.byReason[r] = note(x.byReason[r], n)
		}
		for _, s := range e.when.statuses {
			switch k := [2]int{s.subject, s.lo}; {
			case s.subject < 0:
				x.anyStatus = note(x.anyStatus, n)
			case s.lo >= 0 && s.lo == s.hi:
				x.byDetail[k] = note(x.byDetail[k], n)
			default:
				x.bySubject[s.subject] = note(x.bySubject[s.subject], n)
			}
		}
	}
	// The automaton finds the literals' keys; hit compares the rest.
	x.ac = strlit.NewAutomaton(x.strs)
	x.separate = !slices.ContainsFunc(x.strs, func(s string) bool { return strings.ContainsRune(s, '\n') })
	nrcv, nent := len(c.receivers), len(c.entries)
	x.pool.New = func() any {
		return &scratch{
			found: make([]uint64, (len(x.lits)+63)/64),
			first: make([]int, len(x.lits)),
			cand:  make([]uint64, (nent+63)/64),
			rcv:   make([]uint8, nrcv),
		}
	}
	return x
}

// shortest returns the length of the shortest literal of g.
func (x *index) shortest(g []int32) int {
	n := -1
	for _, id := range g {
		if n < 0 || x.lits[id].n < n {
			n = x.lits[id].n
		}
	}
	return n
}

// scan runs the automaton over buf and records in sc every literal found
// with the start of its first occurrence (see strlit.Scan).
func (x *index) scan(buf []byte, sc *scratch) {
	x.scanAt(buf, 0, sc)
}

// scanAt is scan for buf at offset off of the text whose literals sc
// records.
func (x *index) scanAt(buf []byte, off int, sc *scratch) {
	strlit.Scan(x.ac, buf, func(row int32, keyEnd int) { x.hit(buf, off, row, keyEnd, sc) })
}

// scanTexts records in sc the literals of texts, which sc.buf holds
// joined by newlines, as scan(sc.buf) does. With x.separate, each text
// is scanned on its own and a text that is the one sc.last was made of
// is not scanned again: a literal without a newline lies within one
// text, and a newline, like the start and end of a text, is no word
// byte.
func (x *index) scanTexts(texts []string, sc *scratch) {
	if !x.separate {
		x.scan(sc.buf, sc)
		return
	}
	// The long text first, into an empty record, so that what the
	// record then holds is that text's scan.
	off, long := 0, -1
	for i, t := range texts {
		if len(t) >= minCached && (long < 0 || len(t) > len(texts[long])) {
			long = i
		}
	}
	if long >= 0 {
		for _, t := range texts[:long] {
			off += len(t) + 1
		}
		t := texts[long]
		if last := &sc.last; len(last.text) == len(t) && unsafe.StringData(last.text) == unsafe.StringData(t) {
			for _, h := range last.hits {
				sc.found[h.id>>6] |= 1 << (h.id & 63)
				sc.first[h.id] = off + h.start
			}
			sc.fold = last.fold
		} else {
			x.scanAt(sc.buf[off:off+len(t)], off, sc)
			last.text, last.hits, last.fold = t, last.hits[:0], sc.fold
			for w, set := range sc.found {
				for ; set != 0; set &= set - 1 {
					id := int32(w*64 + bits.TrailingZeros64(set))
					last.hits = append(last.hits, textHit{id, sc.first[id] - off})
				}
			}
		}
	}
	off = 0
	for i, t := range texts {
		if i != long {
			x.scanAt(sc.buf[off:off+len(t)], off, sc)
		}
		off += len(t) + 1
	}
}

// hit records the literals whose keys end at keyEnd in the state of row.
// A literal longer than its key counts where the rest follows, ASCII
// letters folded as the automaton folds them. A word literal counts only
// where it is not preceded or followed by a word byte. Pieces are
// scanned in step, so a later occurrence may be seen first.
func (x *index) hit(buf []byte, off int, row int32, keyEnd int, sc *scratch) {
	for _, id := range x.ac.Outs[row/x.ac.Width] {
		l := &x.lits[id]
		start := keyEnd - min(l.n, strlit.KeyLen)
		end := start + l.n
		if l.n > strlit.KeyLen && (end > len(buf) || !equalFoldASCII(buf[start+strlit.KeyLen:end], x.bstrs[id][strlit.KeyLen:])) {
			continue
		}
		w, bit := id>>6, uint64(1)<<(id&63)
		if sc.found[w]&bit != 0 && sc.first[id] <= off+start {
			continue
		}
		if l.before && start > 0 && isWordByte(buf[start-1]) || l.after && end < len(buf) && isWordByte(buf[end]) {
			continue
		}
		sc.found[w] |= bit
		sc.first[id] = off + start
		sc.fold = sc.fold || l.fold
	}
}

// equalFoldASCII reports whether a and b are equal with ASCII letters
// folded; other bytes must be the same.
func equalFoldASCII(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i, c := range a {
		if d := b[i]; c != d && strlit.LowerByte(c) != strlit.LowerByte(d) {
			return false
		}
	}
	return true
}
