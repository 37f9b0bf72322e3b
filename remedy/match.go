package remedy

import (
	"bytes"
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// Match returns the entries that apply to f, most specific first: an
// entry matched by a receiver token, a text pattern or an enhanced status
// code ranks above one matched only by its reason. Every reason of the
// vocabulary has a generic entry in the default catalogue, so Match on
// Facts with a known Reason returns at least one entry.
func (c *Catalogue) Match(f Facts) []Match {
	x := c.idx
	if x == nil {
		return nil
	}
	sc := x.pool.Get().(*scratch)
	in := input{f: &f, c: c, x: x, sc: sc}
	in.prepare()
	out := make([]Match, 0, 4) // most facts match a few entries
	for w, set := range sc.cand {
		for set != 0 {
			i := w*64 + bits.TrailingZeros64(set)
			set &= set - 1
			if m, ok := in.match(c.entries[i], &x.plans[i]); ok {
				m.pos = i
				out = append(out, m)
			}
		}
	}
	if len(out) == 0 {
		out = nil
	} else {
		rc := DecideRetry(f)
		for i := range out {
			out[i].Case, out[i].RetryUntil = rc, f.RetryUntil
		}
	}
	if cap(sc.buf) > 1<<16 {
		sc.buf, sc.low = nil, nil
	}
	x.pool.Put(sc)
	slices.SortFunc(out, compareMatches)
	return out
}

// compareMatches orders matches by specificity: the higher score first;
// between equal scores, the match whose tokens and patterns cover more
// of the texts, then the one with more kinds of evidence, then the entry
// that comes first in the catalogue.
func compareMatches(a, b Match) int {
	if a.Score != b.Score {
		return cmp.Compare(b.Score, a.Score)
	}
	if a.span != b.span {
		return cmp.Compare(b.span, a.span)
	}
	if len(a.Triggers) != len(b.Triggers) {
		return cmp.Compare(len(b.Triggers), len(a.Triggers))
	}
	return cmp.Compare(a.pos, b.pos)
}

// Best returns the most specific entry for f, if any.
func (c *Catalogue) Best(f Facts) (Match, bool) {
	m := c.Match(f)
	if len(m) == 0 {
		return Match{}, false
	}
	return m[0], true
}

// input is Facts prepared once for matching all entries: the texts are
// joined by newlines (patterns are matched against the joined text) and
// scanned once for every literal of the catalogue.
type input struct {
	f         *Facts
	c         *Catalogue
	x         *index
	sc        *scratch
	status    status
	hasStatus bool
	domain    string
	host      string
	// exact is set when the literals cannot rule patterns out (see
	// literal.fold): every pattern is then run on the whole text.
	exact bool
}

func (in *input) prepare() {
	f, x, sc := in.f, in.x, in.sc
	in.status, in.hasStatus = parseStatus(f.Status)
	in.domain = recipientDomain(f.Recipient)
	in.host = remoteHost(f.RemoteMTA)
	sc.buf = sc.buf[:0]
	for i, t := range f.Texts {
		if i > 0 {
			sc.buf = append(sc.buf, '\n')
		}
		sc.buf = append(sc.buf, t...)
	}
	sc.low = sc.low[:0]
	clear(sc.found)
	clear(sc.rcv)
	sc.fold = false
	x.scan(sc.buf, sc)
	in.exact = sc.fold

	// The entries to evaluate.
	clear(sc.cand)
	if in.exact {
		for i := range in.c.entries {
			sc.cand[i>>6] |= 1 << (i & 63)
		}
		return
	}
	mark := func(list []int32) {
		for _, i := range list {
			sc.cand[i>>6] |= 1 << (i & 63)
		}
	}
	mark(x.always)
	if f.Reason != "" {
		mark(x.byReason[f.Reason])
	}
	if in.hasStatus {
		mark(x.anyStatus)
		mark(x.bySubject[in.status.subject])
		mark(x.byDetail[[2]int{in.status.subject, in.status.detail}])
	}
	for w, set := range sc.found {
		for set != 0 {
			id := w*64 + bits.TrailingZeros64(set)
			set &= set - 1
			mark(x.byLit[id])
		}
	}
}

func (in *input) found(id int32) bool {
	return in.sc.found[id>>6]&(1<<(id&63)) != 0
}

// receiver reports whether and how the receiver with index r applies.
func (in *input) receiver(r int) uint8 {
	if v := in.sc.rcv[r]; v != rcvUnknown {
		return v
	}
	v := rcvNone
	rc := &in.c.receivers[r]
	for _, d := range rc.Domains {
		if hasSuffix(in.domain, d) {
			v = rcvDomain
			break
		}
	}
	if v == rcvNone {
		for _, h := range rc.Hosts {
			if hasSuffix(in.host, h) {
				v = rcvHost
				break
			}
		}
	}
	in.sc.rcv[r] = v
	return v
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

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z'
}

// The kinds of scope an entry's receiver constraint was met by.
const (
	scopeNone uint8 = iota
	scopeReceiver
	scopeDomain
	scopeHost
)

func (in *input) match(e *Entry, p *entryPlan) (Match, bool) {
	w := &e.When
	// Constraints first: they are cheap and exclude most entries.
	scope, scopeAt := scopeNone, 0
	if len(w.Receivers)+len(w.Domains)+len(w.Hosts) > 0 {
		for i, r := range p.receivers {
			if in.receiver(r) != rcvNone {
				scope, scopeAt = scopeReceiver, i
				break
			}
		}
		if scope == scopeNone && slices.ContainsFunc(w.Domains, func(d string) bool { return hasSuffix(in.domain, d) }) {
			scope = scopeDomain
		}
		if scope == scopeNone && slices.ContainsFunc(w.Hosts, func(h string) bool { return hasSuffix(in.host, h) }) {
			scope = scopeHost
		}
		if scope == scopeNone {
			return Match{}, false
		}
	}
	if len(w.ReplyCodes) > 0 && !slices.Contains(w.ReplyCodes, in.f.ReplyCode) {
		return Match{}, false
	}

	var when, req [4]hit
	nw := in.eval(&e.when, &p.when, &when)
	matched := 0
	for _, h := range when[:nw] {
		if h.score > 0 {
			matched++
		}
	}
	if matched == 0 {
		return Match{}, false
	}
	nr := in.eval(&e.require, &p.require, &req)
	for _, h := range req[:nr] {
		if h.score == 0 {
			return Match{}, false
		}
	}
	var exc [4]hit
	for _, h := range exc[:in.eval(&e.exclude, &p.exclude, &exc)] {
		if h.score > 0 {
			return Match{}, false
		}
	}

	m := Match{Entry: e, Triggers: make([]string, 0, matched+nr+2)}
	for i := range when[:nw] {
		if h := &when[i]; h.score > 0 {
			m.Triggers = append(m.Triggers, in.trigger(&e.when, h))
			m.Score += h.score
			m.span += in.span(&e.when, h)
		}
	}
	for i := range req[:nr] {
		h := &req[i]
		if t := in.trigger(&e.require, h); !slices.Contains(m.Triggers, t) {
			m.Triggers = append(m.Triggers, t)
			m.Score += h.score
			m.span += in.span(&e.require, h)
		}
	}
	if scope != scopeNone {
		m.Triggers = append(m.Triggers, in.scope(e, p, scope, scopeAt))
		m.Score += scoreReceiver
	}
	if len(w.ReplyCodes) > 0 {
		m.Triggers = append(m.Triggers, "reply code "+strconv.Itoa(in.f.ReplyCode))
		m.Score += scoreReplyCode
	}
	return m, true
}

func (in *input) scope(e *Entry, p *entryPlan, scope uint8, at int) string {
	switch scope {
	case scopeReceiver:
		why := "domain " + in.domain
		if in.receiver(p.receivers[at]) == rcvHost {
			why = "host " + in.host
		}
		return "receiver " + e.When.Receivers[at] + " (" + why + ")"
	case scopeDomain:
		return "domain " + in.domain
	}
	return "host " + in.host
}

// hit is the result of one kind of evidence: score 0 means the kind was
// given but did not match. The trigger text is made only for entries
// that match.
type hit struct {
	kind  uint8
	score int
	i     int // the matching item: plain token, token pattern or status
	a, b  int // where a token pattern or text matched, in the joined texts
}

// The kinds of hit.
const (
	hitToken uint8 = iota
	hitTokenPattern
	hitStatus
	hitText
	hitReason
)

// eval stores in out one result for every kind of evidence present in
// ev, in the order tokens, statuses, texts, reasons, and returns their
// number.
func (in *input) eval(ev *evidence, p *evidencePlan, out *[4]hit) int {
	n := 0
	if len(ev.literal)+len(ev.patterns) > 0 {
		h := hit{kind: hitToken}
		for i, id := range p.tokens {
			if in.found(id) {
				h = hit{kind: hitToken, score: scoreToken, i: i}
				break
			}
		}
		if h.score == 0 {
			for i := range ev.patterns {
				if a, b, ok := in.findToken(&ev.patterns[i], p.patterns[i]); ok {
					h = hit{kind: hitTokenPattern, score: scoreToken, i: i, a: a, b: b}
					break
				}
			}
		}
		out[n] = h
		n++
	}
	if len(ev.statuses) > 0 {
		h := hit{kind: hitStatus}
		if in.hasStatus {
			for i := range ev.statuses {
				if sc := ev.statuses[i].match(in.status); sc > h.score {
					h.score, h.i = sc, i
				}
			}
		}
		out[n] = h
		n++
	}
	if len(ev.texts) > 0 {
		h := hit{kind: hitText}
		for i := range ev.texts {
			if a, b, ok := in.findText(&ev.texts[i], p.texts[i]); ok {
				h = hit{kind: hitText, score: scoreText, a: a, b: b}
				break
			}
		}
		out[n] = h
		n++
	}
	if len(ev.reasons) > 0 {
		h := hit{kind: hitReason}
		if in.f.Reason != "" && slices.Contains(ev.reasons, in.f.Reason) {
			h.score = scoreReason
		}
		out[n] = h
		n++
	}
	return n
}

// span returns how many bytes of the texts a token or text hit covers.
func (in *input) span(ev *evidence, h *hit) int {
	switch h.kind {
	case hitToken:
		return len(ev.literal[h.i])
	case hitTokenPattern, hitText:
		return h.b - h.a
	}
	return 0
}

func (in *input) trigger(ev *evidence, h *hit) string {
	switch h.kind {
	case hitToken:
		return "token " + ev.literal[h.i]
	case hitTokenPattern:
		return "token " + string(in.sc.buf[h.a:h.b])
	case hitStatus:
		return ev.statuses[h.i].label(in.status)
	case hitText:
		return textTrigger(in.sc.buf[h.a:h.b])
	}
	return "reason " + in.f.Reason
}

// from returns the earliest place in the joined texts where a match
// needing the literal groups g can start, as far as the literals tell:
// the latest of the groups' first occurrences. It reports false when a
// group has no literal in the texts, so that nothing can match.
func (in *input) from(g groups) (int, bool) {
	from := 0
	for _, grp := range g {
		first := -1
		for _, id := range grp {
			if in.found(id) && (first < 0 || in.sc.first[id] < first) {
				first = in.sc.first[id]
			}
		}
		if first < 0 {
			return 0, false
		}
		from = max(from, first)
	}
	return from, true
}

// findToken returns where the token of the first match of p is.
func (in *input) findToken(p *tokenPattern, g groups) (a, b int, ok bool) {
	if !in.exact {
		if _, ok := in.from(g); !ok {
			return 0, 0, false
		}
	}
	loc := p.re.FindSubmatchIndex(in.sc.buf)
	if loc == nil || loc[2] < 0 {
		return 0, 0, false
	}
	return loc[2], loc[3], true
}

// findText returns the leftmost match of t in the joined texts.
//
// A pattern that matches a few strings (see alternatives) matches the
// first of them that occurs where the earliest occurrence is.
//
// A line-local pattern's match lies inside one line, and contains a
// literal of every group; so the lines to search are those with a
// literal of one group, the anchor, in order. Within a line, a match
// that contains an anchor literal at or after o starts at or after
// o + (the anchor's shortest literal) - maxLen. The search starts there
// when the byte before tells the pattern the same as the start of the
// searched text does (see safeStart), else at the start of the line; a
// line starts after a newline, which is what the start of the text means
// for ^ in multi-line mode and for \b. So the result is the same as on
// the whole text.
func (in *input) findText(t *textPattern, g groups) (a, b int, ok bool) {
	buf := in.sc.buf
	if in.exact || g == nil {
		return find(t, buf, 0, len(buf))
	}
	anchor, o, minLen := in.anchor(g)
	switch {
	case anchor < 0:
		return 0, 0, false
	case t.alts != nil:
		// The first alternative, in the order of preference, that occurs
		// where the earliest occurrence is.
		for _, id := range g[0] {
			if in.found(id) && in.sc.first[id] == o {
				return o, o + in.x.lits[id].n, true
			}
		}
	case !t.line:
		return find(t, buf, 0, len(buf))
	}
	for {
		start := bytes.LastIndexByte(buf[:o], '\n') + 1
		end := len(buf)
		if k := bytes.IndexByte(buf[o:], '\n'); k >= 0 {
			end = o + k
		}
		p := start
		if t.maxLen >= 0 && !t.beginLine {
			p = safeStart(t, buf, min(o, o+minLen-t.maxLen), start)
		}
		if a, b, ok := find(t, buf, p, end); ok {
			return a, b, true
		}
		if end == len(buf) {
			return 0, 0, false
		}
		if o = in.next(g[anchor], end+1); o < 0 {
			return 0, 0, false
		}
	}
}

func find(t *textPattern, buf []byte, from, to int) (a, b int, ok bool) {
	if loc := t.re.FindIndex(buf[from:to]); loc != nil {
		return from + loc[0], from + loc[1], true
	}
	return 0, 0, false
}

// safeStart returns the latest place at or before p, and not before the
// line start, from which t can be searched as if from the line start: a
// rune starts there, and for \b and \B the byte before is not a word
// byte (the start of a text counts as a non-word character).
func safeStart(t *textPattern, buf []byte, p, line int) int {
	for ; p > line; p-- {
		if buf[p]&0xc0 != 0x80 && (!t.boundary || !isWordByte(buf[p-1])) {
			return p
		}
	}
	return line
}

// anchor checks that every group has a literal in the texts and chooses
// the anchor group: the one that puts the earliest possible match start
// (first occurrence plus shortest literal) latest. It returns the
// group's index (-1 when a group has no literal in the texts), its first
// occurrence and its shortest literal's length.
func (in *input) anchor(g groups) (anchor, first, minLen int) {
	anchor = -1
	for i, grp := range g {
		fo, n := -1, -1
		for _, id := range grp {
			if in.found(id) && (fo < 0 || in.sc.first[id] < fo) {
				fo = in.sc.first[id]
			}
			if l := in.x.lits[id].n; n < 0 || l < n {
				n = l
			}
		}
		if fo < 0 {
			return -1, 0, 0
		}
		if anchor < 0 || fo+n > first+minLen {
			anchor, first, minLen = i, fo, n
		}
	}
	return anchor, first, minLen
}

// next returns the first occurrence at or after from of a literal of
// grp, or -1.
func (in *input) next(grp []int32, from int) int {
	sc := in.sc
	if len(sc.low) != len(sc.buf) {
		sc.low = append(sc.low[:0], sc.buf...)
		for i, c := range sc.low {
			if 'A' <= c && c <= 'Z' {
				sc.low[i] = c + 'a' - 'A'
			}
		}
	}
	best := -1
	for _, id := range grp {
		if !in.found(id) {
			continue
		}
		if k := bytes.Index(sc.low[from:], in.x.bstrs[id]); k >= 0 && (best < 0 || from+k < best) {
			best = from + k
		}
	}
	return best
}

// textTrigger returns the trigger for matched text: "text " and the text
// quoted, with runs of white space made one space and clipped to 80
// runes. Most matches are short printable ASCII with single spaces, which
// need nothing of that.
func textTrigger(b []byte) string {
	const most = 80
	plain := len(b) <= most && len(b) > 0 && b[0] != ' ' && b[len(b)-1] != ' '
	for i := 0; plain && i < len(b); i++ {
		c := b[i]
		plain = c > ' ' && c < 0x7f && c != '"' && c != '\\' || c == ' ' && b[i+1] != ' '
	}
	if plain {
		return "text \"" + string(b) + "\""
	}
	return "text " + strconv.Quote(clip(string(b), most))
}
