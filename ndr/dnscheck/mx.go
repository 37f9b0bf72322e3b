package dnscheck

import (
	"context"
	"strings"

	"github.com/miekg/dns"
)

// maxMXHosts is the most MX hosts whose addresses are resolved.
const maxMXHosts = 5

// checkMX checks that the recipient domain can receive mail: it has MX
// records (or, failing those, an address, the implicit MX of RFC 5321
// section 5.1), not a null MX (RFC 7505), and the MX hosts resolve.
func (k *checker) checkMX(ctx context.Context, dom string) []Finding {
	f := func(sev Severity, id string, sum Text, e []Evidence) []Finding {
		return []Finding{{Check: MX, Severity: sev, Subject: dom, Summary: sum, Evidence: e, RemedyID: id}}
	}
	a := k.c.lookup(ctx, dom, dns.TypeMX)
	switch {
	case !a.ok():
		return f(SeverityUnknown, "", text("The MX records of %s could not be read: %v.",
			"%s の MX レコードを読めませんでした（%v）。", dom, a.err), ev(a))
	case a.nxdomain():
		return f(SeverityError, idRecipientDomain, text(
			"The recipient domain %s does not exist in DNS (NXDOMAIN). Check the spelling of the address.",
			"宛先ドメイン %s は DNS に存在しません（NXDOMAIN）。アドレスの綴りを確認してください。", dom), ev(a))
	}
	hosts := a.names()
	if len(hosts) == 1 && hosts[0] == "." {
		return f(SeverityError, idNotAccept, text(
			"%s publishes a null MX (MX 0 .): the domain states that it accepts no mail (RFC 7505).",
			"%s は null MX（MX 0 .）を公開しており、メールを受け付けないと宣言しています（RFC 7505）。", dom), ev(a))
	}
	if len(hosts) == 0 {
		a4, a6 := k.c.addrs(ctx, dom)
		switch {
		case !a4.ok() || !a6.ok():
			return f(SeverityUnknown, "", text("%s has no MX record, and its addresses could not be read.",
				"%s には MX レコードがなく、アドレスも読めませんでした。", dom), ev(a, a4, a6))
		case len(a4.rrs)+len(a6.rrs) == 0:
			return f(SeverityError, idRecipientDomain, text(
				"%s has neither MX records nor an address, so no mail can be delivered to it.",
				"%s には MX レコードもアドレスもないため、メールを配送できません。", dom), ev(a, a4, a6))
		}
		return f(SeverityWarning, idRecipientDomain, text(
			"%s has no MX record; mail goes to the domain's own address (implicit MX), which many senders and receivers do not expect.",
			"%s には MX レコードがなく、メールはドメイン自身のアドレス宛て（暗黙の MX）になります。想定していない送受信側が多くあります。", dom), ev(a, a4, a6))
	}
	answers := []*answer{a}
	var unresolved []string
	failed := false
	checked := 0
	for _, h := range hosts {
		if checked == maxMXHosts {
			break
		}
		checked++
		a4, a6 := k.c.addrs(ctx, h)
		answers = append(answers, a4, a6)
		switch {
		case len(a4.rrs)+len(a6.rrs) > 0:
			return f(SeverityOK, idRecipientDomain, text(
				"%s has MX records, and its mail server %s resolves.",
				"%s には MX レコードがあり、メールサーバー %s のアドレスも引けます。", dom, strings.TrimSuffix(h, ".")), ev(answers...))
		case !a4.ok() || !a6.ok():
			failed = true
		default:
			unresolved = append(unresolved, strings.TrimSuffix(h, "."))
		}
	}
	if failed {
		return f(SeverityUnknown, "", text("The addresses of the MX hosts of %s could not be read.",
			"%s の MX ホストのアドレスを読めませんでした。", dom), ev(answers...))
	}
	return f(SeverityError, idRecipientDomain, text(
		"The MX hosts of %s (%s) have no address, so mail for the domain cannot be delivered.",
		"%s の MX ホスト（%s）にアドレスがないため、このドメイン宛てのメールは配送できません。", dom, strings.Join(unresolved, ", ")), ev(answers...))
}
