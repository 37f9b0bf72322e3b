package remedy

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Words a translation keeps as written: numbers and status codes of
// two characters or more (5.7.520, 587, 24), and names in capitals
// (SPF, DKIM, PTR). Single digits are left out, since a text may spell
// a small count as a word.
var (
	numberWord = regexp.MustCompile(`[0-9][0-9.,]*[0-9]`)
	nameWord   = regexp.MustCompile(`\b[A-Z][A-Z0-9]+\b`)
)

// emphasis lists capitalised English words that are not names.
var emphasis = []string{"NOT"}

// words returns the sorted, distinct matches of re in s, with thousands
// separators removed.
func words(re *regexp.Regexp, s string) []string {
	var out []string
	for _, w := range re.FindAllString(s, -1) {
		if !slices.Contains(emphasis, w) {
			out = append(out, strings.ReplaceAll(w, ",", ""))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// translated lists the Japanese words that stand for an English name in
// capitals, by the glossary (NDR is 不達通知), by the actor labels (the
// DNS administrator is 送信側の管理者) or by common usage.
var translated = map[string][]string{
	"NDR":   {"不達通知"},
	"DNS":   {"逆引き", "送信側の管理者"},
	"AUTH":  {"認証"},
	"JAPAN": {"Yahoo!メール"},
	"LY":    {"LINEヤフー"},
}

// missing returns the names of en that the Japanese text ja neither
// writes (also inside a longer word, as in 20MB) nor translates.
func missing(en []string, ja string) []string {
	var out []string
	for _, w := range en {
		if strings.Contains(ja, w) || slices.ContainsFunc(translated[w], func(t string) bool { return strings.Contains(ja, t) }) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// The Japanese and English texts of every entry say the same thing: the
// same parties act in the same order, each text gives the same numbers
// and codes as its counterpart, and the Japanese keeps every name that
// the English writes in capitals (it may add one to explain a step).
func TestLanguagesAgree(t *testing.T) {
	for _, e := range Default().Entries() {
		ja, en := e.Text["ja"], e.Text["en"]
		// A step for the sender's own server is marked in both.
		type party struct {
			Actor     Actor
			OwnServer bool
		}
		var aj, ae []party
		for _, s := range ja.Steps {
			aj = append(aj, party{s.Actor, s.OwnServer})
		}
		for _, s := range en.Steps {
			ae = append(ae, party{s.Actor, s.OwnServer})
		}
		if diff := cmp.Diff(ae, aj); diff != "" {
			t.Errorf("%s: steps by other parties in ja (-en +ja):\n%s", e.ID, diff)
			continue
		}
		pairs := [][3]string{
			{"gist", en.Gist, ja.Gist},
			{"title", en.Title, ja.Title},
			{"summary", en.Summary, ja.Summary},
			{"retry.delayed", en.Retry.Delayed, ja.Retry.Delayed},
			{"retry.expired", en.Retry.Expired, ja.Retry.Expired},
			{"retry.permanent", en.Retry.Permanent, ja.Retry.Permanent},
		}
		for i := range en.Steps {
			pairs = append(pairs, [3]string{"step", en.Steps[i].Text, ja.Steps[i].Text})
		}
		for _, p := range pairs {
			if diff := cmp.Diff(words(numberWord, p[1]), words(numberWord, p[2])); diff != "" {
				t.Errorf("%s %s: the languages give different numbers (-en +ja):\n%s\nen: %s\nja: %s", e.ID, p[0], diff, p[1], p[2])
			}
			if m := missing(words(nameWord, p[1]), p[2]); len(m) > 0 {
				t.Errorf("%s %s: the Japanese lacks %v\nen: %s\nja: %s", e.ID, p[0], m, p[1], p[2])
			}
		}
	}
}
