package remedy

import (
	"bytes"
	"strconv"
)

// from returns the earliest place in the joined texts where a match
// needing the literal groups g can start, as far as the literals tell:
// the latest of the groups' first occurrences. It reports false when a
// group has no literal in the texts, so that nothing can match.
func (in *input) from(g groups) (int, bool) {
	from := 0
	for _, grp := range g {
		first := -1
		for _, id := range grp {
			if in.found(id) && (first < 0 || in.sc.first[id] < first) {
				first = in.sc.first[id]
			}
		}
		if first < 0 {
			return 0, false
		}
		from = max(from, first)
	}
	return from, true
}

// findToken returns where the token of the first match of p is.
func (in *input) findToken(p *tokenPattern, g groups) (a, b int, ok bool) {
	if !in.exact {
		if _, ok := in.from(g); !ok {
			return 0, 0, false
		}
	}
	loc := p.re.FindSubmatchIndex(in.sc.buf)
	if loc == nil || loc[2] < 0 {
		return 0, 0, false
	}
	return loc[2], loc[3], true
}

// findText returns the leftmost match of t in the joined texts.
//
// A pattern that matches a few strings (see alternatives) matches the
// first of them that occurs where the earliest occurrence is.
//
// A line-local pattern's match lies inside one line, and contains a
// literal of every group; so the lines to search are those with a
// literal of one group, the anchor, in order. Within a line, a match
// that contains an anchor literal at or after o starts at or after
// o + (the anchor's shortest literal) - maxLen. The search starts there
// when the byte before tells the pattern the same as the start of the
// searched text does (see safeStart), else at the start of the line; a
// line starts after a newline, which is what the start of the text means
// for ^ in multi-line mode and for \b. So the result is the same as on
// the whole text.
func (in *input) findText(t *textPattern, g groups) (a, b int, ok bool) {
	buf := in.sc.buf
	if in.exact || g == nil {
		return find(t, buf, 0, len(buf))
	}
	anchor, o, minLen := in.anchor(g)
	switch {
	case anchor < 0:
		return 0, 0, false
	case t.alts != nil:
		// The first alternative, in the order of preference, that occurs
		// where the earliest occurrence is.
		for _, id := range g[0] {
			if in.found(id) && in.sc.first[id] == o {
				return o, o + in.x.lits[id].n, true
			}
		}
	case !t.line:
		return find(t, buf, 0, len(buf))
	}
	for {
		start := bytes.LastIndexByte(buf[:o], '\n') + 1
		end := len(buf)
		if k := bytes.IndexByte(buf[o:], '\n'); k >= 0 {
			end = o + k
		}
		p := start
		if t.maxLen >= 0 && !t.beginLine {
			p = safeStart(t, buf, min(o, o+minLen-t.maxLen), start)
		}
		if a, b, ok := find(t, buf, p, end); ok {
			return a, b, true
		}
		if end == len(buf) {
			return 0, 0, false
		}
		if o = in.next(g[anchor], end+1); o < 0 {
			return 0, 0, false
		}
	}
}

func find(t *textPattern, buf []byte, from, to int) (a, b int, ok bool) {
	if loc := t.re.FindIndex(buf[from:to]); loc != nil {
		return from + loc[0], from + loc[1], true
	}
	return 0, 0, false
}

// safeStart returns the latest place at or before p, and not before the
// line start, from which t can be searched as if from the line start: a
// rune starts there, and for \b and \B the byte before is not a word
// byte (the start of a text counts as a non-word character).
func safeStart(t *textPattern, buf []byte, p, line int) int {
	for ; p > line; p-- {
		if buf[p]&0xc0 != 0x80 && (!t.boundary || !isWordByte(buf[p-1])) {
			return p
		}
	}
	return line
}

// anchor checks that every group has a literal in the texts and chooses
// the anchor group: the one that puts the earliest possible match start
// (first occurrence plus shortest literal) latest. It returns the
// group's index (-1 when a group has no literal in the texts), its first
// occurrence and its shortest literal's length.
func (in *input) anchor(g groups) (anchor, first, minLen int) {
	anchor = -1
	for i, grp := range g {
		fo, n := -1, -1
		for _, id := range grp {
			if in.found(id) && (fo < 0 || in.sc.first[id] < fo) {
				fo = in.sc.first[id]
			}
			if l := in.x.lits[id].n; n < 0 || l < n {
				n = l
			}
		}
		if fo < 0 {
			return -1, 0, 0
		}
		if anchor < 0 || fo+n > first+minLen {
			anchor, first, minLen = i, fo, n
		}
	}
	return anchor, first, minLen
}

// next returns the first occurrence at or after from of a literal of
// grp, or -1.
func (in *input) next(grp []int32, from int) int {
	sc := in.sc
	if len(sc.low) != len(sc.buf) {
		sc.low = append(sc.low[:0], sc.buf...)
		for i, c := range sc.low {
			if 'A' <= c && c <= 'Z' {
				sc.low[i] = c + 'a' - 'A'
			}
		}
	}
	best := -1
	for _, id := range grp {
		if !in.found(id) {
			continue
		}
		if k := bytes.Index(sc.low[from:], in.x.bstrs[id]); k >= 0 && (best < 0 || from+k < best) {
			best = from + k
		}
	}
	return best
}

// textTrigger returns the trigger for matched text: "text " and the text
// quoted, with runs of white space made one space and clipped to 80
// runes. Most matches are short printable ASCII with single spaces, which
// need nothing of that.
func textTrigger(b []byte) string {
	const most = 80
	plain := len(b) <= most && len(b) > 0 && b[0] != ' ' && b[len(b)-1] != ' '
	for i := 0; plain && i < len(b); i++ {
		c := b[i]
		plain = c > ' ' && c < 0x7f && c != '"' && c != '\\' || c == ' ' && b[i+1] != ' '
	}
	if plain {
		return "text \"" + string(b) + "\""
	}
	return "text " + strconv.Quote(clip(string(b), most))
}
