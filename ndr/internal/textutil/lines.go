package textutil

import (
	"iter"
	"strings"
)

// BlankStart returns where to start matching a multi-line pattern of the
// form "^\s*..." whose matches hold, on the line of their first non-blank
// character, a marker first found at offset k (k < 0 gives -1): the
// start of the blank lines before that line, where the earliest match
// can begin.
func BlankStart(text string, k int) int {
	if k < 0 {
		return -1
	}
	ls := strings.LastIndexByte(text[:k], '\n') + 1
	w := ls
	for w > 0 && strings.IndexByte("\t\n\f\r ", text[w-1]) >= 0 {
		w--
	}
	if w == 0 {
		return 0
	}
	// The first line start at or after w; text[ls-1] is a line break.
	return w + strings.IndexByte(text[w:ls], '\n') + 1
}

// MarkedLines yields the start and the end (the line break or the end of
// text) of every line of text, in order, where low holds one of markers.
// low is text lower-cased with the same offsets, or text itself for
// case-sensitive markers.
func MarkedLines(text, low string, markers ...string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		next := NewNextPlaces(len(markers))
		for off := 0; off < len(text); {
			k := next.Earliest(off, func(i, from int) int { return strings.Index(low[from:], markers[i]) })
			if k < 0 {
				return
			}
			start, end := lineAt(text, k)
			if !yield(start, end) {
				return
			}
			off = end + 1
		}
	}
}

// NextPlaces remembers, for each of several strings searched for in one
// text, the place of its next occurrence, so that a scan that asks again
// and again for the earliest one from a growing offset searches the text
// for each string once in all.
type NextPlaces []int

// NewNextPlaces returns places for n strings, none searched for yet.
func NewNextPlaces(n int) NextPlaces {
	p := make(NextPlaces, n)
	for i := range p {
		p[i] = -2
	}
	return p
}

// Earliest returns the smallest place at or after from of any of the
// strings, or -1. search(i, from) returns the offset of string i in the
// text from from on, relative to from, or -1. from must not decrease
// from call to call.
func (p NextPlaces) Earliest(from int, search func(i, from int) int) int {
	k := -1
	for i, at := range p {
		if at == -2 || at >= 0 && at < from {
			at = search(i, from)
			if at >= 0 {
				at += from
			}
			p[i] = at
		}
		if at >= 0 && (k < 0 || at < k) {
			k = at
		}
	}
	return k
}

// FirstLineWhere returns the start and the end of the first line of text
// that holds one of markers, as markedLines finds them, and passes is,
// or -1, -1.
func FirstLineWhere(text, low string, is func(line string) bool, markers ...string) (int, int) {
	for start, end := range MarkedLines(text, low, markers...) {
		if is(text[start:end]) {
			return start, end
		}
	}
	return -1, -1
}

// lineAt returns the offsets of the start and of the end of the line of
// text that holds offset k.
func lineAt(text string, k int) (int, int) {
	start := strings.LastIndexByte(text[:k], '\n') + 1
	end := len(text)
	if e := strings.IndexByte(text[k:], '\n'); e >= 0 {
		end = k + e
	}
	return start, end
}

// LineIndent returns the number of leading blanks of a line, a tab
// counting as eight.
func LineIndent(l string) int {
	n := 0
	for _, c := range l {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 8
		default:
			return n
		}
	}
	return n
}

// CutLine splits text at its first line feed; end is set when text has
// none, and line is then the whole text.
func CutLine(text string) (line, rest string, end bool) {
	line, rest, found := strings.Cut(text, "\n")
	return line, rest, !found
}

// LineEnd returns the offset of the line feed ending the line that starts
// at i, or len(s).
func LineEnd(s string, i int) int {
	if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(s)
}
