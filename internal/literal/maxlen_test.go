package literal

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"testing"
)

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

// TestMaxLenReference checks MaxLen against the two bounds it replaced,
// recorded in testdata/maxlen.txt for the catalogue's texts, the
// phrasebook's expressions and their parts: the catalogue's exactly, and
// for any text never looser than the inner-literal searches' bound (and
// bounded wherever that was).
func TestMaxLenReference(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "maxlen.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSuffix(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) != 3 {
			t.Fatalf("bad line %q", line)
		}
		catalogue, err1 := strconv.Atoi(f[0])
		phrase, err2 := strconv.Atoi(f[1])
		tree, err3 := syntax.Parse(f[2], syntax.Perl)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if got := MaxLen(tree, true); got != catalogue {
			t.Errorf("MaxLen(%q, true) = %d, the catalogue's bound %d", f[2], got, catalogue)
		}
		if got := MaxLen(tree, false); phrase >= 0 && (got < 0 || got > phrase) {
			t.Errorf("MaxLen(%q, false) = %d, looser than the former bound %d", f[2], got, phrase)
		}
		n++
	}
	if n < 1000 {
		t.Errorf("only %d reference expressions", n)
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

// FuzzMaxLen checks that MaxLen bounds the matches of arbitrary
// expressions in arbitrary texts.
func FuzzMaxLen(f *testing.F) {
	for _, expr := range maxLenExprs {
		f.Add(expr, "550 5.1.1 user unknown \u212a ü xxxxx")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 64 || len(text) > 256 {
			return
		}
		checkBound(t, expr, text)
	})
}
