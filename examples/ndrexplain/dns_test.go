package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/dnstest"
	"github.com/ndrkit/ndrkit/internal/dnstest/checkopt"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
)

// dnsTestdata returns a path under testdata/dnscheck.
func dnsTestdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "dnscheck"}, parts...)...)
}

// startDNS starts the test DNS servers. With names, the DNS checks ask
// the test zones' name servers at their loopback addresses and the test
// block lists, as package dnscheck's own tests do.
func startDNS(t *testing.T, names bool) *dnstest.World {
	t.Helper()
	w := dnstest.Start(t, dnsTestdata("zones"))
	if names {
		extraDNSOptions = []dnscheck.Option{checkopt.NameServers(w), checkopt.Blocklists()}
		t.Cleanup(func() { extraDNSOptions = nil })
	}
	return w
}

// dnsLine is the part of a JSON line the DNS tests read.
type dnsLine struct {
	Recipient   string                `json:"recipient"`
	DNSFindings *[]dnscheck.Localized `json:"dns_findings"`
}

// runDNS runs ndrexplain -json with args and returns its lines.
func runDNS(t *testing.T, args ...string) []dnsLine {
	t.Helper()
	code, out, errs := runAll(t, nil, append([]string{"-json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, errs)
	}
	var lines []dnsLine
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var d dnsLine
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		lines = append(lines, d)
	}
	return lines
}

// TestCheckDNSMeasured: a Gmail 5.7.26 bounce whose sender domain has two
// SPF records and no DMARC record; ndrexplain is given only the resolver.
func TestCheckDNSMeasured(t *testing.T) {
	w := startDNS(t, false)
	lines := runDNS(t, "-check-dns", "-dns-server", w.Resolver.Addr, "-lang", "en",
		dnsTestdata("bounces", "gmail-5.7.26-twospf.eml"))
	if len(lines) != 1 || lines[0].DNSFindings == nil {
		t.Fatalf("lines %+v", lines)
	}
	var got []string
	for _, f := range *lines[0].DNSFindings {
		if f.Severity == dnscheck.SeverityError {
			got = append(got, string(f.Check)+" "+f.RemedyID+" "+strings.Join(f.Evidence, " "))
		}
	}
	want := []string{
		`spf spf-duplicate TXT twospf.test @` + w.Resolver.Addr + `: "v=spf1 include:_spf.hosting.test ~all" | "v=spf1 include:spf.protection.outlook.com -all"`,
		"dmarc dmarc-missing TXT _dmarc.twospf.test @" + w.Resolver.Addr + ": NXDOMAIN",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings of severity error (-want +got):\n%s", diff)
	}
	if w.Resolver.Queries() == 0 {
		t.Error("the resolver was not asked")
	}
}

// TestCheckDNSScenarios runs ndrexplain -check-dns over every bounce of
// testdata/dnscheck/bounces, in English and Japanese, and compares each
// recipient's dns_findings with the findings package dnscheck's tests
// keep in testdata/dnscheck/golden.
func TestCheckDNSScenarios(t *testing.T) {
	w := startDNS(t, true)
	files, err := filepath.Glob(dnsTestdata("bounces", "*.eml"))
	if err != nil || len(files) < 10 {
		t.Fatalf("%d bounces: %v", len(files), err)
	}
	type rcpt struct {
		Recipient string               `json:"recipient"`
		EN        []dnscheck.Localized `json:"en"`
		JA        []dnscheck.Localized `json:"ja"`
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".eml")
		t.Run(name, func(t *testing.T) {
			en := runDNS(t, "-check-dns", "-dns-server", w.Resolver.Addr, "-lang", "en", file)
			ja := runDNS(t, "-check-dns", "-dns-server", w.Resolver.Addr, "-lang", "ja", file)
			var out []rcpt
			for i := range en {
				if en[i].DNSFindings == nil || ja[i].DNSFindings == nil {
					t.Fatalf("%s: no dns_findings", en[i].Recipient)
				}
				out = append(out, rcpt{en[i].Recipient, *en[i].DNSFindings, *ja[i].DNSFindings})
			}
			b, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got := w.Names(string(b)) + "\n"
			want, err := os.ReadFile(dnsTestdata("golden", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("dns_findings (-golden +ndrexplain):\n%s", diff)
			}
		})
	}
}

func TestCheckDNSText(t *testing.T) {
	w := startDNS(t, true)
	file := dnsTestdata("bounces", "gmail-5.7.26-twospf.eml")
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"ja", []string{
			"   DNS の確認：",
			"   - [問題あり] SPF：twospf.test に SPF レコードが 2 件あります。複数あると SPF はすべてのメールで失敗します（permerror、RFC 7208 4.5 節）。1 件にまとめてください。 [spf-duplicate]",
			`       TXT twospf.test @resolver: "v=spf1 include:_spf.hosting.test ~all" | "v=spf1 include:spf.protection.outlook.com -all"`,
		}},
		{"en", []string{
			"   DNS check:",
			"   - [problem] SPF: twospf.test has 2 SPF records; with more than one, SPF fails for every message (permerror, RFC 7208 section 4.5). Merge them into one record. [spf-duplicate]",
			`       TXT twospf.test @resolver: "v=spf1 include:_spf.hosting.test ~all" | "v=spf1 include:spf.protection.outlook.com -all"`,
		}},
	} {
		code, out, errs := runAll(t, nil, "-check-dns", "-dns-server", w.Resolver.Addr, "-lang", tc.lang, file)
		if code != 0 {
			t.Fatalf("exit status %d: %s", code, errs)
		}
		out = w.Names(out)
		at := strings.Index(out, tc.want[0])
		if at < 0 {
			t.Fatalf("-lang %s: no DNS section in\n%s", tc.lang, out)
		}
		got := strings.Split(out[at:], "\n")[:3]
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("-lang %s (-want +got):\n%s", tc.lang, diff)
		}
	}
	// A bounce that makes no check relevant says so.
	code, out, _ := runAll(t, nil, "-check-dns", "-dns-server", w.Resolver.Addr, "-lang", "en",
		filepath.Join("..", "..", "testdata", "bounces", "dsn", "postfix-userunknown.eml"))
	if code != 0 || !strings.Contains(out, "   DNS check:\n   - no DNS check applies to this bounce\n") {
		t.Errorf("exit status %d:\n%s", code, out)
	}
}

// TestCheckDNSOff: without -check-dns there is no dns_findings key and
// no query.
func TestCheckDNSOff(t *testing.T) {
	w := startDNS(t, true)
	code, out, _ := runAll(t, nil, "-json", dnsTestdata("bounces", "gmail-5.7.26-twospf.eml"))
	if code != 0 || strings.Contains(out, "dns_findings") {
		t.Errorf("exit status %d:\n%s", code, out)
	}
	if n := w.Queries(); n != 0 {
		t.Errorf("%d queries without -check-dns", n)
	}
}

// TestCheckDNSResolverDown: a resolver that does not answer gives
// findings of severity unknown, never a missing record.
func TestCheckDNSResolverDown(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	lines := runDNS(t, "-check-dns", "-dns-server", addr, "-dns-timeout", "300ms", dnsTestdata("bounces", "gmail-5.7.26-twospf.eml"))
	if len(lines) != 1 || lines[0].DNSFindings == nil || len(*lines[0].DNSFindings) == 0 {
		t.Fatalf("lines %+v", lines)
	}
	for _, f := range *lines[0].DNSFindings {
		if f.Severity != dnscheck.SeverityUnknown && f.Severity != dnscheck.SeverityInfo {
			t.Errorf("%s: severity %s with no resolver: %s", f.Check, f.Severity, f.Summary)
		}
	}
}

func TestCheckDNSUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-dns-server", "127.0.0.1:53"},
		{"-check-dns", "-format", "csv"},
		{"-check-dns", "-summary"},
		{"-check-dns", "-dns-server", "127.0.0.1:99999"},
		{"-check-dns", "-dns-timeout", "0s"},
	} {
		var out, errb bytes.Buffer
		if code := run(append(args, "-"), strings.NewReader(""), &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%q: exit status %d, stderr %q", args, code, errb.String())
		}
	}
}
