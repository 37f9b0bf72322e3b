package dnscheck

import (
	"context"
	"net"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// maxNameServers is the most name servers of one zone that are asked.
const maxNameServers = 4

// question is one name and type whose answers are compared.
type question struct {
	name  string
	qtype uint16
}

// checkPropagation asks the authoritative name servers of the sender's
// zones directly and compares their answers with the resolver's, for the
// records the other checks read, and compares the parent zone's
// delegation with the zone's own NS records.
func (k *checker) checkPropagation(ctx context.Context, t Target) []Finding {
	byDomain := map[string][]question{}
	var order []string
	add := func(dom string, q question) {
		if _, ok := byDomain[dom]; !ok {
			order = append(order, dom)
		}
		byDomain[dom] = append(byDomain[dom], q)
	}
	if d := t.spfDomain(); d != "" {
		add(d, question{d, dns.TypeTXT})
	}
	if d := t.FromDomain; d != "" {
		add(d, question{"_dmarc." + d, dns.TypeTXT})
		if t.Service == ServiceMicrosoft365 {
			add(d, question{"selector1._domainkey." + d, dns.TypeCNAME})
			add(d, question{"selector2._domainkey." + d, dns.TypeCNAME})
		}
		for _, s := range k.selectors(t) {
			if s.Domain == d {
				add(d, question{s.Selector + "._domainkey." + d, dns.TypeTXT})
			}
		}
	}
	var out []Finding
	for _, d := range order {
		out = append(out, k.propagateZone(ctx, d, byDomain[d])...)
	}
	return out
}

// nameServer is an authoritative server of a zone and where it is asked.
type nameServer struct {
	host string // as the NS record names it
	addr string // host:port
}

// zoneOf finds the zone that holds name: the owner of the SOA record in the
// answer or authority section of a SOA query.
func (k *checker) zoneOf(ctx context.Context, name string) (string, *answer) {
	a := k.c.lookup(ctx, name, dns.TypeSOA)
	if !a.ok() {
		return "", a
	}
	for _, rr := range a.rrs {
		if _, ok := rr.(*dns.SOA); ok {
			return strings.ToLower(rr.Header().Name), a
		}
	}
	for _, rr := range a.ns {
		if _, ok := rr.(*dns.SOA); ok {
			return strings.ToLower(rr.Header().Name), a
		}
	}
	return "", a
}

// nameServers returns the name servers of zone as the resolver gives them,
// with the addresses to ask them at.
func (k *checker) nameServers(ctx context.Context, zone string) ([]nameServer, []*answer) {
	a := k.c.lookup(ctx, zone, dns.TypeNS)
	answers := []*answer{a}
	var out []nameServer
	hosts := a.names()
	slices.Sort(hosts)
	for _, h := range hosts {
		if len(out) == maxNameServers {
			break
		}
		if addr, ok := k.cfg.nameServers[h]; ok {
			out = append(out, nameServer{h, addr})
			continue
		}
		a4 := k.c.lookup(ctx, h, dns.TypeA)
		answers = append(answers, a4)
		ips := addrsOf(a4)
		if len(ips) == 0 {
			a6 := k.c.lookup(ctx, h, dns.TypeAAAA)
			answers = append(answers, a6)
			ips = addrsOf(a6)
		}
		if len(ips) > 0 {
			out = append(out, nameServer{h, net.JoinHostPort(ips[0].String(), "53")})
		}
	}
	return out, answers
}

// rdataSet returns the records owned by the name asked for as a sorted set
// of strings, for comparison: a CNAME counts as itself, as an authoritative
// server does not follow it out of its zone; NXDOMAIN and NODATA are both
// the empty set.
func rdataSet(a *answer) []string {
	var out []string
	for _, rr := range a.own {
		out = append(out, strings.ToLower(rdata(rr)))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (k *checker) propagateZone(ctx context.Context, dom string, qs []question) []Finding {
	f := func(sev Severity, sum Text, e []Evidence) Finding {
		return Finding{Check: Propagation, Severity: sev, Subject: dom, Summary: sum, Evidence: e, RemedyID: idPropagation}
	}
	zone, soa := k.zoneOf(ctx, dom)
	if zone == "" {
		if soa.nxdomain() {
			return nil // the SPF and DMARC findings say that the domain does not exist
		}
		return []Finding{f(SeverityUnknown, text("The zone of %s could not be found, so its name servers were not asked.",
			"%s のゾーンが分からないため、権威 DNS サーバーには問い合わせていません。", dom), ev(soa))}
	}
	servers, nsAnswers := k.nameServers(ctx, zone)
	if len(servers) == 0 {
		out := f(SeverityUnknown, text("The name servers of %s could not be found or resolved, so they were not asked.",
			"%s の権威 DNS サーバーが分からない（またはアドレスを引けない）ため、問い合わせていません。", zoneName(zone)), ev(nsAnswers...))
		out.RemedyID = ""
		return []Finding{out}
	}
	var out []Finding
	var differ, failed []*answer
	var evid []*answer
	for _, q := range qs {
		r := k.c.lookup(ctx, q.name, q.qtype)
		if !r.ok() {
			failed = append(failed, r)
			continue
		}
		want := rdataSet(r)
		var diff bool
		var auths []*answer
		for _, s := range servers {
			a := k.c.query(ctx, s.addr, q.name, q.qtype, false)
			auths = append(auths, a)
			if !a.ok() {
				failed = append(failed, a)
				continue
			}
			if !slices.Equal(rdataSet(a), want) {
				diff = true
			}
		}
		if diff {
			differ = append(differ, r)
			differ = append(differ, auths...)
		} else {
			evid = append(evid, r)
			evid = append(evid, auths...)
		}
	}
	if len(differ) > 0 {
		var names []string
		for _, a := range differ {
			if a.server == k.c.resolver {
				names = append(names, dns.TypeToString[a.qtype]+" "+strings.TrimSuffix(a.name, "."))
			}
		}
		out = append(out, f(SeverityWarning, text(
			"The authoritative name servers of %s and the resolver %s give different answers for %s: a DNS change has not reached every resolver yet (the old answer is kept until its TTL runs out), or the name servers are inconsistent. Receivers may still see the old records.",
			"%s の権威 DNS サーバーとリゾルバー %s で %s の回答が異なります。DNS の変更がまだ行き渡っていない（古い回答は TTL が切れるまで残ります）か、権威サーバー間で内容が揃っていません。受信側はまだ古いレコードを見ている可能性があります。",
			zoneName(zone), k.c.resolver, strings.Join(names, ", ")), ev(differ...)))
	}
	if len(failed) > 0 {
		out = append(out, Finding{Check: Propagation, Severity: SeverityUnknown, Subject: dom, Evidence: ev(failed...), Summary: text(
			"Some answers needed to compare the authoritative name servers of %s with the resolver could not be obtained.",
			"%s の権威 DNS サーバーとリゾルバーの回答を比べるのに必要な問い合わせの一部に失敗しました。", zoneName(zone))})
	}
	out = append(out, k.delegation(ctx, zone, servers)...)
	if len(out) == 0 {
		var hosts []string
		for _, s := range servers {
			hosts = append(hosts, strings.TrimSuffix(s.host, "."))
		}
		out = append(out, f(SeverityOK, text(
			"The authoritative name servers of %s (%s) and the resolver give the same answers for the records checked, and the parent zone delegates to the same name servers.",
			"%s の権威 DNS サーバー（%s）とリゾルバーは確認したレコードで同じ回答を返し、親ゾーンの委任先も一致しています。",
			zoneName(zone), strings.Join(hosts, ", ")), ev(evid...)))
	}
	return out
}

// delegation compares the NS records the parent zone delegates with
// with the zone's own NS records at its first name server.
func (k *checker) delegation(ctx context.Context, zone string, servers []nameServer) []Finding {
	labels := dns.SplitDomainName(zone)
	if len(labels) < 2 {
		return nil
	}
	parent, psoa := k.zoneOf(ctx, strings.Join(labels[1:], ".")+".")
	f := Finding{Check: Propagation, Subject: zoneName(zone), RemedyID: idPropagation}
	if parent == "" {
		f.Severity, f.RemedyID = SeverityUnknown, ""
		f.Evidence = ev(psoa)
		f.Summary = text("The parent zone of %s could not be found, so the delegation was not compared.",
			"%s の親ゾーンが分からないため、委任を比較していません。", zoneName(zone))
		return []Finding{f}
	}
	pservers, pans := k.nameServers(ctx, parent)
	child := k.c.query(ctx, servers[0].addr, zone, dns.TypeNS, false)
	if len(pservers) == 0 || !child.ok() {
		f.Severity, f.RemedyID = SeverityUnknown, ""
		f.Evidence = ev(append(pans, child)...)
		f.Summary = text("The delegation of %s could not be compared: the parent zone's name servers or the zone's own NS records could not be read.",
			"%s の委任を比較できませんでした。親ゾーンの権威サーバー、またはゾーン自身の NS レコードを読めませんでした。", zoneName(zone))
		return []Finding{f}
	}
	p := k.c.query(ctx, pservers[0].addr, zone, dns.TypeNS, false)
	if !p.ok() {
		f.Severity, f.RemedyID = SeverityUnknown, ""
		f.Evidence = ev(p)
		f.Summary = text("The parent zone's name server did not answer for the delegation of %s.",
			"%s の委任について親ゾーンの権威サーバーが応答しませんでした。", zoneName(zone))
		return []Finding{f}
	}
	// A referral carries the NS records in the authority section.
	var delegated []string
	for _, rr := range append(slices.Clone(p.rrs), p.ns...) {
		if ns, ok := rr.(*dns.NS); ok && strings.EqualFold(ns.Hdr.Name, zone) {
			delegated = append(delegated, strings.TrimSuffix(strings.ToLower(ns.Ns), "."))
		}
	}
	slices.Sort(delegated)
	delegated = slices.Compact(delegated)
	own := rdataSet(child)
	if slices.Equal(delegated, own) {
		return nil
	}
	f.Severity = SeverityWarning
	e := p.evidence()
	e.Records = delegated
	f.Evidence = []Evidence{e, child.evidence()}
	f.Summary = text(
		"The parent zone delegates %s to %s, but the zone's own NS records name %s. A name server change at the registrar may not be complete, and resolvers may ask servers with old data.",
		"親ゾーンは %s を %s に委任していますが、ゾーン自身の NS レコードは %s です。レジストラでのネームサーバー変更が完了していない可能性があり、リゾルバーが古いデータを持つサーバーに問い合わせることがあります。",
		zoneName(zone), strings.Join(delegated, ", "), strings.Join(own, ", "))
	return []Finding{f}
}

// zoneName writes a zone without its final dot.
func zoneName(z string) string { return strings.TrimSuffix(z, ".") }
