package remedy

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// glossaryJA is the Japanese glossary of the catalogue: each concept has
// one word, and the words a helpdesk might otherwise mix up are refused.
var glossaryJA = []struct {
	concept string
	use     string   // the word to use
	avoid   []string // words that must not appear in any ja text
}{
	{"the sending server's automatic retry", "再試行", nil},
	{"the user's resending of the message", "送り直し", nil},
	{"either of the two above, ambiguous", "", []string{"再送"}},
	{"the bounce notice", "不達通知", []string{"エラーメール", "バウンスメール", "エラー通知", "不達メール"}},
	{"the person who sent the message", "送信者", []string{"差出人"}},
	{"the receiving side (recipient's servers and provider)", "受信側", []string{"受信者側", "宛先側", "受信サイド"}},
	{"a block list", "ブロックリスト", []string{"ブラックリスト", "拒否リスト"}},
}

// Limits for text read aloud: a gist is one short line and a summary a
// few sentences.
const (
	maxGistJA, maxGistEN       = 60, 120
	maxSummaryJA, maxSummaryEN = 220, 480
)

// jaTexts returns every Japanese text of the entry with its field name.
func jaTexts(e *Entry) map[string]string {
	t := e.Text["ja"]
	out := map[string]string{
		"gist": t.Gist, "title": t.Title, "summary": t.Summary,
		"retry.delayed": t.Retry.Delayed, "retry.expired": t.Retry.Expired, "retry.permanent": t.Retry.Permanent,
	}
	for i, s := range t.Steps {
		out["steps["+string(rune('0'+i))+"]"] = s.Text
	}
	return out
}

func TestGlossaryJA(t *testing.T) {
	words := map[string]string{}
	for _, k := range []string{string(RetryWait), string(RetryAfterFix), string(RetryNever), "retry.expired", "retry.none", "retry.delayed", "retry.until", "h.retry"} {
		words["label "+k] = labels["ja"][k]
	}
	for _, e := range Default().Entries() {
		for f, s := range jaTexts(e) {
			words[e.ID+" "+f] = s
		}
	}
	for where, s := range words {
		for _, g := range glossaryJA {
			for _, bad := range g.avoid {
				if strings.Contains(s, bad) {
					t.Errorf("%s: %q for %s; the glossary says %q", where, bad, g.concept, g.use)
				}
			}
		}
	}
	// The retry texts use the glossary's words for the two actions.
	for _, e := range Default().Entries() {
		r := e.Text["ja"].Retry
		if len(e.When.Reasons) > 0 && !slices.ContainsFunc(e.When.Reasons, func(r string) bool { return !NotFailure(r) }) {
			continue // DecideRetry gives only the permanent case
		}
		if !strings.Contains(r.Expired, "再試行") || !strings.Contains(r.Expired, "送り直") {
			t.Errorf("%s: the expired text should say that 再試行 stopped and when to 送り直す: %q", e.ID, r.Expired)
		}
	}
}

func TestReadAloudLengths(t *testing.T) {
	for _, e := range Default().Entries() {
		for lang, lim := range map[string][2]int{"ja": {maxGistJA, maxSummaryJA}, "en": {maxGistEN, maxSummaryEN}} {
			tx := e.Text[lang]
			if n := utf8.RuneCountInString(tx.Gist); n > lim[0] {
				t.Errorf("%s/%s: gist of %d characters, more than %d: %q", e.ID, lang, n, lim[0], tx.Gist)
			}
			if n := utf8.RuneCountInString(tx.Summary); n > lim[1] {
				t.Errorf("%s/%s: summary of %d characters, more than %d", e.ID, lang, n, lim[1])
			}
		}
	}
}
