package dnscheck

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// dkimState is what the DKIM check learned, for the DMARC check.
type dkimState struct {
	// aligned is true when a key for a domain that can align with From
	// was found (Microsoft 365 CNAMEs in place, or a selector's key).
	aligned bool
	// known is true when the check reached a conclusion.
	known bool
}

// dkimKey is a parsed DKIM key record (RFC 6376, section 3.6.1).
type dkimKey struct {
	keyType string // "rsa" or "ed25519"
	bits    int    // RSA modulus size
	revoked bool   // p= is empty
}

// parseDKIMKey parses a DKIM key record and its public key.
func parseDKIMKey(txt string) (dkimKey, error) {
	k := dkimKey{keyType: "rsa"}
	bad := func(reason string) (dkimKey, error) {
		return k, &SyntaxError{Record: "dkim", Reason: reason}
	}
	tags := map[string]string{}
	for i, part := range strings.Split(txt, ";") {
		name, val, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok {
			if strings.TrimSpace(part) == "" {
				continue
			}
			return bad(fmt.Sprintf("%q is not a tag=value pair", strings.TrimSpace(part)))
		}
		if _, dup := tags[name]; dup {
			return bad("tag " + name + " appears twice")
		}
		tags[name] = strings.Join(strings.Fields(val), "")
		if name == "v" && i != 0 {
			return bad("v= must be the first tag")
		}
	}
	if v, ok := tags["v"]; ok && v != "DKIM1" {
		return bad("v=" + v + " is not DKIM1")
	}
	if kt, ok := tags["k"]; ok {
		k.keyType = strings.ToLower(kt)
		if k.keyType != "rsa" && k.keyType != "ed25519" {
			return bad("unknown key type k=" + kt)
		}
	}
	p, ok := tags["p"]
	if !ok {
		return bad("no p= tag (public key)")
	}
	if p == "" {
		k.revoked = true
		return k, nil
	}
	der, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return bad("p= is not valid base64")
	}
	if k.keyType == "ed25519" {
		if len(der) != 32 {
			return bad("an Ed25519 key is 32 bytes")
		}
		return k, nil
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		// RFC 6376 allows a bare RSAPublicKey as well.
		if rk, err2 := x509.ParsePKCS1PublicKey(der); err2 == nil {
			pub = rk
		} else {
			return bad("p= is not an RSA public key")
		}
	}
	rk, ok := pub.(*rsa.PublicKey)
	if !ok {
		return bad("p= is not an RSA public key")
	}
	k.bits = rk.N.BitLen()
	return k, nil
}

// checkDKIM checks the DKIM setup of the From domain: Microsoft 365's
// selector CNAMEs, Google's default selector, and the selectors the
// returned message or the options name.
func (k *checker) checkDKIM(ctx context.Context, t Target) ([]Finding, dkimState) {
	dom := t.FromDomain
	var out []Finding
	var st dkimState
	if t.Service == ServiceMicrosoft365 {
		f, ok, known := k.m365Selectors(ctx, dom)
		out = append(out, f...)
		st.aligned = st.aligned || ok
		st.known = st.known || known
	}
	sels := k.selectors(t)
	for _, s := range sels {
		f, ok := k.selectorKey(ctx, s)
		out = append(out, f)
		st.aligned = st.aligned || (ok && orgDomain(s.Domain) == orgDomain(dom))
		st.known = st.known || f.Severity != SeverityUnknown
	}
	if len(out) == 0 {
		out = append(out, Finding{Check: DKIM, Severity: SeverityInfo, Subject: dom, Summary: text(
			"No DKIM selector of %s is known (the returned message carries no DKIM-Signature), so its DKIM keys were not checked.",
			"%s の DKIM セレクターが分からない（返送されたメッセージに DKIM-Signature がない）ため、DKIM 鍵は確認していません。", dom)})
	}
	return out, st
}

// selectors lists the selectors to check for t, without Microsoft 365's,
// which m365Selectors checks.
func (k *checker) selectors(t Target) []Selector {
	var out []Selector
	add := func(s Selector) {
		s.Domain = strings.ToLower(strings.TrimSuffix(s.Domain, "."))
		s.Selector = strings.ToLower(s.Selector)
		if s.Domain == "" || s.Selector == "" || slices.Contains(out, s) {
			return
		}
		if t.Service == ServiceMicrosoft365 && s.Domain == t.FromDomain && (s.Selector == "selector1" || s.Selector == "selector2") {
			return
		}
		out = append(out, s)
	}
	for _, s := range t.DKIM {
		add(s)
	}
	for _, s := range k.cfg.selectors {
		add(Selector{Domain: t.FromDomain, Selector: s})
	}
	if t.Service == ServiceGoogle && len(out) == 0 {
		add(Selector{Domain: t.FromDomain, Selector: "google"})
	}
	return out
}

// selectorKey checks one selector's key record.
func (k *checker) selectorKey(ctx context.Context, s Selector) (Finding, bool) {
	name := s.Selector + "._domainkey." + s.Domain
	a := k.c.lookup(ctx, name, dns.TypeTXT)
	f := Finding{Check: DKIM, Subject: name, Evidence: ev(a), RemedyID: idDKIMMissing}
	var keys []string
	for _, t := range a.txts() {
		if strings.Contains(t, "p=") || strings.HasPrefix(t, "v=DKIM1") {
			keys = append(keys, t)
		}
	}
	switch {
	case !a.ok():
		f.Severity, f.RemedyID = SeverityUnknown, ""
		f.Summary = text("The DKIM key %s could not be read: %v.", "DKIM 鍵 %s を読めませんでした（%v）。", name, a.err)
		return f, false
	case len(keys) == 0:
		f.Severity = SeverityError
		f.Summary = text("There is no DKIM key at %s, so signatures with selector %s cannot be verified.",
			"%s に DKIM 鍵がないため、セレクター %s の署名は検証できません。", name, s.Selector)
		return f, false
	case len(keys) > 1:
		f.Severity = SeverityError
		f.Summary = text("There are %d DKIM key records at %s; verifiers may pick either.",
			"%[2]s に DKIM 鍵のレコードが %[1]d 件あります。検証側がどれを使うかは決まりません。", len(keys), name)
		return f, false
	}
	key, err := parseDKIMKey(keys[0])
	switch {
	case err != nil:
		f.Severity = SeverityError
		f.Summary = text("The DKIM key at %s cannot be used: %v.", "%s の DKIM 鍵は使えません（%v）。", name, err)
		return f, false
	case key.revoked:
		f.Severity = SeverityError
		f.Summary = text("The DKIM key at %s is revoked (empty p=).", "%s の DKIM 鍵は失効しています（p= が空）。", name)
		return f, false
	case key.keyType == "rsa" && key.bits < 1024:
		f.Severity = SeverityError
		f.Summary = text("The DKIM key at %s is RSA %d bits; verifiers reject keys shorter than 1024 bits (RFC 8301).",
			"%s の DKIM 鍵は RSA %d ビットです。1024 ビット未満の鍵は検証側が受け付けません（RFC 8301）。", name, key.bits)
		return f, false
	}
	f.Severity = SeverityOK
	desc := key.keyType
	if key.bits > 0 {
		desc = fmt.Sprintf("%s %d bits", key.keyType, key.bits)
	}
	f.Summary = text("The DKIM key at %s is valid (%s).", "%s の DKIM 鍵は有効です（%s）。", name, desc)
	return f, true
}

// m365Selectors checks the selector1 and selector2 CNAMEs that Microsoft
// 365 needs to sign with the domain itself. It reports whether both are in
// place and whether the check reached a conclusion.
func (k *checker) m365Selectors(ctx context.Context, dom string) (out []Finding, ok, known bool) {
	dashed := strings.ReplaceAll(dom, ".", "-")
	var missing, wrong []string
	var answers []*answer
	failed := false
	keys, keyless := 0, 0
	for _, sel := range []string{"selector1", "selector2"} {
		a := k.c.lookup(ctx, sel+"._domainkey."+dom, dns.TypeCNAME)
		answers = append(answers, a)
		if !a.ok() {
			failed = true
			continue
		}
		targets := a.names()
		if len(targets) == 0 {
			missing = append(missing, sel)
			continue
		}
		if !m365Target(targets[0], sel, dashed) {
			wrong = append(wrong, sel)
			continue
		}
		// The key behind the CNAME; Microsoft publishes it once signing
		// is configured.
		ka := k.c.lookup(ctx, targets[0], dns.TypeTXT)
		answers = append(answers, ka)
		switch {
		case len(ka.txts()) > 0:
			keys++
		case ka.ok():
			keyless++
		}
	}
	e := ev(answers...)
	f := Finding{Check: DKIM, Subject: dom, Evidence: e, RemedyID: idDKIMCNAME}
	switch {
	case len(missing) > 0:
		f.Severity = SeverityError
		f.Summary = text(
			"The Microsoft 365 DKIM CNAME records %s._domainkey.%s are missing, so Microsoft 365 signs with the tenant's onmicrosoft.com domain and DKIM cannot align with %s for DMARC. Publish the CNAMEs shown in the Defender portal, then enable signing.",
			"Microsoft 365 の DKIM 用 CNAME レコード %s._domainkey.%s がありません。このため Microsoft 365 はテナントの onmicrosoft.com ドメインで署名し、DMARC で %s と一致しません。Defender ポータルに表示される CNAME を登録してから署名を有効にしてください。",
			strings.Join(missing, "/"), dom, dom)
		return []Finding{f}, false, true
	case len(wrong) > 0:
		f.Severity = SeverityError
		f.Summary = text(
			"The Microsoft 365 DKIM CNAME records %s._domainkey.%s do not point at selectorN-%s._domainkey.<tenant>.onmicrosoft.com (or Microsoft's dkim.mail.microsoft names); check them against the values shown in the Defender portal.",
			"Microsoft 365 の DKIM 用 CNAME レコード %s._domainkey.%s の値が selectorN-%s._domainkey.<テナント>.onmicrosoft.com（または Microsoft の dkim.mail.microsoft の名前）を指していません。Defender ポータルに表示される値と照らし合わせてください。",
			strings.Join(wrong, "/"), dom, dashed)
		return []Finding{f}, false, true
	case failed:
		f.Severity, f.RemedyID = SeverityUnknown, ""
		f.Summary = text("The Microsoft 365 DKIM CNAME records of %s could not be read.",
			"%s の Microsoft 365 用 DKIM CNAME レコードを読めませんでした。", dom)
		return []Finding{f}, false, false
	}
	if keys == 0 && keyless > 0 {
		f.Severity, f.RemedyID = SeverityWarning, idDKIMSetup
		f.Summary = text("The Microsoft 365 DKIM CNAME records of %s are in place, but Microsoft publishes no key behind them: DKIM signing for the domain is not enabled yet. Enable it in the Defender portal (or with Set-DkimSigningConfig -Enabled $true).",
			"%s の Microsoft 365 用 DKIM CNAME レコードはありますが、その先に Microsoft の鍵がありません。ドメインの DKIM 署名がまだ有効になっていません。Defender ポータル（または Set-DkimSigningConfig -Enabled $true）で有効にしてください。", dom)
		return []Finding{f}, false, true
	}
	f.Severity = SeverityOK
	f.Summary = text("Both Microsoft 365 DKIM CNAME records of %s (selector1, selector2) are in place and point at Microsoft's key records.",
		"%s の Microsoft 365 用 DKIM CNAME レコード（selector1、selector2）は両方あり、Microsoft の鍵レコードを指しています。", dom)
	return []Finding{f}, true, true
}

// m365Target reports whether a selector CNAME target has the form
// Microsoft 365 publishes: selector1-<domain with dashes>._domainkey.
// <tenant>.onmicrosoft.com, or, for domains set up since 2024,
// ..._domainkey.<tenant prefix>.<partition>-v1.dkim.mail.microsoft.
func m365Target(target, sel, dashed string) bool {
	target = strings.TrimSuffix(target, ".")
	if !strings.HasPrefix(target, sel+"-"+dashed+"._domainkey.") {
		return false
	}
	return strings.HasSuffix(target, ".onmicrosoft.com") || strings.HasSuffix(target, ".dkim.mail.microsoft")
}
