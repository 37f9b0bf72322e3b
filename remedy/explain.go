package remedy

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Action is one step of a rendered explanation.
type Action struct {
	Actor Actor  // who has to act
	Label string // the actor's name in the explanation's language
	Text  string // what to do
}

// Explanation is an entry rendered in one language for one bounce.
type Explanation struct {
	Language string   // "en" or "ja"
	ID       string   // the entry's ID
	Gist     string   // the cause and who acts, in one line, shown first
	Title    string   // the cause, as a heading
	Summary  string   // what happened, in a few sentences
	Actions  []Action // what to do, in order, each with the party who acts
	// Retry is the advice about sending again for this bounce: wait for a
	// delay notice, resend after the cause is dealt with once the sending
	// server has given up, and the entry's policy for a permanent failure.
	Retry      RetryAdvice
	RetryCase  RetryCase // the case that decided Retry (see DecideRetry)
	RetryLabel string    // Retry in the explanation's language
	// RetryText is the advice about sending again for the case; for a
	// delay it starts with how long the sending server keeps trying.
	RetryText string
	// RetryUntil is when the sending server gives up, if the bounce says.
	RetryUntil time.Time
	Urgency    Urgency  // how soon someone should act
	References []string // sources of the entry
	Checked    string   // YYYY-MM-DD
	Triggers   []string // the facts that selected the entry (not translated)
	// SentBy is Match.SentBy: the mail service that sent the message,
	// whose steps for a server of the sender's own are left out of
	// Actions; "" when no service is known to have sent it.
	SentBy string
	// Generic is set when the entry is the generic entry of a reason,
	// triggered by the reason alone (see Conditions.ReasonOnly). It says
	// what the reason means in general; a specific entry ranked above it
	// may say otherwise for the bounce in hand.
	Generic bool
}

// Render renders the matched entry in the supported language that best
// serves tag (English when none does), with the match's triggers and its
// retry case.
func (m Match) Render(tag language.Tag) Explanation {
	var x Explanation
	m.Entry.render(&x, languageKey(Languages[languageIndex(tag)]), m.caseOf(), retryTime{m.RetryUntil, m.RetryFor, m.RetryFromArrival}, m.SentBy != "", nil)
	x.Triggers = append([]string(nil), m.Triggers...)
	x.SentBy = m.SentBy
	return x
}

func (m Match) caseOf() RetryCase {
	if m.Case == "" {
		return CasePermanent
	}
	return m.Case
}

// Render renders the entry in the supported language that best serves
// tag (English when none does), for a permanent failure (CasePermanent).
// Triggers are left empty.
func (e *Entry) Render(tag language.Tag) Explanation {
	return e.RenderCase(tag, CasePermanent, time.Time{})
}

// RenderCase renders the entry in the supported language that best
// serves tag for retry case c; until is when the sending server gives up
// (the zero time when unknown), used for CaseDelayed.
func (e *Entry) RenderCase(tag language.Tag, c RetryCase, until time.Time) Explanation {
	var x Explanation
	e.render(&x, languageKey(Languages[languageIndex(tag)]), c, retryTime{until: until}, false, nil)
	return x
}

// renderBuf holds room for the actions and references of several
// explanations, so that one allocation serves them all; each gets a
// slice with its own capacity, which an append by the caller leaves the
// others' alone.
type renderBuf struct {
	actions []Action
	refs    []string
}

// retryTime is what a bounce says of when its sending server gives up:
// a time (until), or else a length counted from the notice or, with
// fromArrival, from the message's arrival.
type retryTime struct {
	until       time.Time
	length      time.Duration
	fromArrival bool
}

// render renders the entry into x in the language with the given key
// (languageKey of an element of Languages), taking room from buf when
// it is not nil. With service set, a mail service sent the message
// (Match.SentBy) and the steps for the sender's own server are left out.
func (e *Entry) render(x *Explanation, key string, c RetryCase, rt retryTime, service bool, buf *renderBuf) {
	v := vocabs[key]
	words := v.words // what label gives for the language
	t := e.Text[key]
	advice := e.Advice(c)
	*x = Explanation{
		Language:   key,
		ID:         e.ID,
		Gist:       t.Gist,
		Title:      t.Title,
		Summary:    t.Summary,
		Retry:      advice,
		RetryCase:  c,
		RetryLabel: retryLabel(words, c, advice),
		RetryText:  retryText(key, words, t.Retry, c, rt),
		Urgency:    e.Urgency,
		Checked:    e.Checked,
		Generic:    e.When.ReasonOnly(),
	}
	if c == CaseDelayed {
		x.RetryUntil = rt.until
	}
	if n := len(e.References); n > 0 {
		if buf != nil && len(buf.refs) >= n {
			x.References, buf.refs = buf.refs[:n:n], buf.refs[n:]
		} else {
			x.References = make([]string, n)
		}
		copy(x.References, e.References)
	}
	n := len(t.Steps)
	if service {
		n = 0
		for _, s := range t.Steps {
			if !s.OwnServer {
				n++
			}
		}
	}
	if n > 0 {
		if buf != nil && len(buf.actions) >= n {
			x.Actions, buf.actions = buf.actions[:n:n], buf.actions[n:]
		} else {
			x.Actions = make([]Action, n)
		}
		j := 0
		for _, s := range t.Steps {
			if service && s.OwnServer {
				continue
			}
			x.Actions[j] = Action{Actor: s.Actor, Label: v.actor(s.Actor), Text: s.Text}
			j++
		}
	}
}

// Explain matches f and renders every matching entry, most specific
// first, in the language that best serves tag.
func (c *Catalogue) Explain(f Facts, tag language.Tag) []Explanation {
	var room [8]Match // the matches are rendered here and not kept
	ms := c.match(f, room[:0])
	if len(ms) == 0 {
		return nil
	}
	key := languageKey(Languages[languageIndex(tag)])
	rc := ms[0].Case // Match decided it for the facts, the same for every match
	var nActions, nRefs int
	for _, m := range ms {
		nActions += len(m.Entry.Text[key].Steps)
		nRefs += len(m.Entry.References)
	}
	buf := renderBuf{actions: make([]Action, nActions), refs: make([]string, nRefs)}
	out := make([]Explanation, len(ms))
	for i, m := range ms {
		m.Entry.render(&out[i], key, rc, retryTime{f.RetryUntil, f.RetryFor, f.RetryFromArrival}, m.SentBy != "", &buf)
		// Match made the triggers for this call; no one else holds them.
		if len(m.Triggers) > 0 {
			out[i].Triggers = m.Triggers
		}
		out[i].SentBy = m.SentBy
	}
	return out
}

// retryLabel names the advice for case c: an expired delivery has its
// own label, saying that the server stopped trying, and so has a report
// of no failure.
func retryLabel(words map[string]string, c RetryCase, advice RetryAdvice) string {
	switch c {
	case CaseExpired:
		return words["retry.expired"]
	case CaseNone:
		return words["retry.none"]
	}
	return words[string(advice)]
}

// retryText returns the entry's text for case c; a delay's text starts
// with how long the sending server keeps trying.
func retryText(key string, words map[string]string, t RetryTexts, c RetryCase, rt retryTime) string {
	s := t.For(c)
	if c != CaseDelayed {
		return s
	}
	head := words["retry.delayed"]
	switch {
	case !rt.until.IsZero():
		head = strings.Replace(words["retry.until"], "{until}", rt.until.Format("2006-01-02 15:04 -0700"), 1)
	case rt.length >= time.Minute && rt.fromArrival:
		head = strings.Replace(words["retry.age"], "{for}", lengthText(key, rt.length), 1)
	case rt.length >= time.Minute:
		head = strings.Replace(words["retry.for"], "{for}", lengthText(key, rt.length), 1)
	}
	sep := " "
	if key == "ja" {
		sep = ""
	}
	return head + sep + s
}

// Text formats the explanation as plain text for a helpdesk, with
// headings in the explanation's language.
func (x Explanation) Text() string {
	tag := language.Make(x.Language)
	h := func(k string) string { return label(tag, k) }
	sep, colon := ": ", ":"
	if x.Language == "ja" {
		sep, colon = "：", "："
	}
	var b strings.Builder
	b.WriteString(h("h.gist") + sep + x.Gist + "\n")
	b.WriteString(x.Title + " [" + x.ID + "]\n")
	b.WriteString(h("h.urgency") + sep + x.Urgency.Label(tag) + "\n\n")
	b.WriteString(x.Summary + "\n\n")
	b.WriteString(h("h.actions") + colon + "\n")
	for _, a := range x.Actions {
		b.WriteString("- " + a.Label + sep + a.Text + "\n")
	}
	b.WriteString("\n" + h("h.retry") + sep + x.RetryLabel + "\n" + x.RetryText + "\n")
	if len(x.Triggers) > 0 {
		ts := x.Triggers
		if x.Language == "ja" {
			ts = make([]string, len(x.Triggers))
			for i, t := range x.Triggers {
				ts[i] = triggerJA(t)
			}
		}
		b.WriteString("\n" + h("h.triggers") + sep + strings.Join(ts, "; ") + "\n")
	}
	if len(x.References) > 0 {
		b.WriteString("\n" + h("h.references") + colon + "\n")
		for _, r := range x.References {
			b.WriteString("- " + r + "\n")
		}
	}
	b.WriteString("\n" + h("h.checked") + sep + x.Checked + "\n")
	return b.String()
}

// triggerKindsJA are the Japanese names of the kinds of evidence at the
// start of a trigger; the matched text itself is kept as it is.
var triggerKindsJA = []struct{ en, ja string }{
	{"reply code ", "応答コード "},
	{"receiver ", "受信側 "},
	{"status ", "ステータス "},
	{"reason ", "理由 "},
	{"token ", "コード "},
	{"domain ", "ドメイン "},
	{"host ", "ホスト "},
	{"text ", "文言 "},
	{"same domain ", "同一ドメイン "},
	{"original recipient ", "元の宛先 "},
	{triggerLocal, "不達通知を書いたサーバー自身の判定"},
	{triggerUnreachable, "どの宛先のサーバーにも接続できていない"},
	{triggerAutoResponse, "届かなかったのは自動送信の応答メール"},
	{triggerListMessage, "届かなかったのはメーリングリストが配信したメール"},
	{triggerRecipientServer, "宛先ドメイン自身のサーバー："},
	{triggerRemoteServer, "送信サーバーが接続した相手のサーバーの応答 "},
}

// triggerJA names the kind of evidence of a trigger in Japanese.
func triggerJA(t string) string {
	for _, k := range triggerKindsJA {
		if rest, ok := strings.CutPrefix(t, k.en); ok {
			rest = strings.Replace(rest, "(domain ", "(ドメイン ", 1)
			rest = strings.Replace(rest, "(host ", "(ホスト ", 1)
			if k.en == triggerRecipientServer {
				rest = strings.Replace(rest, "host ", "ホスト ", 1)
				rest = strings.Replace(rest, "written by mail service ", "不達通知を書いたのは直接配送するメールサービス ", 1)
			}
			return k.ja + rest
		}
	}
	return t
}

// lengthText writes a length of time in days, hours and minutes in the
// language with the given key: "1 day, 19 hours and 57 minutes",
// "1日19時間57分".
func lengthText(key string, d time.Duration) string {
	mins := int64(d / time.Minute)
	parts := [3]int64{mins / (24 * 60), mins / 60 % 24, mins % 60}
	if key == "ja" {
		var b strings.Builder
		for i, u := range [3]string{"日", "時間", "分"} {
			if parts[i] > 0 {
				b.WriteString(strconv.FormatInt(parts[i], 10) + u)
			}
		}
		return b.String()
	}
	var words []string
	for i, u := range [3]string{"day", "hour", "minute"} {
		if parts[i] == 1 {
			words = append(words, "1 "+u)
		} else if parts[i] > 1 {
			words = append(words, strconv.FormatInt(parts[i], 10)+" "+u+"s")
		}
	}
	if n := len(words); n > 1 {
		return strings.Join(words[:n-1], ", ") + " and " + words[n-1]
	}
	return strings.Join(words, "")
}
