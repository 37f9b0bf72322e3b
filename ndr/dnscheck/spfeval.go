package dnscheck

import (
	"context"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// Limits of RFC 7208, section 4.6.4.
const (
	// SPFLookupLimit is the most DNS-querying terms (include, a, mx, ptr,
	// exists, redirect) an SPF evaluation may use.
	SPFLookupLimit = 10
	// SPFVoidLimit is the most lookups that return no records an SPF
	// evaluation may make.
	SPFVoidLimit = 2
	// spfMXLimit is the most MX hosts (and PTR names) one mechanism may
	// resolve.
	spfMXLimit = 10
)

// spfResult is a result of check_host (RFC 7208, section 2.6).
type spfResult string

const (
	spfNone      spfResult = "none"
	spfNeutral   spfResult = "neutral"
	spfPass      spfResult = "pass"
	spfFail      spfResult = "fail"
	spfSoftFail  spfResult = "softfail"
	spfTempError spfResult = "temperror"
	spfPermError spfResult = "permerror"
)

// spfOutcome is the result of evaluating an address against a domain's
// SPF record.
type spfOutcome struct {
	result spfResult
	term   string // the mechanism that matched, "" when none
	domain string // the domain whose record held it
	reason string // why for permerror and temperror
}

// spfRecordAt fetches and selects the SPF record of domain. It returns the
// answer, the SPF texts found and, when exactly one was found, the parsed
// record or its syntax error.
func (k *checker) spfRecordAt(ctx context.Context, domain string) (a *answer, texts []string, rec *spfRecord, err error) {
	a = k.c.lookup(ctx, domain, dns.TypeTXT)
	for _, t := range a.txts() {
		if isSPF(t) {
			texts = append(texts, t)
		}
	}
	if len(texts) == 1 {
		rec, err = parseSPF(texts[0])
	}
	return a, texts, rec, err
}

// spfEval evaluates one address (check_host of RFC 7208, section 4).
type spfEval struct {
	k       *checker
	ip      netip.Addr
	sender  string
	lookups int
	voids   int
	answers []*answer
}

func (e *spfEval) ask(ctx context.Context, name string, qtype uint16) *answer {
	a := e.k.c.lookup(ctx, name, qtype)
	e.answers = append(e.answers, a)
	return a
}

// countVoid counts a void answer; it reports whether the limit is passed.
func (e *spfEval) countVoid(a *answer) bool {
	if a.void() {
		e.voids++
	}
	return e.voids > SPFVoidLimit
}

func (e *spfEval) checkHost(ctx context.Context, domain string) spfOutcome {
	a := e.ask(ctx, domain, dns.TypeTXT)
	if !a.ok() {
		return spfOutcome{result: spfTempError, domain: domain, reason: a.err.Error()}
	}
	var texts []string
	for _, t := range a.txts() {
		if isSPF(t) {
			texts = append(texts, t)
		}
	}
	switch {
	case len(texts) == 0:
		return spfOutcome{result: spfNone, domain: domain}
	case len(texts) > 1:
		return spfOutcome{result: spfPermError, domain: domain, reason: "more than one SPF record"}
	}
	rec, err := parseSPF(texts[0])
	if err != nil {
		return spfOutcome{result: spfPermError, domain: domain, reason: err.Error()}
	}
	env := macroEnv{sender: e.sender, ip: e.ip, domain: domain, helo: domain}
	for _, t := range rec.terms {
		switch t.mech {
		case "include", "a", "mx", "ptr", "exists":
			e.lookups++
			if e.lookups > SPFLookupLimit {
				return spfOutcome{result: spfPermError, domain: domain, reason: "more than 10 DNS lookups"}
			}
		}
		target := domain
		if t.domain != "" {
			x, err := expand(t.domain, env)
			if err != nil {
				return spfOutcome{result: spfPermError, domain: domain, reason: err.Error()}
			}
			target = x
		}
		match, out := e.mechanism(ctx, t, target)
		if out != nil {
			return *out
		}
		if match {
			return spfOutcome{result: qualifierResult(t.qualifier), term: t.raw, domain: domain}
		}
	}
	if rec.redirect != "" {
		e.lookups++
		if e.lookups > SPFLookupLimit {
			return spfOutcome{result: spfPermError, domain: domain, reason: "more than 10 DNS lookups"}
		}
		target, err := expand(rec.redirect, env)
		if err != nil {
			return spfOutcome{result: spfPermError, domain: domain, reason: err.Error()}
		}
		out := e.checkHost(ctx, target)
		if out.result == spfNone {
			return spfOutcome{result: spfPermError, domain: target, reason: "redirect to a domain without SPF record"}
		}
		return out
	}
	return spfOutcome{result: spfNeutral, domain: domain}
}

// mechanism evaluates one mechanism. A non-nil outcome ends the
// evaluation (an error).
func (e *spfEval) mechanism(ctx context.Context, t spfTerm, target string) (bool, *spfOutcome) {
	ip := e.ip.Unmap()
	fail := func(r spfResult, reason string) (bool, *spfOutcome) {
		return false, &spfOutcome{result: r, domain: target, reason: reason}
	}
	switch t.mech {
	case "all":
		return true, nil
	case "ip4", "ip6":
		return t.prefix.Contains(ip), nil
	case "include":
		out := e.checkHost(ctx, target)
		switch out.result {
		case spfPass:
			return true, nil
		case spfFail, spfSoftFail, spfNeutral:
			return false, nil
		case spfTempError:
			return false, &out
		default:
			return fail(spfPermError, "include:"+target+" has no usable SPF record")
		}
	case "a":
		m, err := e.addrMatch(ctx, target, ip, t)
		if err != nil {
			return false, err
		}
		return m, nil
	case "mx":
		a := e.ask(ctx, target, dns.TypeMX)
		if !a.ok() {
			return fail(spfTempError, a.err.Error())
		}
		if e.countVoid(a) {
			return fail(spfPermError, "more than 2 void lookups")
		}
		hosts := a.names()
		if len(hosts) > spfMXLimit {
			return fail(spfPermError, "more than 10 MX hosts")
		}
		for _, h := range hosts {
			if h == "." {
				continue
			}
			m, err := e.addrMatch(ctx, h, ip, t)
			if err != nil {
				return false, err
			}
			if m {
				return true, nil
			}
		}
		return false, nil
	case "ptr":
		rev, err := dns.ReverseAddr(ip.String())
		if err != nil {
			return false, nil
		}
		a := e.ask(ctx, rev, dns.TypePTR)
		if !a.ok() {
			return false, nil // a PTR failure is no match (section 5.5)
		}
		names := a.names()
		if len(names) > spfMXLimit {
			names = names[:spfMXLimit]
		}
		want := strings.ToLower(strings.TrimSuffix(target, "."))
		for _, n := range names {
			n = strings.TrimSuffix(n, ".")
			if n != want && !strings.HasSuffix(n, "."+want) {
				continue
			}
			if e.forwardHas(ctx, n, ip) {
				return true, nil
			}
		}
		return false, nil
	case "exists":
		a := e.ask(ctx, target, dns.TypeA)
		if !a.ok() {
			return fail(spfTempError, a.err.Error())
		}
		if e.countVoid(a) {
			return fail(spfPermError, "more than 2 void lookups")
		}
		return len(a.rrs) > 0, nil
	}
	return false, nil
}

// addrMatch resolves host for the address family of ip and compares each
// address with ip under the term's prefix lengths.
func (e *spfEval) addrMatch(ctx context.Context, host string, ip netip.Addr, t spfTerm) (bool, *spfOutcome) {
	qtype, bits := dns.TypeA, t.cidr4
	if ip.Is6() {
		qtype, bits = dns.TypeAAAA, t.cidr6
	}
	a := e.ask(ctx, host, qtype)
	if !a.ok() {
		return false, &spfOutcome{result: spfTempError, domain: host, reason: a.err.Error()}
	}
	if e.countVoid(a) {
		return false, &spfOutcome{result: spfPermError, domain: host, reason: "more than 2 void lookups"}
	}
	for _, addr := range addrsOf(a) {
		if p, err := addr.Prefix(bits); err == nil && p.Contains(ip) {
			return true, nil
		}
	}
	return false, nil
}

// forwardHas reports whether host's addresses include ip.
func (e *spfEval) forwardHas(ctx context.Context, host string, ip netip.Addr) bool {
	qtype := dns.TypeA
	if ip.Is6() {
		qtype = dns.TypeAAAA
	}
	for _, addr := range addrsOf(e.ask(ctx, host, qtype)) {
		if addr == ip {
			return true
		}
	}
	return false
}

// addrsOf returns the addresses of A and AAAA records.
func addrsOf(a *answer) []netip.Addr {
	var out []netip.Addr
	for _, rr := range a.rrs {
		switch r := rr.(type) {
		case *dns.A:
			if ip, ok := netip.AddrFromSlice(r.A.To4()); ok {
				out = append(out, ip)
			}
		case *dns.AAAA:
			if ip, ok := netip.AddrFromSlice(r.AAAA.To16()); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}

func qualifierResult(q byte) spfResult {
	switch q {
	case '-':
		return spfFail
	case '~':
		return spfSoftFail
	case '?':
		return spfNeutral
	}
	return spfPass
}

// spfTree is what a walk through a record and everything it includes
// found, without an address to evaluate: the counts a receiver reaches when
// it evaluates every term.
type spfTree struct {
	lookups    int      // DNS-querying terms, include and redirect counted through
	voids      int      // lookups that returned no records
	includes   []string // every include and redirect target, lower case
	problems   []string // permanent errors in included records
	ptr        bool     // a ptr mechanism is used
	incomplete bool     // a lookup failed or the walk stopped early: counts may be low
	answers    []*answer
}

// walkSPF walks rec (the record of domain) and the records it includes or
// redirects to. It stops once the lookup limit is passed, as a receiver
// does.
func (k *checker) walkSPF(ctx context.Context, domain string, rec *spfRecord) *spfTree {
	w := &spfTree{}
	path := map[string]bool{strings.ToLower(strings.TrimSuffix(domain, ".")): true}
	k.walk(ctx, domain, rec, w, path)
	return w
}

// walk counts the terms of rec and follows its includes and redirect; path
// holds the domains being walked, to find loops.
func (k *checker) walk(ctx context.Context, domain string, rec *spfRecord, w *spfTree, path map[string]bool) {
	follow := func(target string) {
		w.lookups++
		if hasMacro(target) || w.lookups > SPFLookupLimit {
			return
		}
		target = strings.ToLower(strings.TrimSuffix(target, "."))
		w.includes = append(w.includes, target)
		if path[target] {
			w.problems = append(w.problems, target+" includes itself (a loop)")
			return
		}
		path[target] = true
		defer delete(path, target)
		a, texts, sub, err := k.spfRecordAt(ctx, target)
		w.answers = append(w.answers, a)
		switch {
		case !a.ok():
			w.incomplete = true
		case len(texts) == 0:
			w.voids += boolInt(a.void())
			w.problems = append(w.problems, target+" has no SPF record")
		case len(texts) > 1:
			w.problems = append(w.problems, target+" has more than one SPF record")
		case err != nil:
			w.problems = append(w.problems, target+": "+err.Error())
		default:
			k.walk(ctx, target, sub, w, path)
		}
	}
	for _, t := range rec.terms {
		if w.lookups > SPFLookupLimit {
			return
		}
		switch t.mech {
		case "include":
			follow(t.domain)
		case "a", "mx":
			w.lookups++
			target := domain
			if t.domain != "" {
				target = t.domain
			}
			if hasMacro(target) {
				continue
			}
			var void bool
			if t.mech == "mx" {
				a := k.c.lookup(ctx, target, dns.TypeMX)
				w.answers = append(w.answers, a)
				w.incomplete = w.incomplete || !a.ok()
				void = a.void()
			} else {
				a4, a6 := k.c.addrs(ctx, target)
				w.answers = append(w.answers, a4)
				w.incomplete = w.incomplete || !a4.ok() || !a6.ok()
				void = a4.void() && a6.void()
			}
			w.voids += boolInt(void)
		case "ptr":
			w.lookups++
			w.ptr = true
		case "exists":
			w.lookups++
		}
	}
	if rec.redirect != "" && !hasAll(rec) {
		follow(rec.redirect)
	}
}

// hasAll reports whether a record has an "all" mechanism, which makes a
// redirect modifier ineffective.
func hasAll(rec *spfRecord) bool {
	for _, t := range rec.terms {
		if t.mech == "all" {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
