package dnscheck

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// spfSeeds are SPF records of the test zones and edge cases.
var spfSeeds = []string{
	"v=spf1 -all",
	"v=spf1 include:spf.protection.outlook.com -all",
	"v=spf1 a mx:example.jp/24//64 ip4:192.0.2.0/24 ip6:2001:db8::/32 ?ptr ~all",
	"v=spf1 exists:%{ir}.%{v}._spf.%{d2} redirect=_spf.example.jp",
	"v=spf1 include:%{l1r-}.lp.%{o} exp=%{d}.%_%-%% -all",
	"v=spf1 a//129 ip4:1.2.3.4/08",
	"v=spf1 %{",
}

// FuzzParseSPF: the parser never panics, accepts only records that start
// with v=spf1, and reports errors as *SyntaxError.
func FuzzParseSPF(f *testing.F) {
	for _, s := range spfSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := parseSPF(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			return
		}
		if !isSPF(s) {
			t.Fatalf("accepted %q, which does not start with v=spf1", s)
		}
		for _, term := range rec.terms {
			if !strings.Contains("+-~?", string(term.qualifier)) {
				t.Fatalf("qualifier %q", term.qualifier)
			}
			if (term.mech == "ip4" || term.mech == "ip6") && !term.prefix.IsValid() {
				t.Fatalf("%s without a prefix", term.raw)
			}
			if term.domain != "" {
				if _, err := expand(term.domain, macroEnv{sender: "a@b.example", ip: netip.MustParseAddr("192.0.2.1"), domain: "b.example"}); err != nil {
					t.Fatalf("accepted domain-spec %q does not expand: %v", term.domain, err)
				}
			}
		}
	})
}

// FuzzExpand: expansion never panics, and its result is at most 253
// characters.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"%{ir}.%{v}._spf.%{d2}", "%{l1r-}.lp", "%{s}%{o}%{h}%%%_%-", "%{d200r+}", "%{"} {
		f.Add(s, "strong-bad@email.example.com", "2001:db8::cb01")
	}
	f.Fuzz(func(t *testing.T, spec, sender, ip string) {
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			addr = netip.MustParseAddr("192.0.2.3")
		}
		out, err := expand(spec, macroEnv{sender: sender, ip: addr, domain: "email.example.com", helo: "mx.example.com"})
		if err == nil && len(out) > 253 {
			t.Fatalf("expansion of %q is %d characters", spec, len(out))
		}
	})
}

// FuzzParseDMARC: the DMARC parser (go-msgauth behind a check of the
// record's start) never panics and accepts only records that start with
// v=DMARC1 and have a policy.
func FuzzParseDMARC(f *testing.F) {
	for _, s := range []string{
		"v=DMARC1; p=reject; rua=mailto:d@example.jp",
		"v=DMARC1;p=none;pct=50;adkim=s;aspf=r;fo=0:1:d:s;rf=afrf;ri=86400;ruf=mailto:f@example.jp;sp=quarantine",
		"p=none; v=DMARC1",
		"v=DMARC1; p=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := parseDMARC(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			return
		}
		if !isDMARC(s) || rec.Policy == "" {
			t.Fatalf("accepted %q", s)
		}
	})
}

// FuzzParseDKIMKey: the key parser never panics and accepts only keys it
// understands.
func FuzzParseDKIMKey(f *testing.F) {
	f.Add("v=DKIM1; k=rsa; p=" + testKey1024)
	f.Add("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	f.Add("v=DKIM1; p=")
	f.Add("k=rsa; v=DKIM1; p=AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := parseDKIMKey(s)
		if err != nil {
			return
		}
		if k.keyType != "rsa" && k.keyType != "ed25519" {
			t.Fatalf("key type %q", k.keyType)
		}
		if k.keyType == "rsa" && !k.revoked && k.bits == 0 {
			t.Fatalf("RSA key without a size: %q", s)
		}
	})
}
