package dnscheck

import (
	"context"
	"strings"

	"github.com/emersion/go-msgauth/dmarc"
	"github.com/miekg/dns"
	"golang.org/x/net/publicsuffix"
)

// orgDomain returns the organizational domain of RFC 7489, section 3.2:
// the registered domain under the public suffix list. A name that is
// itself a public suffix is returned as it is.
func orgDomain(dom string) string {
	dom = strings.ToLower(strings.TrimSuffix(dom, "."))
	if o, err := publicsuffix.EffectiveTLDPlusOne(dom); err == nil {
		return o
	}
	return dom
}

// isDMARC reports whether a TXT record is a DMARC record: it starts with
// the v=DMARC1 tag (RFC 7489, section 6.6.3).
func isDMARC(txt string) bool {
	v, _, _ := strings.Cut(txt, ";")
	name, val, ok := strings.Cut(v, "=")
	return ok && strings.TrimSpace(name) == "v" && strings.TrimSpace(val) == "DMARC1"
}

// parseDMARC parses a DMARC record with go-msgauth, after checking what
// that parser leaves open: v=DMARC1 comes first. Unknown tags are ignored
// (RFC 7489, section 6.3).
func parseDMARC(txt string) (*dmarc.Record, error) {
	if !isDMARC(txt) {
		return nil, &SyntaxError{Record: "dmarc", Reason: "does not start with v=DMARC1"}
	}
	rec, err := dmarc.Parse(txt)
	if err != nil {
		return nil, &SyntaxError{Record: "dmarc", Reason: strings.TrimPrefix(err.Error(), "dmarc: ")}
	}
	return rec, nil
}

// aligned reports whether an authenticated domain aligns with the From
// domain in a DMARC alignment mode.
func aligned(auth, from string, mode dmarc.AlignmentMode) bool {
	if mode == dmarc.AlignmentStrict {
		return auth == from
	}
	return orgDomain(auth) == orgDomain(from)
}

// checkDMARC checks the From domain's DMARC record and whether SPF or DKIM,
// as configured, can align with it.
func (k *checker) checkDMARC(ctx context.Context, t Target, st authState) []Finding {
	dom := t.FromDomain
	f := func(sev Severity, id string, sum Text, e []Evidence) Finding {
		return Finding{Check: DMARC, Severity: sev, Subject: dom, Summary: sum, Evidence: e, RemedyID: id}
	}
	a := k.c.lookup(ctx, "_dmarc."+dom, dns.TypeTXT)
	answers := []*answer{a}
	policyDom := dom
	texts := dmarcTexts(a)
	if a.ok() && len(texts) == 0 {
		if org := orgDomain(dom); org != dom {
			a = k.c.lookup(ctx, "_dmarc."+org, dns.TypeTXT)
			answers = append(answers, a)
			texts = dmarcTexts(a)
			policyDom = org
		}
	}
	e := ev(answers...)
	switch {
	case !a.ok():
		return []Finding{f(SeverityUnknown, "", text("The DMARC record of %s could not be read: %v.",
			"%s の DMARC レコードを読めませんでした（%v）。", dom, a.err), e)}
	case len(texts) == 0:
		return []Finding{f(SeverityError, idDMARCMissing, text(
			"%s has no DMARC record (no TXT record at _dmarc.%s starting with v=DMARC1). Large receivers such as Gmail, Yahoo and Outlook.com require one from bulk senders; publish at least v=DMARC1; p=none; rua=mailto:... .",
			"%s に DMARC レコード（_dmarc.%s の v=DMARC1 で始まる TXT レコード）がありません。Gmail、Yahoo、Outlook.com などは大量送信者に DMARC を求めています。少なくとも v=DMARC1; p=none; rua=mailto:... を登録してください。",
			dom, dom), e)}
	case len(texts) > 1:
		return []Finding{f(SeverityError, idDMARCMissing, text(
			"_dmarc.%s has %d DMARC records; receivers then apply no DMARC policy at all (RFC 7489 section 6.6.3). Keep one.",
			"_dmarc.%s に DMARC レコードが %d 件あります。この場合、受信側は DMARC ポリシーを適用しません（RFC 7489 6.6.3 節）。1 件にしてください。",
			policyDom, len(texts)), e)}
	}
	rec, err := parseDMARC(texts[0])
	if err != nil {
		return []Finding{f(SeverityError, idDMARCMissing, text(
			"The DMARC record of %s cannot be used (%v); receivers treat the domain as having none.",
			"%s の DMARC レコードは使えません（%v）。受信側は DMARC レコードがないものとして扱います。", policyDom, err), e)}
	}
	policy := rec.Policy
	if policyDom != dom && rec.SubdomainPolicy != "" {
		policy = rec.SubdomainPolicy
	}
	sum := text("%s has a DMARC record with policy p=%s: %s",
		"%s には DMARC レコードがあり、ポリシーは p=%s です: %s", dom, policy, texts[0])
	if policyDom != dom {
		sum = text("%s has no DMARC record of its own; the record of its organizational domain %s applies, with policy p=%s: %s",
			"%s には DMARC レコードがなく、組織ドメイン %s のレコードが適用されます。ポリシーは p=%s です: %s", dom, policyDom, policy, texts[0])
	}
	out := []Finding{f(SeverityOK, idDMARCMissing, sum, e)}
	if len(rec.ReportURIAggregate) == 0 {
		out = append(out, f(SeverityInfo, "", text(
			"The DMARC record of %s has no rua= address, so no aggregate reports show which servers send as the domain.",
			"%s の DMARC レコードに rua= がないため、どのサーバーがこのドメインで送信しているかを集計レポートで知ることができません。", policyDom), e))
	}
	out = append(out, alignFinding(t, rec, policy, st, e)...)
	return out
}

// dmarcTexts returns the DMARC records among an answer's TXT records.
func dmarcTexts(a *answer) []string {
	var out []string
	for _, t := range a.txts() {
		if strings.HasPrefix(strings.TrimSpace(t), "v=DMARC1") || isDMARC(t) {
			out = append(out, t)
		}
	}
	return out
}

// alignFinding says whether the From domain can pass DMARC through SPF or
// DKIM as the domain's records stand.
func alignFinding(t Target, rec *dmarc.Record, policy dmarc.Policy, st authState, e []Evidence) []Finding {
	dom := t.FromDomain
	if !st.spf.known && !st.dkim.known {
		return nil
	}
	spfOK := st.spf.known && st.spf.usable && st.spf.permits && st.spf.include &&
		(st.spf.result == "" || st.spf.result == spfPass) &&
		aligned(st.spf.domain, dom, rec.SPFAlignment)
	dkimOK := st.dkim.aligned
	f := Finding{Check: DMARC, Subject: dom, Evidence: e, RemedyID: idDMARCAlignment}
	enforcing := policy == dmarc.PolicyReject || policy == dmarc.PolicyQuarantine
	switch {
	case !spfOK && !dkimOK && st.dkim.known:
		f.Severity = SeverityWarning
		if enforcing {
			f.Severity = SeverityError
		}
		f.Summary = text(
			"Neither SPF nor DKIM can align with %s as the records stand, so DMARC fails and receivers apply p=%s. Fix SPF for the sending service and enable DKIM signing with %s.",
			"現在のレコードでは SPF も DKIM も %s と一致（アライメント）できないため DMARC は失敗し、受信側は p=%s を適用します。送信サービスの SPF を直し、%s で DKIM 署名を有効にしてください。",
			dom, policy, dom)
	case spfOK && !dkimOK && st.dkim.known && enforcing:
		f.Severity = SeverityWarning
		f.Summary = text(
			"DMARC for %s (p=%s) can pass only through SPF, because no DKIM key aligned with the domain was found; forwarded mail then fails DMARC. Enable DKIM signing with %s.",
			"%s の DMARC（p=%s）は SPF でしか合格できません。ドメインと一致する DKIM 鍵が見つからないため、転送されたメールは DMARC に失敗します。%s で DKIM 署名を有効にしてください。",
			dom, policy, dom)
	case spfOK || dkimOK:
		f.Severity = SeverityOK
		var by []string
		if spfOK {
			by = append(by, "SPF")
		}
		if dkimOK {
			by = append(by, "DKIM")
		}
		f.Summary = text("%s can align with %s for DMARC as the records stand.",
			"現在のレコードでは %s が %s と一致（アライメント）でき、DMARC に合格できます。", strings.Join(by, "+"), dom)
	default:
		return nil
	}
	return []Finding{f}
}
