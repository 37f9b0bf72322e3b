package remedy

import (
	"strings"

	"golang.org/x/text/language"
)

// Action is one step of a rendered explanation.
type Action struct {
	Actor Actor  // who has to act
	Label string // the actor's name in the explanation's language
	Text  string // what to do
}

// Explanation is an entry rendered in one language.
type Explanation struct {
	Language   string // "en" or "ja"
	ID         string
	Title      string
	Summary    string
	Actions    []Action
	Retry      RetryAdvice
	RetryLabel string // Retry in the explanation's language
	RetryText  string // the entry's own advice about resending
	Urgency    Urgency
	References []string
	Checked    string   // YYYY-MM-DD
	Triggers   []string // the facts that selected the entry (not translated)
}

// Render renders the matched entry in the supported language that best
// serves tag (English when none does), with the match's triggers.
func (m Match) Render(tag language.Tag) Explanation {
	x := m.Entry.Render(tag)
	x.Triggers = append([]string(nil), m.Triggers...)
	return x
}

// Render renders the entry in the supported language that best serves
// tag (English when none does). Triggers are left empty.
func (e *Entry) Render(tag language.Tag) Explanation {
	var x Explanation
	e.render(&x, languageKey(Languages[languageIndex(tag)]), nil)
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

// render renders the entry into x in the language with the given key
// (languageKey of an element of Languages), taking room from buf when
// it is not nil.
func (e *Entry) render(x *Explanation, key string, buf *renderBuf) {
	words := labels[key] // what label gives for the language
	t := e.Text[key]
	*x = Explanation{
		Language:   key,
		ID:         e.ID,
		Title:      t.Title,
		Summary:    t.Summary,
		Retry:      e.Retry,
		RetryLabel: words[string(e.Retry)],
		RetryText:  t.Retry,
		Urgency:    e.Urgency,
		Checked:    e.Checked,
	}
	if n := len(e.References); n > 0 {
		if buf != nil && len(buf.refs) >= n {
			x.References, buf.refs = buf.refs[:n:n], buf.refs[n:]
		} else {
			x.References = make([]string, n)
		}
		copy(x.References, e.References)
	}
	if n := len(t.Steps); n > 0 {
		if buf != nil && len(buf.actions) >= n {
			x.Actions, buf.actions = buf.actions[:n:n], buf.actions[n:]
		} else {
			x.Actions = make([]Action, n)
		}
		for j, s := range t.Steps {
			x.Actions[j] = Action{Actor: s.Actor, Label: words[string(s.Actor)], Text: s.Text}
		}
	}
}

// Explain matches f and renders every matching entry, most specific
// first, in the language that best serves tag.
func (c *Catalogue) Explain(f Facts, tag language.Tag) []Explanation {
	ms := c.Match(f)
	key := languageKey(Languages[languageIndex(tag)])
	var nActions, nRefs int
	for _, m := range ms {
		nActions += len(m.Entry.Text[key].Steps)
		nRefs += len(m.Entry.References)
	}
	buf := renderBuf{actions: make([]Action, nActions), refs: make([]string, nRefs)}
	out := make([]Explanation, len(ms))
	for i, m := range ms {
		m.Entry.render(&out[i], key, &buf)
		// Match made the triggers for this call; no one else holds them.
		if len(m.Triggers) > 0 {
			out[i].Triggers = m.Triggers
		}
	}
	return out
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
	b.WriteString(x.Title + " [" + x.ID + "]\n")
	b.WriteString(h("h.urgency") + sep + x.Urgency.Label(tag) + "\n\n")
	b.WriteString(x.Summary + "\n\n")
	b.WriteString(h("h.actions") + colon + "\n")
	for _, a := range x.Actions {
		b.WriteString("- " + a.Label + sep + a.Text + "\n")
	}
	b.WriteString("\n" + h("h.retry") + sep + x.RetryLabel + "\n" + x.RetryText + "\n")
	if len(x.Triggers) > 0 {
		b.WriteString("\n" + h("h.triggers") + sep + strings.Join(x.Triggers, "; ") + "\n")
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
