package remedy

import (
	"fmt"
	"net/url"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	idSyntax   = regexp.MustCompile(`^[a-z0-9]+(?:[-.][a-z0-9]+)*$`)
	nameSyntax = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	hostSyntax = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
)

func fieldErr(field string, err error) *LoadError {
	return &LoadError{Index: -1, Field: field, Err: err}
}

func validateReceiver(r *Receiver) *LoadError {
	if r.Name == "" {
		return fieldErr("name", ErrMissing)
	}
	if !nameSyntax.MatchString(r.Name) {
		return fieldErr("name", fmt.Errorf("%w %q: use lower-case letters, digits and '-'", ErrInvalid, r.Name))
	}
	if len(r.Domains) == 0 && len(r.Hosts) == 0 {
		return fieldErr("domains", fmt.Errorf("%w: a receiver needs domains or hosts", ErrMissing))
	}
	for i, d := range r.Domains {
		if !hostSyntax.MatchString(d) {
			return fieldErr(fmt.Sprintf("domains[%d]", i), fmt.Errorf("%w domain %q: use a lower-case domain name", ErrInvalid, d))
		}
	}
	for i, h := range r.Hosts {
		if !hostSyntax.MatchString(h) {
			return fieldErr(fmt.Sprintf("hosts[%d]", i), fmt.Errorf("%w host suffix %q: use a lower-case host name", ErrInvalid, h))
		}
	}
	return nil
}

// compile validates e against the receivers of c and prepares its
// patterns. The returned error has Field set; the caller adds the rest.
func (c *Catalogue) compile(e *Entry) *LoadError {
	if e.ID == "" {
		return fieldErr("id", ErrMissing)
	}
	if len(e.ID) > maxIDLen {
		return fieldErr("id", fmt.Errorf("%w: ID of %d bytes, longer than %d", ErrInvalid, len(e.ID), maxIDLen))
	}
	if !idSyntax.MatchString(e.ID) {
		return fieldErr("id", fmt.Errorf("%w %q: use lower-case letters, digits, '-' and '.'", ErrInvalid, e.ID))
	}
	w := &e.When
	if len(w.Reasons)+len(w.Statuses)+len(w.Tokens)+len(w.Texts) == 0 {
		return fieldErr("when", fmt.Errorf("%w: at least one of reasons, statuses, tokens or texts is required", ErrMissing))
	}
	var err *LoadError
	if e.when, err = compileEvidence("when", w.Reasons, w.Statuses, w.Tokens, w.Texts); err != nil {
		return err
	}
	q := &w.Require
	if e.require, err = compileEvidence("when.require", q.Reasons, q.Statuses, q.Tokens, q.Texts); err != nil {
		return err
	}
	x := &w.Exclude
	if e.exclude, err = compileEvidence("when.exclude", x.Reasons, x.Statuses, x.Tokens, x.Texts); err != nil {
		return err
	}
	for i, r := range w.Receivers {
		if _, ok := c.receiverIdx[r]; !ok {
			return fieldErr(fmt.Sprintf("when.receivers[%d]", i), fmt.Errorf("%w receiver %q: not defined", ErrInvalid, r))
		}
	}
	for i, d := range w.Domains {
		if !hostSyntax.MatchString(d) {
			return fieldErr(fmt.Sprintf("when.domains[%d]", i), fmt.Errorf("%w domain %q: use a lower-case domain name", ErrInvalid, d))
		}
	}
	for i, h := range w.Hosts {
		if !hostSyntax.MatchString(h) {
			return fieldErr(fmt.Sprintf("when.hosts[%d]", i), fmt.Errorf("%w host suffix %q: use a lower-case host name", ErrInvalid, h))
		}
	}
	for i, rc := range w.ReplyCodes {
		if rc < 200 || rc > 599 {
			return fieldErr(fmt.Sprintf("when.replyCodes[%d]", i), fmt.Errorf("%w reply code %d: must be 200-599", ErrInvalid, rc))
		}
	}
	for i, a := range w.Actions {
		switch a {
		case "failed", "delayed", "delivered", "relayed", "expanded":
		default:
			return fieldErr(fmt.Sprintf("when.actions[%d]", i), fmt.Errorf("%w action %q: use failed, delayed, delivered, relayed or expanded", ErrInvalid, a))
		}
	}
	if e.Urgency == "" {
		return fieldErr("urgency", ErrMissing)
	}
	if !e.Urgency.Valid() {
		return fieldErr("urgency", fmt.Errorf("%w %q: want high, medium or low", ErrInvalid, e.Urgency))
	}
	if e.Retry == "" {
		return fieldErr("retry", ErrMissing)
	}
	if e.Retry != RetryAfterFix && e.Retry != RetryNever {
		return fieldErr("retry", fmt.Errorf("%w %q: want resend-after-fix or do-not-resend (the policy for a permanent failure; waiting is decided from each bounce)", ErrInvalid, e.Retry))
	}
	for i, ref := range e.References {
		u, err := url.Parse(ref)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fieldErr(fmt.Sprintf("references[%d]", i), fmt.Errorf("%w URL %q: want an absolute http or https URL", ErrInvalid, ref))
		}
	}
	if e.Checked == "" {
		return fieldErr("checked", ErrMissing)
	}
	if _, err := time.Parse(time.DateOnly, e.Checked); err != nil {
		return fieldErr("checked", fmt.Errorf("%w date %q: want YYYY-MM-DD", ErrInvalid, e.Checked))
	}
	return validateText(e.Text)
}

func compileEvidence(path string, reasons, statuses, tokens, texts []string) (evidence, *LoadError) {
	var ev evidence
	for i, r := range reasons {
		if !knownReason(r) {
			return ev, fieldErr(fmt.Sprintf("%s.reasons[%d]", path, i), fmt.Errorf("%w reason %q: not in the vocabulary", ErrInvalid, r))
		}
		ev.reasons = append(ev.reasons, r)
	}
	for i, s := range statuses {
		p, err := parseStatusPattern(s)
		if err != nil {
			return ev, fieldErr(fmt.Sprintf("%s.statuses[%d]", path, i), err)
		}
		ev.statuses = append(ev.statuses, p)
	}
	for i, t := range tokens {
		if len(t) > MaxPatternLen {
			return ev, fieldErr(fmt.Sprintf("%s.tokens[%d]", path, i), fmt.Errorf("%w: token of %d bytes, longer than %d", ErrInvalid, len(t), MaxPatternLen))
		}
		lit, p, err := parseToken(t)
		if err != nil {
			return ev, fieldErr(fmt.Sprintf("%s.tokens[%d]", path, i), err)
		}
		if lit != "" {
			ev.literal = append(ev.literal, lit)
		} else {
			ev.patterns = append(ev.patterns, p)
		}
	}
	for i, t := range texts {
		field := fmt.Sprintf("%s.texts[%d]", path, i)
		if strings.TrimSpace(t) == "" {
			return ev, fieldErr(field, ErrMissing)
		}
		if len(t) > MaxPatternLen {
			return ev, fieldErr(field, fmt.Errorf("%w: pattern of %d bytes, longer than %d", ErrInvalid, len(t), MaxPatternLen))
		}
		re, err := regexp.Compile("(?i)" + t)
		if err != nil {
			return ev, fieldErr(field, fmt.Errorf("%w regexp: %v", ErrInvalid, err))
		}
		tp := textPattern{re: re, lits: requiredLiterals(t), maxLen: -1}
		if tree, err := syntax.Parse("(?i)"+t, syntax.Perl); err == nil {
			if minBytes(tree) == 0 {
				return ev, fieldErr(field, fmt.Errorf("%w pattern %q: it matches the empty string, so it would match every text", ErrInvalid, t))
			}
			tp.alts, tp.wordStart, tp.wordEnd = alternatives(tree)
			tp.line = lineLocal(tree)
			tp.maxLen = maxBytes(tree)
			tp.beginLine = hasOp(tree, syntax.OpBeginLine)
			tp.boundary = hasOp(tree, syntax.OpWordBoundary) || hasOp(tree, syntax.OpNoWordBoundary)
		}
		ev.texts = append(ev.texts, tp)
	}
	return ev, nil
}

// Rune limits of the texts of an entry.
const (
	maxTitleLen = 120
	maxIDLen    = 100
)

func validateText(texts map[string]Text) *LoadError {
	var langs []string
	for k := range texts {
		langs = append(langs, k)
	}
	sort.Strings(langs)
	for _, k := range langs {
		if !slices.Contains(languageKeys(), k) {
			return fieldErr("text."+k, fmt.Errorf("%w: language %q is not supported (supported: %s)", ErrInvalid, k, strings.Join(languageKeys(), ", ")))
		}
	}
	for _, k := range languageKeys() {
		t, ok := texts[k]
		p := "text." + k
		if !ok {
			return fieldErr(p, ErrMissing)
		}
		switch {
		case strings.TrimSpace(t.Gist) == "":
			return fieldErr(p+".gist", ErrMissing)
		case strings.ContainsAny(t.Gist, "\r\n"):
			return fieldErr(p+".gist", fmt.Errorf("%w: the gist is one line", ErrInvalid))
		case strings.TrimSpace(t.Title) == "":
			return fieldErr(p+".title", ErrMissing)
		case strings.TrimSpace(t.Summary) == "":
			return fieldErr(p+".summary", ErrMissing)
		case len(t.Steps) == 0:
			return fieldErr(p+".steps", fmt.Errorf("%w: at least one step is required", ErrMissing))
		case strings.TrimSpace(t.Retry.Delayed) == "":
			return fieldErr(p+".retry.delayed", ErrMissing)
		case strings.TrimSpace(t.Retry.Expired) == "":
			return fieldErr(p+".retry.expired", ErrMissing)
		case strings.TrimSpace(t.Retry.Permanent) == "":
			return fieldErr(p+".retry.permanent", ErrMissing)
		}
		long := []struct {
			field string
			text  string
			most  int
		}{
			{"gist", t.Gist, maxTitleLen},
			{"title", t.Title, maxTitleLen},
			{"summary", t.Summary, MaxTextLen},
			{"retry.delayed", t.Retry.Delayed, MaxTextLen},
			{"retry.expired", t.Retry.Expired, MaxTextLen},
			{"retry.permanent", t.Retry.Permanent, MaxTextLen},
		}
		for i, s := range t.Steps {
			long = append(long, struct {
				field string
				text  string
				most  int
			}{"steps[" + strconv.Itoa(i) + "].text", s.Text, MaxTextLen})
		}
		for _, l := range long {
			if n := utf8.RuneCountInString(l.text); n > l.most {
				return fieldErr(p+"."+l.field, fmt.Errorf("%w: %d characters, more than %d", ErrInvalid, n, l.most))
			}
		}
		if !slices.ContainsFunc(t.Steps, func(s Step) bool { return !s.OwnServer }) {
			return fieldErr(p+".steps", fmt.Errorf("%w: every step is marked ownServer; one must apply when a mail service sent the message", ErrInvalid))
		}
		for i, s := range t.Steps {
			sp := p + ".steps[" + strconv.Itoa(i) + "]"
			if s.Actor == "" {
				return fieldErr(sp+".actor", ErrMissing)
			}
			if !s.Actor.Valid() {
				return fieldErr(sp+".actor", fmt.Errorf("%w actor %q", ErrInvalid, s.Actor))
			}
			if strings.TrimSpace(s.Text) == "" {
				return fieldErr(sp+".text", ErrMissing)
			}
		}
	}
	return nil
}
