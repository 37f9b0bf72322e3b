package dnscheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// spfState is what the SPF check learned, for the DMARC check.
type spfState struct {
	domain  string
	known   bool      // the record could be read
	usable  bool      // one record, valid, within the limits
	permits bool      // the record can pass some server (it is not just "-all")
	include bool      // the sending service's include is present (or not needed)
	result  spfResult // the sending IP's result, "" when not evaluated
}

// checkSPF checks the SPF record of the target's envelope (or From)
// domain.
func (k *checker) checkSPF(ctx context.Context, t Target) ([]Finding, spfState) {
	dom := t.spfDomain()
	st := spfState{domain: dom}
	f := func(sev Severity, id string, sum Text, e []Evidence) Finding {
		return Finding{Check: SPF, Severity: sev, Subject: dom, Summary: sum, Evidence: e, RemedyID: id}
	}
	a, texts, rec, err := k.spfRecordAt(ctx, dom)
	switch {
	case !a.ok():
		return []Finding{f(SeverityUnknown, "", text(
			"The SPF record of %s could not be read: %v.",
			"%s の SPF レコードを読めませんでした（%v）。", dom, a.err), ev(a))}, st
	case a.nxdomain():
		st.known = true
		return []Finding{f(SeverityError, idSenderDomainUnresolvable, text(
			"The domain %s does not exist in DNS (NXDOMAIN), so it has no SPF record and receivers refuse mail from it.",
			"ドメイン %s が DNS に存在しません（NXDOMAIN）。SPF レコードもなく、受信側はこのドメインからのメールを拒否します。", dom), ev(a))}, st
	case len(texts) == 0:
		st.known = true
		return []Finding{f(SeverityError, idSPFMissing, text(
			"%s has no SPF record (no TXT record starting with v=spf1).",
			"%s に SPF レコード（v=spf1 で始まる TXT レコード）がありません。", dom), ev(a))}, st
	case len(texts) > 1:
		st.known = true
		return []Finding{f(SeverityError, idSPFDuplicate, text(
			"%s has %d SPF records; with more than one, SPF fails for every message (permerror, RFC 7208 section 4.5). Merge them into one record.",
			"%s に SPF レコードが %d 件あります。複数あると SPF はすべてのメールで失敗します（permerror、RFC 7208 4.5 節）。1 件にまとめてください。",
			dom, len(texts)), ev(a))}, st
	case err != nil:
		st.known = true
		return []Finding{f(SeverityError, idSPFTooManyLookups, text(
			"The SPF record of %s has a syntax error (%v); receivers treat it as a permanent error.",
			"%s の SPF レコードに構文の誤りがあります（%v）。受信側は permerror として扱います。", dom, err), ev(a))}, st
	}
	st.known = true
	tree := k.walkSPF(ctx, dom, rec)
	evid := ev(append([]*answer{a}, tree.answers...)...)
	var out []Finding
	if tree.lookups > SPFLookupLimit {
		out = append(out, f(SeverityError, idSPFTooManyLookups, text(
			"The SPF record of %s needs more than %d DNS lookups (at least %d, counted through include and redirect); receivers return permerror (RFC 7208 section 4.6.4). Remove includes or replace them with ip4/ip6 ranges.",
			"%s の SPF レコードは DNS 参照が %d 回を超えます（include と redirect をたどって少なくとも %d 回）。受信側は permerror とします（RFC 7208 4.6.4 節）。include を減らすか ip4/ip6 に置き換えてください。",
			dom, SPFLookupLimit, tree.lookups), evid))
	}
	if tree.voids > SPFVoidLimit {
		out = append(out, f(SeverityError, idSPFTooManyLookups, text(
			"The SPF record of %s makes %d lookups that find nothing (the limit is %d, RFC 7208 section 4.6.4); receivers return permerror. Remove mechanisms that name domains without records.",
			"%s の SPF レコードは結果が空の DNS 参照が %d 回あります（上限は %d 回、RFC 7208 4.6.4 節）。受信側は permerror とします。レコードのないドメインを指す指定を削除してください。",
			dom, tree.voids, SPFVoidLimit), evid))
	}
	for _, p := range tree.problems {
		out = append(out, f(SeverityError, idSPFTooManyLookups, text(
			"The SPF record of %s includes a broken record: %s; receivers return permerror.",
			"%s の SPF レコードが参照する先に誤りがあります（%s）。受信側は permerror とします。", dom, p), evid))
	}
	if tree.ptr {
		out = append(out, f(SeverityWarning, idSPFTooManyLookups, text(
			"The SPF record of %s uses the ptr mechanism, which RFC 7208 (section 5.5) says not to use; some receivers ignore it.",
			"%s の SPF レコードは ptr 指定を使っています。RFC 7208（5.5 節）は使わないよう求めており、無視する受信側もあります。", dom), evid))
	}
	st.usable = len(out) == 0 || (len(out) == 1 && tree.ptr)
	st.permits = rec.redirect != "" || slices.ContainsFunc(rec.terms, func(t spfTerm) bool {
		return t.mech != "all" || t.qualifier == '+'
	})
	st.include = true
	if inc, ok := spfInclude[t.Service]; ok && !(t.SendingIP.IsValid() && st.usable) {
		switch {
		case slices.Contains(tree.includes, inc):
		case tree.incomplete || tree.lookups > SPFLookupLimit:
			st.include = false
			out = append(out, f(SeverityUnknown, idSPFSenderNotListed, text(
				"Whether the SPF record of %s includes %s could not be decided, because not every included record could be read.",
				"%s の SPF レコードに %s が含まれているかは、参照先をすべて読めなかったため判断できません。", dom, inc), evid))
		default:
			st.include = false
			out = append(out, f(SeverityError, idSPFSenderNotListed, text(
				"The message was sent by %s, but the SPF record of %s does not include %s, so receivers do not accept its servers for this domain. Add include:%s to the existing record.",
				"メールは %s から送られていますが、%s の SPF レコードに %s が含まれていないため、受信側はそのサーバーをこのドメインの送信元と認めません。既存のレコードに include:%s を追加してください。",
				serviceName(t.Service), dom, inc, inc), evid))
		}
	}
	if t.SendingIP.IsValid() {
		e := &spfEval{k: k, ip: t.SendingIP, sender: t.sender()}
		o := e.checkHost(ctx, dom)
		st.result = o.result
		out = append(out, spfIPFinding(dom, t, o, ev(append([]*answer{a}, e.answers...)...)))
	}
	if tree.incomplete && len(out) == 0 {
		out = append(out, f(SeverityUnknown, idSPFTooManyLookups, text(
			"%s has one SPF record, but not every record it includes could be read, so the lookup count (%d so far) is not final.",
			"%s の SPF レコードは 1 件ですが、参照先をすべて読めなかったため DNS 参照回数（現時点で %d 回）は確定しません。", dom, tree.lookups), evid))
	}
	if len(out) == 0 {
		out = append(out, f(SeverityOK, idSPFMissing, text(
			"%s has one valid SPF record using %d of %d DNS lookups: %s",
			"%s の SPF レコードは 1 件で構文も正しく、DNS 参照は %d 回（上限 %d 回）です: %s",
			dom, tree.lookups, SPFLookupLimit, texts[0]), evid))
	}
	return out, st
}

// spfIPFinding reports the sending IP's SPF result.
func spfIPFinding(dom string, t Target, o spfOutcome, e []Evidence) Finding {
	ip := t.SendingIP.String()
	f := Finding{Check: SPF, Subject: dom, Evidence: e, RemedyID: idSPFSenderNotListed}
	where := Text{}
	if o.term != "" {
		where = text(" (%s in %s)", "（%[2]s の %[1]s）", o.term, o.domain)
	}
	switch o.result {
	case spfPass:
		f.Severity = SeverityOK
		f.Summary = Text{
			EN: fmt.Sprintf("SPF of %s passes for the sending IP %s%s.", dom, ip, where.EN),
			JA: fmt.Sprintf("送信元 IP %s は %s の SPF で認められています%s。", ip, dom, where.JA),
		}
	case spfFail, spfSoftFail:
		f.Severity = SeverityError
		if o.result == spfSoftFail {
			f.Severity = SeverityWarning
		}
		f.Summary = Text{
			EN: fmt.Sprintf("SPF of %s gives %s for the sending IP %s%s: the record does not list the server that sent the message.", dom, o.result, ip, where.EN),
			JA: fmt.Sprintf("送信元 IP %s は %s の SPF で %s になります%s。実際に送信したサーバーがレコードに含まれていません。", ip, dom, o.result, where.JA),
		}
	case spfNeutral, spfNone:
		f.Severity = SeverityWarning
		f.Summary = text("SPF of %s gives %s for the sending IP %s: the record neither lists nor refuses it, and receivers count it as not authenticated.",
			"送信元 IP %[3]s は %[1]s の SPF で %[2]s になります。認められても拒否されてもおらず、受信側は認証されていないとみなします。", dom, string(o.result), ip)
	case spfPermError:
		f.Severity = SeverityError
		f.RemedyID = idSPFTooManyLookups
		f.Summary = text("Evaluating SPF of %s for the sending IP %s gives permerror: %s.",
			"送信元 IP %[2]s について %[1]s の SPF を評価すると permerror になります（%[3]s）。", dom, ip, o.reason)
	default:
		f.Severity = SeverityUnknown
		f.RemedyID = ""
		f.Summary = text("SPF of %s could not be evaluated for the sending IP %s: %s.",
			"送信元 IP %[2]s について %[1]s の SPF を評価できませんでした（%[3]s）。", dom, ip, o.reason)
	}
	return f
}

// serviceName names a sending service in findings.
func serviceName(s Service) string {
	switch s {
	case ServiceMicrosoft365:
		return "Microsoft 365"
	case ServiceGoogle:
		return "Google Workspace"
	}
	return strings.TrimSpace(string(s))
}
