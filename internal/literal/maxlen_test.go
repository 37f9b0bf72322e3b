package literal

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The two functions that MaxLen replaces, kept here as they were to test
// MaxLen against: the catalogue's bound (remedy), for texts without
// U+212A and U+017F, and the bound of the phrase searches (textmatch),
// for any text.

func catalogueMaxBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if r < utf8.RuneSelf {
				n++
				continue
			}
			m := runeLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					m = max(m, runeLen(f))
				}
			}
			n += m
		}
		return n
	case syntax.OpCharClass:
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo == hi && (lo == '\u212a' || lo == '\u017f') {
				continue
			}
			n = max(n, runeLen(hi))
		}
		return n
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return catalogueMaxBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if catalogueMaxBytes(re.Sub[0]) == 0 {
			return 0
		}
	case syntax.OpRepeat:
		m := catalogueMaxBytes(re.Sub[0])
		switch {
		case m == 0:
			return 0
		case m > 0 && re.Max >= 0:
			return m * re.Max
		}
	case syntax.OpConcat, syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			m := catalogueMaxBytes(sub)
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

func phraseMaxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				n += utf8.UTFMax
			}
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return phraseMaxLen(re.Sub[0])
	case syntax.OpRepeat:
		if n := phraseMaxLen(re.Sub[0]); n >= 0 && re.Max >= 0 {
			return n * re.Max
		}
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, sub := range re.Sub {
			n := phraseMaxLen(sub)
			if n < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return -1
}

// maxLenExprs are expressions of the shapes the catalogue and the
// phrasebook use, and the corners of the bound: folding, classes with
// the two non-ASCII letters that fold to ASCII ones, repeats of empty
// and bounded parts, assertions.
var maxLenExprs = []string{
	`user unknown`, `mailbox (?:is )?full`, `\bspf\b.*fail`, `(?:^|\s)5\.1\.1\b`,
	`[a-z]+ does not exist`, `host (\S+) said:`, `\d{3} `, `x{2,5}`, `(?:ab){3}`, `(?:\b)*x`,
	`(?:)+`, `a{0}`, `[^a]`, `.`, `(?s).`, `k`, `[k]`, `ü`, `メール`, `[ａ-ｚ]{2}`, `\x{10000}`,
	`(?:a|bcd|ü)`, `$`, `^$`, `\B`, `(?:x|)y`, `[\x{212a}]`, `[\x{17f}]`, `(?:ab)?c`, `[^\n]{1,3}`,
}

// checkMaxLen checks MaxLen for one expression against the two bounds it
// replaces: the catalogue's exactly, and for any text never looser than
// the phrase searches' bound (and bounded whenever that was).
func checkMaxLen(t *testing.T, expr string) {
	t.Helper()
	for _, e := range []string{expr, "(?i)" + expr} {
		tree, err := syntax.Parse(e, syntax.Perl)
		if err != nil {
			continue
		}
		if got, want := MaxLen(tree, true), catalogueMaxBytes(tree); got != want {
			t.Errorf("MaxLen(%q, true) = %d, the catalogue's bound %d", e, got, want)
		}
		got, old := MaxLen(tree, false), phraseMaxLen(tree)
		if old >= 0 && (got < 0 || got > old) {
			t.Errorf("MaxLen(%q, false) = %d, looser than the phrase bound %d", e, got, old)
		}
	}
}

// checkBound checks that no match of expr in text spans more than MaxLen:
// with asciiOnly only on texts without U+212A and U+017F.
func checkBound(t *testing.T, expr, text string) {
	t.Helper()
	for _, e := range []string{expr, "(?i)" + expr} {
		tree, err := syntax.Parse(e, syntax.Perl)
		if err != nil {
			continue
		}
		re := regexp.MustCompile(e)
		bounds := []int{MaxLen(tree, false)}
		if !strings.ContainsAny(text, "\u212a\u017f") {
			bounds = append(bounds, MaxLen(tree, true))
		}
		for _, loc := range re.FindAllStringIndex(text, -1) {
			for _, n := range bounds {
				if n >= 0 && loc[1]-loc[0] > n {
					t.Errorf("%q matches %q in %q, more than its bound %d", e, text[loc[0]:loc[1]], text, n)
				}
			}
		}
	}
}

func TestMaxLen(t *testing.T) {
	for _, expr := range maxLenExprs {
		checkMaxLen(t, expr)
	}
	texts := []string{"", "550 5.1.1 user unknown", "MAILBOX IS FULL", "spf check: fail", "xxxxxxx", "ababab c",
		"ü Ü メール", "\u212a\u017f K s", "ｑｗ", "\U00010000", "host mx.example.com said: 550", "abc\n\n12 "}
	for _, expr := range maxLenExprs {
		for _, text := range texts {
			checkBound(t, expr, text)
		}
	}
	cases := []struct {
		expr      string
		asciiOnly bool
		want      int
	}{
		{`user unknown`, false, 12},
		{`(?i)k`, true, 1},
		{`(?i)k`, false, 3},
		{`(?i)s`, false, 2},
		{`[a-z]+`, false, -1},
		{`\bx{2,5}\b`, true, 5},
		{`(?:\b)*x`, false, 1},
		{`[^a]`, true, 4},
		{`メール|x`, true, 9},
	}
	for _, c := range cases {
		tree, err := syntax.Parse(c.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := MaxLen(tree, c.asciiOnly); got != c.want {
			t.Errorf("MaxLen(%q, %v) = %d, want %d", c.expr, c.asciiOnly, got, c.want)
		}
	}
}

// FuzzMaxLen checks MaxLen against the bounds it replaces, and that it
// bounds the matches, on arbitrary expressions and texts.
func FuzzMaxLen(f *testing.F) {
	for _, expr := range maxLenExprs {
		f.Add(expr, "550 5.1.1 user unknown \u212a ü xxxxx")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 64 || len(text) > 256 {
			return
		}
		checkMaxLen(t, expr)
		checkBound(t, expr, text)
	})
}
