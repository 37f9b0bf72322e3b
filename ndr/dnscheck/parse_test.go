package dnscheck

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSPF(t *testing.T) {
	for _, tc := range []struct {
		in    string
		mechs []string // mechanism names with qualifier
		redir string
		bad   string // the term in error, "" for none; "-" for the whole record
	}{
		{in: "v=spf1 -all", mechs: []string{"-all"}},
		{in: "V=SPF1 include:spf.protection.outlook.com ~all", mechs: []string{"+include", "~all"}},
		{in: "v=spf1  ip4:192.0.2.0/24   ip6:2001:db8::/32 a mx:example.jp/24//64 ?ptr exists:%{ir}.%{v}._spf.%{d2} -all",
			mechs: []string{"+ip4", "+ip6", "+a", "+mx", "?ptr", "+exists", "-all"}},
		{in: "v=spf1 a/26 a:example.jp//64 redirect=_spf.example.jp", mechs: []string{"+a", "+a"}, redir: "_spf.example.jp"},
		{in: "v=spf1 exp=explain._spf.%{d} foo=bar -all", mechs: []string{"-all"}},
		{in: "v=spf1", mechs: nil},
		{in: "v=spf10 -all", bad: "-"},
		{in: "spf1 -all", bad: "-"},
		{in: "v=spf1 include", bad: "include"},
		{in: "v=spf1 include:", bad: "include:"},
		{in: "v=spf1 all:example.jp", bad: "all:example.jp"},
		{in: "v=spf1 ip4:192.0.2.0/33", bad: "ip4:192.0.2.0/33"},
		{in: "v=spf1 ip4:2001:db8::1", bad: "ip4:2001:db8::1"},
		{in: "v=spf1 ip6:192.0.2.1", bad: "ip6:192.0.2.1"},
		{in: "v=spf1 ip4:192.0.2.1/08", bad: "ip4:192.0.2.1/08"},
		{in: "v=spf1 a/33", bad: "a/33"},
		{in: "v=spf1 mx//129", bad: "mx//129"},
		{in: "v=spf1 include:example", bad: "include:example"},
		{in: "v=spf1 include:example.123", bad: "include:example.123"},
		{in: "v=spf1 exists:%{x}.example.jp", bad: "exists:%{x}.example.jp"},
		{in: "v=spf1 exists:%{i.example.jp", bad: "exists:%{i.example.jp"},
		{in: "v=spf1 include:%%.example.jp%", bad: "include:%%.example.jp%"},
		{in: "v=spf1 redirect=a.example.jp redirect=b.example.jp", bad: "redirect=b.example.jp"},
		{in: "v=spf1 +-all", bad: "+-all"},
		{in: "v=spf1 spf2.0/pra", bad: "spf2.0/pra"},
	} {
		rec, err := parseSPF(tc.in)
		if tc.bad != "" {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("parseSPF(%q): err = %v, want a *SyntaxError", tc.in, err)
			} else if tc.bad != "-" && se.Term != tc.bad {
				t.Errorf("parseSPF(%q): error at %q, want %q", tc.in, se.Term, tc.bad)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseSPF(%q): %v", tc.in, err)
			continue
		}
		var mechs []string
		for _, m := range rec.terms {
			mechs = append(mechs, string(m.qualifier)+m.mech)
		}
		if diff := cmp.Diff(tc.mechs, mechs); diff != "" || rec.redirect != tc.redir {
			t.Errorf("parseSPF(%q): mechanisms (-want +got):\n%s redirect %q", tc.in, diff, rec.redirect)
		}
	}
}

func TestParseSPFCIDR(t *testing.T) {
	rec, err := parseSPF("v=spf1 mx:example.jp/24//64 a//48 ip4:192.0.2.77/24")
	if err != nil {
		t.Fatal(err)
	}
	got := []any{rec.terms[0].domain, rec.terms[0].cidr4, rec.terms[0].cidr6, rec.terms[1].cidr4, rec.terms[1].cidr6, rec.terms[2].prefix}
	want := []any{"example.jp", 24, 64, 32, 48, netip.MustParsePrefix("192.0.2.0/24")}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestExpand uses the examples of RFC 7208, section 7.4.
func TestExpand(t *testing.T) {
	env := macroEnv{sender: "strong-bad@email.example.com", ip: netip.MustParseAddr("192.0.2.3"), domain: "email.example.com", helo: "mx.example.org"}
	env6 := env
	env6.ip = netip.MustParseAddr("2001:db8::cb01")
	for _, tc := range []struct {
		spec, want string
		ipv6       bool
	}{
		{spec: "%{s}", want: "strong-bad@email.example.com"},
		{spec: "%{o}", want: "email.example.com"},
		{spec: "%{d}", want: "email.example.com"},
		{spec: "%{d4}", want: "email.example.com"},
		{spec: "%{d3}", want: "email.example.com"},
		{spec: "%{d2}", want: "example.com"},
		{spec: "%{d1}", want: "com"},
		{spec: "%{dr}", want: "com.example.email"},
		{spec: "%{d2r}", want: "example.email"},
		{spec: "%{l}", want: "strong-bad"},
		{spec: "%{l-}", want: "strong.bad"},
		{spec: "%{lr}", want: "strong-bad"},
		{spec: "%{lr-}", want: "bad.strong"},
		{spec: "%{l1r-}", want: "strong"},
		{spec: "%{ir}.%{v}._spf.%{d2}", want: "3.2.0.192.in-addr._spf.example.com"},
		{spec: "%{lr-}.lp._spf.%{d2}", want: "bad.strong.lp._spf.example.com"},
		{spec: "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", want: "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
		{spec: "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", want: "3.2.0.192.in-addr.strong.lp._spf.example.com"},
		{spec: "%{d2}.trusted-domains.example.net", want: "example.com.trusted-domains.example.net"},
		{spec: "%{ir}.%{v}._spf.%{d2}", want: "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", ipv6: true},
		{spec: "%{h}.%%.%_.%-", want: "mx.example.org.%. .%20"},
	} {
		e := env
		if tc.ipv6 {
			e = env6
		}
		got, err := expand(tc.spec, e)
		if err != nil || got != tc.want {
			t.Errorf("expand(%q) = %q, %v; want %q", tc.spec, got, err, tc.want)
		}
	}
}

func TestParseDKIMKey(t *testing.T) {
	key1024 := testKey1024
	for _, tc := range []struct {
		in   string
		want dkimKey
		bad  bool
	}{
		{in: "v=DKIM1; k=rsa; p=" + key1024, want: dkimKey{keyType: "rsa", bits: 1024}},
		{in: "p=" + key1024, want: dkimKey{keyType: "rsa", bits: 1024}},
		{in: "v=DKIM1; p=" + key1024[:40] + " " + key1024[40:] + ";", want: dkimKey{keyType: "rsa", bits: 1024}},
		{in: "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", want: dkimKey{keyType: "ed25519"}},
		{in: "v=DKIM1; p=", want: dkimKey{keyType: "rsa", revoked: true}},
		{in: "k=rsa; v=DKIM1; p=" + key1024, bad: true},
		{in: "v=DKIM2; p=" + key1024, bad: true},
		{in: "v=DKIM1; k=dsa; p=" + key1024, bad: true},
		{in: "v=DKIM1; k=rsa", bad: true},
		{in: "v=DKIM1; p=not*base64", bad: true},
		{in: "v=DKIM1; p=AAAA", bad: true},
		{in: "v=DKIM1; k=ed25519; p=AAAA", bad: true},
		{in: "v=DKIM1; p=" + key1024 + "; p=" + key1024, bad: true},
		{in: "v=DKIM1; garbage", bad: true},
	} {
		got, err := parseDKIMKey(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("parseDKIMKey(%.40q): err = %v, want error %v", tc.in, err, tc.bad)
			continue
		}
		if !tc.bad && got != tc.want {
			t.Errorf("parseDKIMKey(%.40q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseDMARC(t *testing.T) {
	for _, tc := range []struct {
		in, policy string
		rua        int
		bad        bool
	}{
		{in: "v=DMARC1; p=reject; rua=mailto:d@example.jp", policy: "reject", rua: 1},
		{in: "v=DMARC1;p=none", policy: "none"},
		{in: "v=DMARC1; p=quarantine; rua=mailto:a@example.jp,mailto:b@example.jp; future=1", policy: "quarantine", rua: 2},
		{in: "p=reject; v=DMARC1", bad: true},
		{in: "v=DMARC1; rua=mailto:d@example.jp", bad: true},
		{in: "v=DMARC1; p=block", bad: true},
		{in: "v=DMARC1; p=none; pct=101", bad: true},
		{in: "v=DMARC1; p=none; adkim=x", bad: true},
		{in: "v=spf1 -all", bad: true},
	} {
		rec, err := parseDMARC(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("parseDMARC(%q): err = %v, want error %v", tc.in, err, tc.bad)
			continue
		}
		if !tc.bad && (string(rec.Policy) != tc.policy || len(rec.ReportURIAggregate) != tc.rua) {
			t.Errorf("parseDMARC(%q) = p=%s rua=%v", tc.in, rec.Policy, rec.ReportURIAggregate)
		}
	}
}

func TestOrgDomain(t *testing.T) {
	for in, want := range map[string]string{
		"mail.example.co.jp": "example.co.jp",
		"example.co.jp":      "example.co.jp",
		"a.b.example.com":    "example.com",
		"sub.orgdmarc.test":  "orgdmarc.test",
		"co.jp":              "co.jp",
	} {
		if got := orgDomain(in); got != want {
			t.Errorf("orgDomain(%q) = %q, want %q", in, got, want)
		}
	}
}
