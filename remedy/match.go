package remedy

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Match returns the entries that apply to f, most specific first: an
// entry matched by a receiver token, a text pattern or an enhanced status
// code ranks above one matched only by its reason. Every reason of the
// vocabulary has a generic entry in the default catalogue, so Match on
// Facts with a known Reason returns at least one entry.
func (c *Catalogue) Match(f Facts) []Match {
	return c.match(f, make([]Match, 0, 4)) // most facts match a few entries
}

// match is Match appending to out[:0].
func (c *Catalogue) match(f Facts, out []Match) []Match {
	x := c.idx
	if x == nil {
		return nil
	}
	sc := x.pool.Get().(*scratch)
	// The facts are read through the pooled scratch, which is on the
	// heap already, rather than through a copy of f made there per call.
	sc.facts = f
	// So is the input, which the constraints on the parties take through
	// function values (partyConstraints).
	sc.in = input{f: &sc.facts, c: c, x: x, sc: sc}
	in := &sc.in
	in.prepare()
	out = out[:0]
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
		rc := decideRetry(f, in.found(x.willNot))
		by := in.sentBy()
		for i := range out {
			out[i].Case, out[i].RetryUntil, out[i].SentBy = rc, f.RetryUntil, by
			out[i].RetryFor, out[i].RetryFromArrival = f.RetryFor, f.RetryFromArrival
		}
	}
	if cap(sc.buf) > 1<<16 {
		sc.buf, sc.low = nil, nil
	}
	sc.facts, sc.in = Facts{}, input{}
	clear(sc.texts)
	sc.texts = sc.texts[:0]
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
	action    string // Facts.Action, trimmed and lower-cased
	// same and moved are the results of sameDomain and forwarded, worked
	// out the first time an entry asks: 0 not yet, 1 true, 2 false.
	same, moved uint8
	// sameReg is the registrable domain that sameDomain found shared.
	sameReg string
	// rs is the trigger of the RecipientServer constraint ("" when it
	// does not hold), worked out when rsDone is first set.
	rs     string
	rsDone bool
	// reg is the registrable domain of domain when hasReg is set.
	reg    string
	hasReg bool
	// exact is set when the literals cannot rule patterns out (see
	// literal.fold): every pattern is then run on the whole text.
	exact bool
	// causeEnd is the end of Facts.Cause in the joined texts, which it
	// begins; -1 when there is no cause.
	causeEnd int
}

func (in *input) prepare() {
	f, x, sc := in.f, in.x, in.sc
	in.status, in.hasStatus = parseStatus(f.Status)
	in.domain = recipientDomain(f.Recipient)
	in.host = remoteHost(f.RemoteMTA)
	in.action = strings.ToLower(strings.TrimSpace(f.Action))
	texts := f.Texts
	in.causeEnd = -1
	if f.Cause != "" {
		sc.texts = append(append(sc.texts[:0], f.Cause), f.Texts...)
		texts, in.causeEnd = sc.texts, len(f.Cause)
	}
	sc.buf = sc.buf[:0]
	for i, t := range texts {
		if i > 0 {
			sc.buf = append(sc.buf, '\n')
		}
		sc.buf = append(sc.buf, t...)
	}
	sc.low = sc.low[:0]
	clear(sc.found)
	clear(sc.rcv)
	sc.fold = false
	x.scanTexts(texts, sc)
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

// recipientServer returns the trigger of the RecipientServer
// constraint, or "" when it does not hold: the remote host is in the
// recipient's registrable domain, or the bounce was written by one of
// the receivers (Facts.ReportedBy at one of their domains or hosts). It
// is worked out once per Facts.
func (in *input) recipientServer() string {
	if in.rsDone {
		return in.rs
	}
	in.rsDone = true
	if in.host != "" && in.domain != "" && in.sameRegistrable(in.host) {
		in.rs = triggerRecipientServer + "host " + in.host
		return in.rs
	}
	by := reporterDomain(in.f.ReportedBy)
	if by == "" {
		return ""
	}
	for i := range in.c.receivers {
		rc := &in.c.receivers[i]
		if rc.serves(by) {
			in.rs = triggerRecipientServer + "written by mail service " + by + " (" + rc.Name + ")"
			return in.rs
		}
	}
	return ""
}

// sentBy returns the name of the receiver that sent the message (see
// Match.SentBy): the bounce was written by one of the receiver's domains
// or hosts (Facts.ReportedBy, else Facts.ReportingMTA) about a
// recipient beyond the service. It is not when the recipient's domain
// or the remote server is one of the receiver's, nor when the service
// decided the failure itself (Facts.Local): it then speaks for a
// mailbox or group it hosts, which mail from anywhere reaches. A bounce
// written from an address in the recipient's own registrable domain
// came from the recipient's side (a Microsoft 365 tenant writes its
// notices from its own domain), whatever host sent it.
func (in *input) sentBy() string {
	if in.f.Local {
		return ""
	}
	by := reporterDomain(in.f.ReportedBy)
	if by != "" && in.domain != "" && in.sameRegistrable(by) {
		return ""
	}
	host := remoteHost(in.f.ReportingMTA)
	if by == "" && host == "" {
		return ""
	}
	for i := range in.c.receivers {
		rc := &in.c.receivers[i]
		if !rc.serves(by) && !rc.serves(host) {
			continue
		}
		if slices.ContainsFunc(rc.Domains, func(d string) bool { return hasSuffix(in.domain, d) }) || rc.serves(in.host) {
			// The service delivers to its own users: the message may
			// have come from anywhere.
			return ""
		}
		return rc.Name
	}
	return ""
}

// serves reports whether the domain or host name is at one of the
// receiver's domains or hosts (under it or equal to it); "" is at none.
func (rc *Receiver) serves(name string) bool {
	has := func(d string) bool { return hasSuffix(name, d) }
	return slices.ContainsFunc(rc.Domains, has) || slices.ContainsFunc(rc.Hosts, has)
}

// reporterDomain returns the domain of Facts.ReportedBy: an address's
// domain as recipientDomain reads it, or a host name as remoteHost reads
// it; "" when there is none.
func reporterDomain(by string) string {
	if strings.Contains(by, "@") {
		return recipientDomain(by)
	}
	return remoteHost(by)
}

// triggerRecipientServer begins the trigger of the RecipientServer
// constraint.
const triggerRecipientServer = "recipient's server: "

// triggerLocal is the trigger of the Local constraint.
const triggerLocal = "failure decided by the reporting host"

// triggerUnreachable names the Unreachable constraint in a match's
// triggers.
const triggerUnreachable = "no recipient's server reached"

// triggerAutoResponse names the AutoResponse constraint in a match's
// triggers.
const triggerAutoResponse = "the failed message was an automatic response"

// triggerRemoteServer begins the trigger of the RemoteServer
// constraint, which the remote host ends.
const triggerRemoteServer = "answer of the sending server's peer "

// triggerListMessage names the ListMessage constraint in a match's
// triggers.
const triggerListMessage = "the failed message was a mailing list's copy"

// recipientAddress returns addr without surrounding space and angle
// brackets, as a trigger shows it.
func recipientAddress(addr string) string {
	return strings.Trim(strings.TrimSpace(addr), "<>")
}

// sameLocalPart reports whether the addresses a and b have the same
// local part, compared without regard to case: an address routed on to
// another domain under its own name (user@example.com to
// user@example.mail.onmicrosoft.com in a hybrid Exchange, to
// user@example.com.test-google-a.com with split delivery), not forwarded
// to another mailbox.
func sameLocalPart(a, b string) bool {
	a, b = recipientAddress(a), recipientAddress(b)
	i, j := strings.LastIndexByte(a, '@'), strings.LastIndexByte(b, '@')
	// A local part may be quoted in one and not in the other
	// ("a..b"@example.com).
	return i > 0 && j > 0 && strings.EqualFold(strings.Trim(a[:i], `"`), strings.Trim(b[:j], `"`))
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

// registrableOf returns domain d one label below its public suffix
// ("example.co.jp" for "tokyo.example.co.jp"; d as recipientDomain gives
// it, in lower case); d itself when the public suffix list gives no such
// domain (a public suffix itself, or a name it cannot read); "" for "".
func registrableOf(d string) string {
	if d == "" {
		return ""
	}
	if r, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return r
	}
	return d
}

// sameDomain reports whether the sender and the address the sender
// wrote (the original recipient when the bounce names one, else the
// recipient) have the same registrable domain, and sets in.sameReg to
// that domain.
func (in *input) sameDomain() bool {
	if in.same == 0 {
		in.same = 2
		s := recipientDomain(in.f.Sender)
		if o := recipientDomain(in.f.OriginalRecipient); o != "" {
			if s != "" && (s == o || shareTwoLabels(s, o) && registrableOf(s) == registrableOf(o)) {
				in.same, in.sameReg = 1, registrableOf(o)
			}
		} else if s != "" && in.sameRegistrable(s) {
			in.same, in.sameReg = 1, in.registrable()
		}
	}
	return in.same == 1
}

// forwarded reports whether the original recipient has another local
// part than the recipient.
func (in *input) forwarded() bool {
	if in.moved == 0 {
		in.moved = 2
		o := recipientDomain(in.f.OriginalRecipient)
		if o != "" && in.domain != "" && !sameLocalPart(in.f.OriginalRecipient, in.f.Recipient) {
			in.moved = 1
		}
	}
	return in.moved == 1
}

// sameRegistrable reports whether domain d has the registrable domain of
// the recipient's domain, without the public suffix list when d is that
// domain or the two do not share two labels.
func (in *input) sameRegistrable(d string) bool {
	return d == in.domain || shareTwoLabels(d, in.domain) && registrableOf(d) == in.registrable()
}

// shareTwoLabels reports whether domains a and b end in the same two
// labels or more. Two different domains without that cannot have the
// same registrable domain, which is a public suffix and one label more.
func shareTwoLabels(a, b string) bool {
	labels := 0
	for i, j := len(a)-1, len(b)-1; ; i, j = i-1, j-1 {
		if i < 0 || j < 0 {
			// One name is a suffix of the other: a whole label more.
			if (i < 0 || a[i] == '.') && (j < 0 || b[j] == '.') {
				labels++
			}
			return labels >= 2
		}
		if a[i] != b[j] {
			return labels >= 2
		}
		if a[i] == '.' {
			labels++
		}
	}
}

// registrable returns the registrable domain of the recipient's domain,
// worked out the first time it is asked for.
func (in *input) registrable() string {
	if !in.hasReg {
		in.reg, in.hasReg = registrableOf(in.domain), true
	}
	return in.reg
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
	if len(w.Actions) > 0 && !slices.Contains(w.Actions, in.action) {
		return Match{}, false
	}
	for i := range partyConstraints {
		if c := &partyConstraints[i]; c.asked(w) && !c.holds(in) {
			return Match{}, false
		}
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
	inCause := false
	for i := range when[:nw] {
		if h := &when[i]; h.score > 0 {
			m.Triggers = append(m.Triggers, in.trigger(&e.when, h))
			if h.kind != hitStatus || in.causeEnd < 0 {
				m.Score += h.score
			}
			m.span += in.span(&e.when, h)
			inCause = inCause || in.inCause(p.when.tokens, h)
		}
	}
	if inCause {
		m.Score += scoreCause
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
	if len(w.Actions) > 0 {
		m.Triggers = append(m.Triggers, "action "+in.action)
		m.Score += scoreAction
	}
	for i := range partyConstraints {
		if c := &partyConstraints[i]; c.asked(w) {
			m.Triggers = append(m.Triggers, c.trigger(in))
			m.Score += c.score
		}
	}
	return m, true
}

// partyConstraint is one of the boolean constraints on the parties
// (Conditions.SameDomain and the others): whether an entry asks for it,
// whether it holds for the input, the trigger it adds to a match when it
// does, and what it adds to the match's score.
type partyConstraint struct {
	asked   func(*Conditions) bool
	holds   func(*input) bool
	trigger func(*input) string
	score   int
}

// partyConstraints are the boolean constraints, in the order in which a
// match lists their triggers.
var partyConstraints = [...]partyConstraint{
	{func(w *Conditions) bool { return w.SameDomain }, (*input).sameDomain,
		func(in *input) string { return "same domain " + in.sameReg }, scoreSameDomain},
	{func(w *Conditions) bool { return w.Local }, func(in *input) bool { return in.f.Local },
		func(*input) string { return triggerLocal }, scoreLocal},
	{func(w *Conditions) bool { return w.Forwarded }, (*input).forwarded,
		func(in *input) string { return "original recipient " + recipientAddress(in.f.OriginalRecipient) }, scoreForwarded},
	{func(w *Conditions) bool { return w.Unreachable }, func(in *input) bool { return in.f.Unreachable },
		func(*input) string { return triggerUnreachable }, scoreUnreachable},
	{func(w *Conditions) bool { return w.RecipientServer }, func(in *input) bool { return in.recipientServer() != "" },
		(*input).recipientServer, scoreRecipientServer},
	{func(w *Conditions) bool { return w.RemoteServer }, func(in *input) bool { return in.host != "" && !in.f.Submission },
		func(in *input) string { return triggerRemoteServer + in.host }, scoreRemoteServer},
	{func(w *Conditions) bool { return w.AutoResponse }, func(in *input) bool { return in.f.AutoResponse },
		func(*input) string { return triggerAutoResponse }, scoreAutoResponse},
	{func(w *Conditions) bool { return w.ListMessage }, func(in *input) bool { return in.f.ListMessage },
		func(*input) string { return triggerListMessage }, scoreListMessage},
}

// asksParty reports whether w asks for any of the constraints on the
// parties.
func (w *Conditions) asksParty() bool {
	for i := range partyConstraints {
		if partyConstraints[i].asked(w) {
			return true
		}
	}
	return false
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
		// The first item that matches, or with a cause, the first that
		// matches in it if any does.
		h := hit{kind: hitToken}
		for i, id := range p.tokens {
			if in.found(id) && (h.score == 0 || in.sc.first[id] < in.causeEnd) {
				h = hit{kind: hitToken, score: scoreToken, i: i}
				if in.causeEnd < 0 || in.sc.first[id] < in.causeEnd {
					break
				}
			}
		}
		if h.score == 0 || in.causeEnd >= 0 && !in.inCause(p.tokens, &h) {
			for i := range ev.patterns {
				if a, b, ok := in.findToken(&ev.patterns[i], p.patterns[i]); ok && (h.score == 0 || a < in.causeEnd) {
					h = hit{kind: hitTokenPattern, score: scoreToken, i: i, a: a, b: b}
					if in.causeEnd < 0 || a < in.causeEnd {
						break
					}
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
			if a, b, ok := in.findText(&ev.texts[i], p.texts[i]); ok && (h.score == 0 || a < in.causeEnd) {
				h = hit{kind: hitText, score: scoreText, a: a, b: b}
				if in.causeEnd < 0 || a < in.causeEnd {
					break
				}
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

// inCause reports whether a token or text hit lies in Facts.Cause;
// tokens are the literals of the evidence's plain tokens.
func (in *input) inCause(tokens []int32, h *hit) bool {
	switch h.kind {
	case hitToken:
		return in.sc.first[tokens[h.i]] < in.causeEnd
	case hitTokenPattern, hitText:
		return h.a < in.causeEnd
	}
	return false
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
