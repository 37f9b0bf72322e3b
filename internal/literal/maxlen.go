package literal

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// MaxLen returns the most bytes a match of re can span, or -1 when there
// is no bound. Empty-width assertions span nothing.
//
// Under case folding two non-ASCII letters match ASCII ones: U+212A
// KELVIN SIGN matches "k" and U+017F LATIN SMALL LETTER LONG S matches
// "s", each in more bytes than the letter. With asciiOnly the bound holds
// for texts in which neither occurs (a caller that sets it treats such
// texts apart): a folded ASCII letter then spans one byte, and a class
// range of one of those two letters alone, which folding added to the
// class of its ASCII letter, spans nothing. Without it the bound holds
// for any text.
func MaxLen(re *syntax.Regexp, asciiOnly bool) int {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += runeBytes(r, re.Flags&syntax.FoldCase != 0, asciiOnly)
		}
		return n
	case syntax.OpCharClass:
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if asciiOnly && lo == hi && (lo == '\u212a' || lo == '\u017f') {
				continue
			}
			n = max(n, runeLen(hi))
		}
		return n
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return MaxLen(re.Sub[0], asciiOnly)
	case syntax.OpStar, syntax.OpPlus:
		if MaxLen(re.Sub[0], asciiOnly) == 0 {
			return 0
		}
	case syntax.OpRepeat:
		m := MaxLen(re.Sub[0], asciiOnly)
		switch {
		case m == 0:
			return 0
		case m > 0 && re.Max >= 0:
			return m * re.Max
		}
	case syntax.OpConcat, syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			m := MaxLen(sub, asciiOnly)
			if m < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				n += m
			} else {
				n = max(n, m)
			}
		}
		return n
	}
	return -1
}

// runeBytes returns the most bytes r matches, with case folding if fold;
// asciiOnly as for MaxLen.
func runeBytes(r rune, fold, asciiOnly bool) int {
	if r < utf8.RuneSelf && (!fold || asciiOnly) {
		return 1
	}
	n := runeLen(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			n = max(n, runeLen(f))
		}
	}
	return n
}

// runeLen is the UTF-8 length of r, and at least that of any smaller
// rune.
func runeLen(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	}
	return 4
}
