package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTextJapaneseEveryBounce reads every bounce of testdata with -lang
// ja: each labelled line has a Japanese label, and each recipient with an
// explanation shows its gist first.
func TestTextJapaneseEveryBounce(t *testing.T) {
	code, out, _ := runAll(t, nil, "-r", "-lang", "ja", filepath.Join("..", "..", "testdata", "bounces"))
	if code != 0 && code != 1 {
		t.Fatalf("exit status %d", code)
	}
	label := regexp.MustCompile(`^   ([^ ：:"]+)[：:]`)
	latin := regexp.MustCompile(`[A-Za-z]`)
	lines := strings.Split(out, "\n")
	recipients, gists := 0, 0
	for i, l := range lines {
		if m := label.FindStringSubmatch(l); m != nil && latin.MatchString(m[1]) {
			t.Errorf("label in English: %q", l)
		}
		if strings.HasPrefix(l, "-> ") {
			recipients++
			if strings.HasPrefix(lines[i+1], "   要点：") {
				gists++
			}
		}
	}
	if recipients < 100 {
		t.Fatalf("only %d recipients read", recipients)
	}
	// Every recipient with an explanation has a gist; those without
	// one (deliveries, automatic replies) are few.
	if gists < recipients*9/10 {
		t.Errorf("%d of %d recipients show a gist first", gists, recipients)
	}
}
