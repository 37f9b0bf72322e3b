package textmatch

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// SubmatchIf returns re.FindStringSubmatch(s) when ok, nil otherwise:
// ok is a cheap test that every match of re passes.
func SubmatchIf(ok bool, re *regexp.Regexp, s string) []string {
	if !ok {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// MatchFrom returns the submatch offsets in text of the first match of
// re in text[from:], or nil; from < 0 gives nil. The caller knows that
// no match of re in text starts before from and that re has no "^" or
// "\b" that the cut would change, other than a multi-line "^" at a line
// start.
func MatchFrom(re *regexp.Regexp, text string, from int) []int {
	if from < 0 {
		return nil
	}
	loc := re.FindStringSubmatchIndex(text[from:])
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += from
		}
	}
	return loc
}

// FindAllFrom is re.FindAllStringSubmatchIndex(text, n) for a pattern
// with no "^" or "\b" whose every match begins with one of literals, in
// lower-case ASCII, which re matches ignoring case: each search starts
// where the next of them is, not where the last match ended, and none
// runs once none is left. A text holding a non-ASCII letter that folds
// to an ASCII one, which the literals would miss, is matched as a whole.
func FindAllFrom(re *regexp.Regexp, text string, n int, literals ...string) [][]int {
	return findAllWith(re, text, n, literals, func(k, _ int) int { return k })
}

// FindAllFromLines is findAllFrom for a multi-line pattern "^..." or
// "^\s*..." whose every match holds one of literals on the line of its
// first non-blank character: each search starts at the first line start
// after the last match and before the blank lines that precede the next
// literal.
func FindAllFromLines(re *regexp.Regexp, text string, n int, literals ...string) [][]int {
	return findAllWith(re, text, n, literals, func(k, pos int) int {
		if pos > 0 && text[pos-1] != '\n' {
			// The next line start, if there is one.
			nl := strings.IndexByte(text[pos:], '\n')
			if nl < 0 {
				return -1
			}
			pos += nl + 1
		}
		return max(pos, textutil.BlankStart(text, k))
	})
}

// findAllWith runs the searches of findAllFrom and findAllFromLines:
// start gives where to search for a match holding the literal found at
// k when the last match ended at pos, or -1 when no match can follow.
func findAllWith(re *regexp.Regexp, text string, n int, literals []string, start func(k, pos int) int) [][]int {
	if textutil.HasASCIIFold(text) {
		return re.FindAllStringSubmatchIndex(text, n)
	}
	var out [][]int
	next := textutil.NewNextPlaces(len(literals))
	for pos := 0; pos < len(text) && (n < 0 || len(out) < n); {
		k := next.Earliest(pos, func(i, from int) int { return textutil.IndexLower(text[from:], literals[i]) })
		if k < 0 {
			break
		}
		loc := MatchFrom(re, text, start(k, pos))
		if loc == nil {
			break
		}
		out = append(out, loc)
		pos = loc[1]
	}
	return out
}

// FirstFrom is re.FindStringSubmatchIndex(text) for a pattern that
// findAllFrom takes.
func FirstFrom(re *regexp.Regexp, text string, literals ...string) []int {
	return first(FindAllFrom(re, text, 1, literals...))
}

// FirstFromLines is re.FindStringSubmatchIndex(text) for a pattern that
// findAllFromLines takes.
func FirstFromLines(re *regexp.Regexp, text string, literals ...string) []int {
	return first(FindAllFromLines(re, text, 1, literals...))
}

// first returns the first of locs, or nil.
func first(locs [][]int) []int {
	if len(locs) == 0 {
		return nil
	}
	return locs[0]
}

// MatchBlankLines is matchFrom(re, text, blankStart(text, k)), k the
// first offset of marker in low (text lower-cased with the same
// offsets), for a multi-line pattern "^\s*X\s*$" (or "^X\s*$") where X
// matches two or more characters within one line and holds marker. For
// each line that holds marker, in turn, the pattern runs on the text from
// the blank lines before it up to and including the first non-blank
// character after it: a match whose X is on that line lies there, and
// nothing the matcher reads there differs from the whole text. A text
// holding a non-ASCII letter that folds to an ASCII one, which the
// marker search would miss, is matched from the first marker on.
func MatchBlankLines(re *regexp.Regexp, text, low, marker string) []int {
	if textutil.HasASCIIFold(text) {
		return MatchFrom(re, text, textutil.BlankStart(text, strings.Index(low, marker)))
	}
	for start, end := range textutil.MarkedLines(text, low, marker) {
		from := textutil.BlankStart(text, start)
		p := end
		for p < len(text) && strings.IndexByte("\t\n\f\r ", text[p]) >= 0 {
			p++
		}
		if p == len(text) {
			return MatchFrom(re, text, from)
		}
		if loc := matchIn(re, text, from, p+1); loc != nil {
			return loc
		}
	}
	return nil
}

// LineMatches returns the submatch offsets of every match of re on the
// lines of text that hold marker, for a pattern written for one line
// ("^...$", anchored at the line's start and end, nothing that takes a
// line break): what re in multi-line mode finds in the whole text,
// re.FindAllStringSubmatchIndex(text, -1), but without trying re at every
// offset of every line.
func LineMatches(re *regexp.Regexp, text, marker string) [][]int {
	var out [][]int
	for start, end := range textutil.MarkedLines(text, text, marker) {
		if loc := matchIn(re, text, start, end); loc != nil {
			out = append(out, loc)
		}
	}
	return out
}

// matchIn returns the submatch offsets in text of the first match of re
// in text[start:end], or nil.
func matchIn(re *regexp.Regexp, text string, start, end int) []int {
	loc := re.FindStringSubmatchIndex(text[start:end])
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += start
		}
	}
	return loc
}

// LineMatch returns the submatch offsets of the first match of re on the
// lines of text that hold one of markers, for a pattern written for one
// line ("^" and "$" the line's start and end; no "\s" or other class
// that takes a line break) whose matches always contain a marker: what
// re in multi-line mode finds in the whole text with
// FindStringSubmatchIndex. low is text lower-cased with the same
// offsets, or text itself for case-sensitive markers.
func LineMatch(re *regexp.Regexp, text, low string, markers ...string) []int {
	for start, end := range textutil.MarkedLines(text, low, markers...) {
		if loc := matchIn(re, text, start, end); loc != nil {
			return loc
		}
	}
	return nil
}

// LineSubmatch is lineMatch with one case-sensitive marker, giving the
// submatches.
func LineSubmatch(re *regexp.Regexp, text, marker string) []string {
	return Submatches(text, LineMatch(re, text, text, marker))
}

// LineSubmatches is lineMatches giving the submatches.
func LineSubmatches(re *regexp.Regexp, text, marker string) [][]string {
	var out [][]string
	for _, loc := range LineMatches(re, text, marker) {
		out = append(out, Submatches(text, loc))
	}
	return out
}

// HeadAndRest is re.FindStringSubmatch(s) for re followed by `\s*(.*)$`,
// where re matches at the start of s only, in one way: the text after the
// match of re and the blanks that follow it is the last submatch, when
// it holds no line break. The long rest is not run through the matcher.
func HeadAndRest(re *regexp.Regexp, s string) []string {
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return nil
	}
	rest := strings.TrimLeft(s[loc[1]:], "\t\n\f\r ")
	if strings.Contains(rest, "\n") {
		return nil
	}
	sm := Submatches(s, loc)
	sm[0] = s
	return append(sm, rest)
}

// Submatches turns submatch offsets in text into the submatches, as
// FindStringSubmatch gives them; nil gives nil.
func Submatches(text string, loc []int) []string {
	if loc == nil {
		return nil
	}
	sm := make([]string, len(loc)/2)
	for i := range sm {
		if loc[2*i] >= 0 {
			sm[i] = text[loc[2*i]:loc[2*i+1]]
		}
	}
	return sm
}

// AfterMatch returns the text between the end of match i of locs (from a
// FindAll...Index call on text) and the start of the next match, or the
// end of text after the last.
func AfterMatch(text string, locs [][]int, i int) string {
	if i+1 < len(locs) {
		return text[locs[i][1]:locs[i+1][0]]
	}
	return text[locs[i][1]:]
}
