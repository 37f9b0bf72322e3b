package remedy

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Catalogue is an immutable set of entries and receivers. It is safe for
// concurrent use.
type Catalogue struct {
	entries     []*Entry
	byID        map[string]*Entry
	receivers   []Receiver
	receiverIdx map[string]int
}

// Entries returns the entries in catalogue order (file name order, then
// order within the file; an overriding entry keeps the place of the one
// it replaces). The entries are shared: do not modify them.
func (c *Catalogue) Entries() []*Entry {
	return append([]*Entry(nil), c.entries...)
}

// Len returns the number of entries.
func (c *Catalogue) Len() int { return len(c.entries) }

// Lookup returns the entry with the given ID.
func (c *Catalogue) Lookup(id string) (*Entry, bool) {
	e, ok := c.byID[id]
	return e, ok
}

// Receivers returns the receiver definitions.
func (c *Catalogue) Receivers() []Receiver {
	return append([]Receiver(nil), c.receivers...)
}

// Match is an entry that applies to some Facts.
type Match struct {
	Entry *Entry // shared; do not modify
	// Triggers name the facts that selected the entry, e.g. "token S775",
	// "status 4.7.650", `text "rate limited due to IP reputation"`,
	// "receiver yahoo (domain aol.com)", "reason badreputation".
	Triggers []string
	// Score is the specificity used for ordering: higher is more specific.
	Score int
}

// Scores of the kinds of evidence. A match scores the best item of each
// kind it matched; the sum orders the matches.
const (
	scoreToken       int = 100
	scoreText        int = 80
	scoreStatusExact int = 60
	scoreStatusClass int = 55 // "x.7.26": exact subject and detail, any class
	scoreStatusRange int = 45
	scoreStatusSubj  int = 25 // "5.7."
	scoreStatusCls   int = 15 // "5."
	scoreReceiver    int = 30
	scoreReplyCode   int = 10
	scoreReason      int = 10
)

// Match returns the entries that apply to f, most specific first: an
// entry matched by a receiver token, a text pattern or an enhanced status
// code ranks above one matched only by its reason. Every reason of the
// vocabulary has a generic entry in the default catalogue, so Match on
// Facts with a known Reason returns at least one entry.
func (c *Catalogue) Match(f Facts) []Match {
	in := prepare(c, f)
	var out []Match
	for _, e := range c.entries {
		if m, ok := e.match(&in); ok {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if len(out[i].Triggers) != len(out[j].Triggers) {
			return len(out[i].Triggers) > len(out[j].Triggers)
		}
		return out[i].Entry.ID < out[j].Entry.ID
	})
	return out
}

// Best returns the most specific entry for f, if any.
func (c *Catalogue) Best(f Facts) (Match, bool) {
	m := c.Match(f)
	if len(m) == 0 {
		return Match{}, false
	}
	return m[0], true
}

// input is Facts prepared once for matching all entries.
type input struct {
	f         Facts
	status    status
	hasStatus bool
	domain    string
	host      string
	words     map[string]bool // upper-case words of the texts
	joined    string          // texts joined by newlines
	lower     string          // joined in lower case, for literal prefilters
	prefilter bool            // lower may be used to skip regexps
	receivers map[string]string
}

func prepare(c *Catalogue, f Facts) input {
	in := input{f: f}
	in.status, in.hasStatus = parseStatus(f.Status)
	in.domain = recipientDomain(f.Recipient)
	in.host = remoteHost(f.RemoteMTA)
	in.joined = strings.Join(f.Texts, "\n")
	in.words = words(in.joined)
	in.lower = strings.ToLower(in.joined)
	// U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S fold to
	// ASCII letters in case-insensitive regexps but not under ToLower.
	in.prefilter = !strings.ContainsAny(in.joined, "\u212a\u017f")
	for _, r := range c.receivers {
		if why := receiverHit(r, in.domain, in.host); why != "" {
			if in.receivers == nil {
				in.receivers = map[string]string{}
			}
			in.receivers[r.Name] = why
		}
	}
	return in
}

func recipientDomain(addr string) string {
	addr = strings.TrimSpace(addr)
	addr = strings.Trim(addr, "<>")
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		addr = addr[i+1:]
	} else {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(strings.Trim(addr, "<> ")), ".")
}

func remoteHost(h string) string {
	h = strings.TrimSpace(h)
	if k, v, ok := strings.Cut(h, ";"); ok && strings.EqualFold(strings.TrimSpace(k), "dns") {
		h = strings.TrimSpace(v)
	}
	if i := strings.IndexAny(h, " [("); i >= 0 {
		h = h[:i]
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// hasSuffix reports whether name equals suffix or ends with "."+suffix.
func hasSuffix(name, suffix string) bool {
	if name == "" {
		return false
	}
	if name == suffix {
		return true
	}
	return len(name) > len(suffix) && strings.HasSuffix(name, suffix) && name[len(name)-len(suffix)-1] == '.'
}

func receiverHit(r Receiver, domain, host string) string {
	for _, d := range r.Domains {
		if hasSuffix(domain, d) {
			return "domain " + domain
		}
	}
	for _, h := range r.Hosts {
		if hasSuffix(host, h) {
			return "host " + host
		}
	}
	return ""
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z'
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for i := 0; i < len(s); {
		for i < len(s) && !isWordByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j > i {
			m[strings.ToUpper(s[i:j])] = true
		}
		i = j
	}
	return m
}

func (e *Entry) match(in *input) (Match, bool) {
	w := &e.When
	// Constraints first: they are cheap and exclude most entries.
	var scope string
	if len(w.Receivers)+len(w.Domains)+len(w.Hosts) > 0 {
		for _, r := range w.Receivers {
			if why, ok := in.receivers[r]; ok {
				scope = "receiver " + r + " (" + why + ")"
				break
			}
		}
		if scope == "" {
			for _, d := range w.Domains {
				if hasSuffix(in.domain, d) {
					scope = "domain " + in.domain
					break
				}
			}
		}
		if scope == "" {
			for _, h := range w.Hosts {
				if hasSuffix(in.host, h) {
					scope = "host " + in.host
					break
				}
			}
		}
		if scope == "" {
			return Match{}, false
		}
	}
	replyOK := len(w.ReplyCodes) == 0
	for _, rc := range w.ReplyCodes {
		if rc == in.f.ReplyCode {
			replyOK = true
		}
	}
	if !replyOK {
		return Match{}, false
	}

	m := Match{Entry: e}
	var matched int
	for _, k := range e.when.eval(in) {
		if k.score > 0 {
			matched++
			m.Triggers = append(m.Triggers, k.trigger)
			m.Score += k.score
		}
	}
	if matched == 0 {
		return Match{}, false
	}
	for _, k := range e.require.eval(in) {
		if k.score == 0 {
			return Match{}, false
		}
		if !slices.Contains(m.Triggers, k.trigger) {
			m.Triggers = append(m.Triggers, k.trigger)
			m.Score += k.score
		}
	}

	if scope != "" {
		m.Triggers = append(m.Triggers, scope)
		m.Score += scoreReceiver
	}
	if len(w.ReplyCodes) > 0 {
		m.Triggers = append(m.Triggers, "reply code "+strconv.Itoa(in.f.ReplyCode))
		m.Score += scoreReplyCode
	}
	return m, true
}

// kind is the result of one kind of evidence: score 0 means it was given
// but did not match.
type kind struct {
	trigger string
	score   int
}

// eval returns one result for every kind of evidence present in ev.
func (ev *evidence) eval(in *input) []kind {
	var out []kind
	if len(ev.literal)+len(ev.patterns) > 0 {
		k := kind{}
		for _, lit := range ev.literal {
			if in.words[lit] {
				k = kind{"token " + lit, scoreToken}
				break
			}
		}
		if k.score == 0 {
			for _, p := range ev.patterns {
				if in.prefilter && !mayMatch(in.lower, p.lits) {
					continue
				}
				if sub := p.re.FindStringSubmatch(in.joined); sub != nil {
					k = kind{"token " + sub[1], scoreToken}
					break
				}
			}
		}
		out = append(out, k)
	}
	if len(ev.statuses) > 0 {
		k := kind{}
		if in.hasStatus {
			for _, p := range ev.statuses {
				if sc := p.match(in.status); sc > k.score {
					k = kind{p.label(in.status), sc}
				}
			}
		}
		out = append(out, k)
	}
	if len(ev.texts) > 0 {
		k := kind{}
		for i, re := range ev.texts {
			if in.prefilter && !mayMatch(in.lower, ev.lits[i]) {
				continue
			}
			if loc := re.FindStringIndex(in.joined); loc != nil {
				k = kind{"text " + strconv.Quote(clip(in.joined[loc[0]:loc[1]], 80)), scoreText}
				break
			}
		}
		out = append(out, k)
	}
	if len(ev.reasons) > 0 {
		k := kind{}
		if in.f.Reason != "" && slices.Contains(ev.reasons, in.f.Reason) {
			k = kind{"reason " + in.f.Reason, scoreReason}
		}
		out = append(out, k)
	}
	return out
}

// requiredLiterals returns groups of lower-case ASCII strings such that
// every match of the pattern contains at least one string of each group.
// It returns nil when it finds nothing useful.
func requiredLiterals(pattern string) [][]string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return literalGroups(re)
}

func literalGroups(r *syntax.Regexp) [][]string {
	switch r.Op {
	case syntax.OpLiteral:
		lit := string(r.Rune)
		for _, c := range lit {
			if c >= utf8.RuneSelf {
				return nil
			}
		}
		if len(lit) < 2 {
			return nil
		}
		return [][]string{{strings.ToLower(lit)}}
	case syntax.OpCapture, syntax.OpPlus:
		return literalGroups(r.Sub[0])
	case syntax.OpRepeat:
		if r.Min >= 1 {
			return literalGroups(r.Sub[0])
		}
	case syntax.OpConcat:
		var out [][]string
		for _, sub := range r.Sub {
			out = append(out, literalGroups(sub)...)
		}
		return out
	case syntax.OpAlternate:
		var any []string
		for _, sub := range r.Sub {
			best := ""
			for _, g := range literalGroups(sub) {
				if len(g) == 1 && len(g[0]) > len(best) {
					best = g[0]
				}
			}
			if best == "" {
				return nil
			}
			any = append(any, best)
		}
		return [][]string{any}
	}
	return nil
}

// mayMatch reports whether lower contains a string of every group.
func mayMatch(lower string, groups [][]string) bool {
	for _, g := range groups {
		found := false
		for _, s := range g {
			if strings.Contains(lower, s) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// status is a parsed enhanced status code.
type status struct{ class, subject, detail int }

func parseStatus(s string) (status, bool) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) != 3 {
		return status{}, false
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 999 || len(p) > 3 {
			return status{}, false
		}
		v[i] = n
	}
	if v[0] != 2 && v[0] != 4 && v[0] != 5 {
		return status{}, false
	}
	return status{v[0], v[1], v[2]}, true
}

// statusPattern is a parsed status condition: "5.7.26", "x.7.26",
// "5.7.606-649", "5.7." or "5.".
type statusPattern struct {
	raw     string
	class   int // 0 = any ("x")
	subject int // -1 = any
	lo, hi  int // -1 = any
}

func parseStatusPattern(s string) (statusPattern, error) {
	bad := func() (statusPattern, error) {
		return statusPattern{}, fmt.Errorf("%w status %q: want C.S.D, x.S.D, C.S.LO-HI, C.S. or C. with C in 2, 4, 5 or x", ErrInvalid, s)
	}
	p := statusPattern{raw: s, subject: -1, lo: -1, hi: -1}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return bad()
	}
	switch parts[0] {
	case "2", "4", "5":
		p.class = int(parts[0][0] - '0')
	case "x", "X":
		p.class = 0
	default:
		return bad()
	}
	num := func(t string) (int, bool) {
		if t == "" || len(t) > 3 {
			return 0, false
		}
		n, err := strconv.Atoi(t)
		return n, err == nil && n >= 0
	}
	if len(parts) == 2 { // "5."
		if parts[1] != "" || p.class == 0 {
			return bad()
		}
		return p, nil
	}
	n, ok := num(parts[1])
	if !ok {
		return bad()
	}
	p.subject = n
	if parts[2] == "" { // "5.7."
		if p.class == 0 {
			return bad()
		}
		return p, nil
	}
	lo, hi, isRange := strings.Cut(parts[2], "-")
	if p.lo, ok = num(lo); !ok {
		return bad()
	}
	p.hi = p.lo
	if isRange {
		if p.hi, ok = num(hi); !ok || p.hi < p.lo {
			return bad()
		}
	}
	return p, nil
}

func (p statusPattern) match(s status) int {
	if p.class != 0 && p.class != s.class {
		return 0
	}
	if p.subject < 0 {
		return scoreStatusCls
	}
	if p.subject != s.subject {
		return 0
	}
	if p.lo < 0 {
		return scoreStatusSubj
	}
	if s.detail < p.lo || s.detail > p.hi {
		return 0
	}
	switch {
	case p.lo != p.hi:
		return scoreStatusRange
	case p.class == 0:
		return scoreStatusClass
	}
	return scoreStatusExact
}

func (p statusPattern) label(s status) string {
	got := fmt.Sprintf("%d.%d.%d", s.class, s.subject, s.detail)
	if got == p.raw {
		return "status " + got
	}
	return "status " + got + " (" + p.raw + ")"
}

// tokenPattern is a receiver token with wildcards ("AS(#)", "OFR*_506").
type tokenPattern struct {
	raw  string
	re   *regexp.Regexp
	lits [][]string // literal groups a match needs
}

// parseToken returns the upper-case literal for a plain token, or a
// compiled pattern for one with wildcards or punctuation.
func parseToken(t string) (string, tokenPattern, error) {
	if t == "" {
		return "", tokenPattern{}, ErrMissing
	}
	plain := true
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		ch := t[i]
		switch {
		case isWordByte(ch):
			b.WriteByte(ch)
		case ch == '#':
			plain = false
			b.WriteString(`[0-9]+`)
		case ch == '*':
			plain = false
			b.WriteString(`[A-Za-z0-9]*`)
		case strings.IndexByte("-.:()/", ch) >= 0:
			plain = false
			b.WriteString(regexp.QuoteMeta(string(ch)))
		default:
			return "", tokenPattern{}, fmt.Errorf("%w token %q: use letters, digits, '_', '-', '.', ':', '(', ')', '/', and the wildcards '#' (digits) and '*' (letters and digits)", ErrInvalid, t)
		}
	}
	if plain {
		return strings.ToUpper(t), tokenPattern{}, nil
	}
	re, err := regexp.Compile(`(?i)(?:^|[^A-Za-z0-9_])(` + b.String() + `)(?:[^A-Za-z0-9_]|$)`)
	if err != nil {
		return "", tokenPattern{}, fmt.Errorf("%w token %q: %v", ErrInvalid, t, err)
	}
	return "", tokenPattern{raw: t, re: re, lits: requiredLiterals(b.String())}, nil
}
