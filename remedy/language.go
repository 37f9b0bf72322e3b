package remedy

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// Languages are the languages every entry is written in. The first one
// is the default used when no preference matches.
var Languages = []language.Tag{language.English, language.Japanese}

var (
	matcherOnce sync.Once
	matcher     language.Matcher
)

func languageMatcher() language.Matcher {
	matcherOnce.Do(func() { matcher = language.NewMatcher(Languages) })
	return matcher
}

// languageKeys returns the keys used in data files ("en", "ja").
func languageKeys() []string {
	keys := make([]string, len(Languages))
	for i, t := range Languages {
		keys[i] = languageKey(t)
	}
	return keys
}

func languageKey(t language.Tag) string {
	b, _ := t.Base()
	return b.String()
}

// languageIndex returns the index in Languages that best serves tag.
func languageIndex(tag language.Tag) int {
	// A supported language serves itself; the matcher is slow.
	for i, t := range Languages {
		if tag == t {
			return i
		}
	}
	_, i, conf := languageMatcher().Match(tag)
	if conf == language.No {
		return 0
	}
	return i
}

// MatchLanguage picks the supported language for the given preferences.
// Each preference may be a BCP 47 tag ("ja-JP") or an Accept-Language
// value ("ja-JP,ja;q=0.9,en;q=0.8"). Unparsable or unsupported
// preferences give English. The returned tag is an element of Languages
// (never a tag with extensions such as "ja-u-rg-jpzzzz"). A preference
// longer than maxPreference bytes is ignored, as no real one is.
func MatchLanguage(prefs ...string) language.Tag {
	var tags []language.Tag
	for _, p := range prefs {
		p = strings.TrimSpace(p)
		if p == "" || len(p) > maxPreference {
			continue
		}
		if t, _, err := language.ParseAcceptLanguage(p); err == nil {
			tags = append(tags, t...)
			continue
		}
		if t, err := language.Parse(p); err == nil {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return Languages[0]
	}
	_, i, conf := languageMatcher().Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[i]
}

// maxPreference bounds the length of one language preference that
// MatchLanguage parses: the parser's work grows faster than its input,
// and an Accept-Language header of real browsers is far shorter.
const maxPreference = 4096

// labels holds the fixed words of rendered explanations, per language key.
var labels = map[string]map[string]string{
	"en": {
		string(ActorSender):            "Sender",
		string(ActorSenderAdmin):       "Sender's mail/DNS administrator",
		string(ActorHostingProvider):   "Operator of the sending server (hosting provider, mail service, or your own IT staff)",
		string(ActorRecipient):         "Recipient",
		string(ActorRecipientProvider): "Recipient's mail provider or administrator",
		string(UrgencyHigh):            "high",
		string(UrgencyMedium):          "medium",
		string(UrgencyLow):             "low",
		string(RetryWait):              "Wait (the sending server is still retrying)",
		string(RetryAfterFix):          "Resend after the cause is fixed",
		string(RetryNever):             "Do not resend",
		"retry.expired":                "Not delivered; resend after the cause is dealt with (the sending server has stopped retrying)",
		"retry.none":                   "Nothing to resend (nothing failed)",
		"retry.delayed":                "This is a delay notice, not a final failure: the sending server keeps retrying by itself for a while, typically up to a few days, and sends a final notice if it gives up.",
		"retry.until":                  "This is a delay notice, not a final failure: the sending server keeps retrying until {until} and sends a final notice if it gives up.",
		"retry.for":                    "This is a delay notice, not a final failure: the sending server keeps retrying for {for} after this notice and sends a final notice if it gives up.",
		"retry.age":                    "This is a delay notice, not a final failure: the sending server keeps retrying until the message is {for} old (counted from when that server received it) and sends a final notice if it gives up.",
		"h.gist":                       "In short",
		"h.urgency":                    "Urgency",
		"h.actions":                    "What to do",
		"h.retry":                      "Resending",
		"h.triggers":                   "Matched",
		"h.references":                 "References",
		"h.checked":                    "Checked",
	},
	"ja": {
		string(ActorSender):            "送信者",
		string(ActorSenderAdmin):       "送信側のメール・DNS管理者",
		string(ActorHostingProvider):   "送信サーバーの運用者（サーバー会社・メールサービス・社内の管理者）",
		string(ActorRecipient):         "受信者",
		string(ActorRecipientProvider): "受信側のメール事業者・管理者",
		string(UrgencyHigh):            "高",
		string(UrgencyMedium):          "中",
		string(UrgencyLow):             "低",
		string(RetryWait):              "待つ（送信サーバーが自動で再試行中です）",
		string(RetryAfterFix):          "原因の解消後に送り直す",
		string(RetryNever):             "送り直さない",
		"retry.expired":                "未配達のため、原因に対処してから送り直す（送信サーバーは再試行をやめています）",
		"retry.none":                   "送り直し不要（失敗していません）",
		"retry.delayed":                "これは遅延の通知で、最終的な不達ではありません。送信サーバーがしばらくの間（通常は数日まで）自動で再試行し、あきらめた場合は最終的な不達通知が届きます。",
		"retry.until":                  "これは遅延の通知で、最終的な不達ではありません。送信サーバーは {until} まで自動で再試行し、あきらめた場合は最終的な不達通知が届きます。",
		"retry.for":                    "これは遅延の通知で、最終的な不達ではありません。送信サーバーはこの通知から{for}の間、自動で再試行し、あきらめた場合は最終的な不達通知が届きます。",
		"retry.age":                    "これは遅延の通知で、最終的な不達ではありません。送信サーバーはメールを受け取ってから{for}たつまで自動で再試行し、あきらめた場合は最終的な不達通知が届きます。",
		"h.gist":                       "要点",
		"h.urgency":                    "緊急度",
		"h.actions":                    "対処",
		"h.retry":                      "送り直し",
		"h.triggers":                   "判定の根拠",
		"h.references":                 "参考資料",
		"h.checked":                    "確認日",
	},
}

// actors are Actors as the package defines them, in the order of
// vocab.actors.
var actors = slices.Clone(Actors)

// vocab is labels of one language with the actors' names by index, so
// that rendering the steps of an entry looks up no map.
type vocab struct {
	words  map[string]string
	actors []string
}

// vocabs is labels by language key as vocab.
var vocabs = func() map[string]*vocab {
	m := make(map[string]*vocab, len(labels))
	for key, words := range labels {
		v := &vocab{words: words, actors: make([]string, len(actors))}
		for i, a := range actors {
			v.actors[i] = words[string(a)]
		}
		m[key] = v
	}
	return m
}()

// actor returns the name of actor a.
func (v *vocab) actor(a Actor) string {
	for i, b := range actors {
		if a == b {
			return v.actors[i]
		}
	}
	return v.words[string(a)]
}

func label(tag language.Tag, key string) string {
	return labels[languageKey(Languages[languageIndex(tag)])][key]
}

// Label returns the name of the actor in the language best matching tag.
func (a Actor) Label(tag language.Tag) string { return label(tag, string(a)) }

// Label returns the urgency in the language best matching tag.
func (u Urgency) Label(tag language.Tag) string { return label(tag, string(u)) }

// Label returns the retry advice in the language best matching tag.
func (r RetryAdvice) Label(tag language.Tag) string { return label(tag, string(r)) }
