package dnscheck

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// maxPTRNames is the most PTR names whose forward addresses are checked.
const maxPTRNames = 3

// reverseName returns the reverse DNS name of ip: d.c.b.a.in-addr.arpa.
// or the nibbles under ip6.arpa.
func reverseName(ip netip.Addr) string {
	s, _ := dns.ReverseAddr(ip.String())
	return s
}

// checkPTR checks that the sending address has a PTR record whose name
// resolves back to the address (forward-confirmed reverse DNS).
func (k *checker) checkPTR(ctx context.Context, ip netip.Addr) []Finding {
	sub := ip.String()
	f := func(sev Severity, id string, sum Text, e []Evidence) []Finding {
		return []Finding{{Check: PTR, Severity: sev, Subject: sub, Summary: sum, Evidence: e, RemedyID: id}}
	}
	a := k.c.lookup(ctx, reverseName(ip), dns.TypePTR)
	switch {
	case !a.ok():
		return f(SeverityUnknown, "", text("The reverse DNS (PTR) of %s could not be read: %v.",
			"%s の逆引き（PTR）を読めませんでした（%v）。", sub, a.err), ev(a))
	case len(a.rrs) == 0:
		return f(SeverityError, idPTRMissing, text(
			"The sending IP %s has no reverse DNS (PTR) record; Gmail, Outlook.com and many others refuse mail from such addresses. The owner of the address (the hosting provider) sets the PTR.",
			"送信元 IP %s に逆引き（PTR）レコードがありません。Gmail や Outlook.com などはこのようなアドレスからのメールを拒否します。PTR はアドレスの持ち主（ホスティング事業者）が設定します。", sub), ev(a))
	}
	names := a.names()
	answers := []*answer{a}
	failed := false
	qtype := dns.TypeA
	if ip.Is6() {
		qtype = dns.TypeAAAA
	}
	for i, n := range names {
		if i == maxPTRNames {
			break
		}
		fa := k.c.lookup(ctx, n, qtype)
		answers = append(answers, fa)
		if !fa.ok() {
			failed = true
			continue
		}
		if slices.Contains(addrsOf(fa), ip) {
			return f(SeverityOK, idPTRMissing, text(
				"The sending IP %s has reverse DNS %s, which resolves back to it (forward-confirmed).",
				"送信元 IP %s の逆引きは %s で、その名前を正引きすると同じアドレスに戻ります（FCrDNS 一致）。", sub, strings.TrimSuffix(n, ".")), ev(answers...))
		}
	}
	if failed {
		return f(SeverityUnknown, "", text("The reverse DNS name of %s could not be resolved forward to confirm it.",
			"%s の逆引き名を正引きして確認することができませんでした。", sub), ev(answers...))
	}
	return f(SeverityError, idPTRMissing, text(
		"The sending IP %s has reverse DNS %s, but that name does not resolve back to %s (no forward-confirmed reverse DNS); receivers treat it like a missing PTR.",
		"送信元 IP %s の逆引きは %s ですが、その名前を正引きしても %s に戻りません（FCrDNS 不一致）。受信側は PTR がないのと同様に扱います。",
		sub, strings.TrimSuffix(names[0], "."), sub), ev(answers...))
}

// blocklistName returns the name to ask a block list about ip (RFC 5782,
// section 2.1 and 2.4).
func blocklistName(ip netip.Addr, zone string) string {
	r := reverseName(ip)
	r = strings.TrimSuffix(strings.TrimSuffix(r, "in-addr.arpa."), "ip6.arpa.")
	return r + strings.TrimSuffix(zone, ".") + "."
}

// spamhausCode describes one Spamhaus return code.
type spamhausCode struct {
	list    string
	meaning Text
}

// spamhausCodes are Spamhaus' return codes of zen.spamhaus.org for IP
// addresses (the Spamhaus DNSBL usage FAQ).
var spamhausCodes = map[netip.Addr]spamhausCode{
	netip.AddrFrom4([4]byte{127, 0, 0, 2}): {"SBL", text("the Spamhaus Block List (SBL): the address was seen sending spam or supporting it; ask the provider to investigate, then request removal",
		"Spamhaus Block List（SBL）: スパム送信または支援が確認されたアドレスです。事業者に調査を依頼し、その後削除を申請してください")},
	netip.AddrFrom4([4]byte{127, 0, 0, 3}): {"CSS", text("the Spamhaus CSS list: the address sent mail that looked like spam (snowshoe); find and stop the source, removal follows",
		"Spamhaus CSS: スパムに似たメールの送信が観測されたアドレスです。送信元を突き止めて止めれば削除されます")},
	netip.AddrFrom4([4]byte{127, 0, 0, 9}): {"DROP", text("the Spamhaus DROP list: the whole network is considered hijacked or run by spammers",
		"Spamhaus DROP: ネットワーク全体が乗っ取られたか、スパム業者が運用しているとみなされています")},
	netip.AddrFrom4([4]byte{127, 0, 0, 10}): {"PBL", text("the Policy Block List (PBL), ISP-maintained: the address is not meant to send mail directly to other servers. This is not a penalty to be delisted: send through your provider's authenticated submission server (port 587) instead",
		"Policy Block List（PBL、ISP 登録）: 他のサーバーへ直接メールを送るためのアドレスではありません。削除を求めるものではなく、契約している事業者の認証付き送信サーバー（ポート 587）経由で送ってください")},
	netip.AddrFrom4([4]byte{127, 0, 0, 11}): {"PBL", text("the Policy Block List (PBL), Spamhaus-maintained: the address is not meant to send mail directly to other servers. This is not a penalty to be delisted: send through your provider's authenticated submission server (port 587) instead",
		"Policy Block List（PBL、Spamhaus 登録）: 他のサーバーへ直接メールを送るためのアドレスではありません。削除を求めるものではなく、契約している事業者の認証付き送信サーバー（ポート 587）経由で送ってください")},
}

// blocklistErrors are return codes that report a problem with the query,
// not a listing: Spamhaus' 127.255.255.252 (the list name is wrong),
// 127.255.255.254 (query through a public or open resolver) and
// 127.255.255.255 (too many queries).
var blocklistErrors = map[netip.Addr]Text{
	netip.AddrFrom4([4]byte{127, 255, 255, 252}): text("the list name is not known to the list (127.255.255.252)", "リスト名が誤っている（127.255.255.252）"),
	netip.AddrFrom4([4]byte{127, 255, 255, 254}): text("the list refuses queries from a public or open resolver (127.255.255.254); ask through your own resolver", "公開リゾルバー経由の問い合わせが拒否された（127.255.255.254）。自前のリゾルバーで問い合わせてください"),
	netip.AddrFrom4([4]byte{127, 255, 255, 255}): text("the list refuses the resolver for too many queries (127.255.255.255)", "問い合わせが多すぎるとして拒否された（127.255.255.255）"),
}

// checkDNSBL asks each configured block list about ip.
func (k *checker) checkDNSBL(ctx context.Context, ip netip.Addr) []Finding {
	var out []Finding
	for _, bl := range k.cfg.blocklists {
		zone := strings.TrimSuffix(strings.ToLower(bl.Zone), ".")
		if zone == "" {
			continue
		}
		a := k.c.lookup(ctx, blocklistName(ip, zone), dns.TypeA)
		f := Finding{Check: DNSBL, Subject: ip.String(), Evidence: ev(a), RemedyID: idDNSBLListed}
		codes := addrsOf(a)
		var listed, errs []Text
		for _, c := range codes {
			if t, ok := blocklistErrors[c]; ok || (c.Is4() && c.As4()[0] == 127 && c.As4()[1] == 255) {
				if !ok {
					t = text("the list answered %s, an error code", "リストがエラーコード %s を返した", c.String())
				}
				errs = append(errs, t)
				continue
			}
			if !c.Is4() || c.As4()[0] != 127 {
				errs = append(errs, text("the list answered %s, which is not a listing code (the list may be closed)",
					"リストが掲載コードではない %s を返した（リストが終了している可能性があります）", c.String()))
				continue
			}
			if sc, ok := spamhausCodes[c]; bl.Spamhaus && ok {
				listed = append(listed, Text{EN: sc.list + ": " + sc.meaning.EN, JA: sc.list + ": " + sc.meaning.JA})
			} else if a4 := c.As4(); bl.Spamhaus && a4[3] >= 4 && a4[3] <= 7 {
				listed = append(listed, text("XBL: the Exploits Block List: a machine at the address is infected or misused; clean it, then request removal",
					"XBL: Exploits Block List: このアドレスの機器が感染または悪用されています。対処してから削除を申請してください"))
			} else {
				listed = append(listed, text("listed (%s)", "掲載あり（%s）", c.String()))
			}
		}
		switch {
		case !a.ok():
			f.Severity, f.RemedyID = SeverityUnknown, ""
			f.Summary = text("%s could not be asked about %s: %v.", "%s に %s を問い合わせられませんでした（%v）。", zone, ip, a.err)
		case len(listed) > 0:
			f.Severity = SeverityError
			l := joinText(listed, "; ", "。")
			f.Summary = Text{
				EN: ip.String() + " is listed on " + zone + ": " + l.EN + ".",
				JA: ip.String() + " は " + zone + " に掲載されています: " + l.JA + "。",
			}
		case len(errs) > 0:
			f.Severity, f.RemedyID = SeverityUnknown, ""
			f.Summary = Text{
				EN: "Whether " + ip.String() + " is listed on " + zone + " is unknown: " + joinText(errs, "; ", "。").EN + ".",
				JA: ip.String() + " が " + zone + " に掲載されているかは不明です: " + joinText(errs, "; ", "。").JA + "。",
			}
		default:
			f.Severity = SeverityOK
			f.Summary = text("%s is not listed on %s.", "%s は %s に掲載されていません。", ip, zone)
		}
		out = append(out, f)
	}
	return out
}

// joinText joins texts, with en between the English and ja between the
// Japanese ones.
func joinText(ts []Text, en, ja string) Text {
	var e, j []string
	for _, t := range ts {
		e = append(e, t.EN)
		j = append(j, t.JA)
	}
	return Text{EN: strings.Join(e, en), JA: strings.Join(j, ja)}
}
