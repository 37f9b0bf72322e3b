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

// TestTextTemporaryAfterGivingUp checks, over every bounce of testdata,
// that a temporary failure in a final report is never shown as a plain
// "yes": the sending server has stopped retrying it. The text lines are
// counted against the JSON records of the same run.
func TestTextTemporaryAfterGivingUp(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "bounces")
	records, _ := runJSON(t, "", "-r", dir)
	gaveUp, retrying := 0, 0
	for _, r := range records {
		if r["temporary"] != true {
			continue
		}
		if r["action"] == "failed" {
			gaveUp++
		} else {
			retrying++
		}
	}
	if gaveUp == 0 || retrying == 0 {
		t.Fatalf("testdata has %d temporary failures given up and %d still retried, want some of each", gaveUp, retrying)
	}
	for _, tc := range []struct{ lang, plain, stopped string }{
		{"en", "temporary: yes ", "temporary: yes, but the sending server has stopped retrying "},
		{"ja", "一時的：はい ", "一時的：はい（ただし送信サーバーは再試行をやめています） "},
	} {
		code, out, _ := runAll(t, nil, "-r", "-lang", tc.lang, dir)
		if code != 0 && code != 1 {
			t.Fatalf("exit status %d", code)
		}
		plain, stopped := len(grepLines(out, tc.plain)), len(grepLines(out, tc.stopped))
		if plain != retrying || stopped != gaveUp {
			t.Errorf("%s: %d plain and %d given-up temporary lines, want %d and %d", tc.lang, plain, stopped, retrying, gaveUp)
		}
	}
}
