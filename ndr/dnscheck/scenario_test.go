package dnscheck

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/internal/dnstest"
	"github.com/ndrkit/ndrkit/ndr"
	"golang.org/x/text/language"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/dnscheck/golden")

// testdata returns a path under testdata/dnscheck.
func testdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "dnscheck"}, parts...)...)
}

// bounce explains a bounce of testdata/dnscheck/bounces.
func bounce(tb testing.TB, name string) *ndr.Report {
	tb.Helper()
	b, err := os.ReadFile(testdata("bounces", name))
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := ndr.ExplainBytes(b)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// brief is the part of a finding the scenario tables assert.
type brief struct {
	Check    Kind
	Severity Severity
	Subject  string
	RemedyID string
}

func briefs(fs []Finding) []brief {
	out := []brief{}
	for _, f := range fs {
		out = append(out, brief{f.Check, f.Severity, f.Subject, f.RemedyID})
	}
	return out
}

// authOK are the findings of a sender whose only fault is in the list
// before them: DKIM unknown selector and propagation in order.
func dkimNoSelector(dom string) brief { return brief{DKIM, SeverityInfo, dom, ""} }
func propagationOK(dom string) brief  { return brief{Propagation, SeverityOK, dom, idPropagation} }

// scenarios are the bounces of testdata/dnscheck/bounces with the findings
// expected for each recipient against the test zones.
var scenarios = []struct {
	file string
	want [][]brief
}{{
	// The measured case: two SPF records and no DMARC record.
	file: "gmail-5.7.26-twospf.eml",
	want: [][]brief{{
		{SPF, SeverityError, "twospf.test", idSPFDuplicate},
		dkimNoSelector("twospf.test"),
		{DMARC, SeverityError, "twospf.test", idDMARCMissing},
		propagationOK("twospf.test"),
	}},
}, {
	file: "gmail-5.7.26-nospf.eml",
	want: [][]brief{{
		{SPF, SeverityError, "nospf.test", idSPFMissing},
		{DKIM, SeverityOK, "default._domainkey.nospf.test", idDKIMMissing},
		{DMARC, SeverityOK, "nospf.test", idDMARCMissing},
		{DMARC, SeverityOK, "nospf.test", idDMARCAlignment},
		propagationOK("nospf.test"),
	}},
}, {
	// The resolver still serves the old SPF record and no DMARC record;
	// the authoritative server has the new ones, and the parent zone
	// still names an old name server.
	file: "gmail-5.7.26-prop.eml",
	want: [][]brief{{
		{SPF, SeverityWarning, "prop.test", idSPFSenderNotListed},
		dkimNoSelector("prop.test"),
		{DMARC, SeverityError, "prop.test", idDMARCMissing},
		{Propagation, SeverityWarning, "prop.test", idPropagation},
		{Propagation, SeverityWarning, "prop.test", idPropagation},
	}},
}, {
	file: "outlook-5.7.23-manylookups.eml",
	want: [][]brief{{
		{SPF, SeverityError, "manylookups.test", idSPFTooManyLookups},
		dkimNoSelector("manylookups.test"),
		{DMARC, SeverityOK, "manylookups.test", idDMARCMissing},
		propagationOK("manylookups.test"),
	}},
}, {
	file: "outlook-5.7.515-nodmarc.eml",
	want: [][]brief{{
		{SPF, SeverityOK, "nodmarc.test", idSPFMissing},
		dkimNoSelector("nodmarc.test"),
		{DMARC, SeverityError, "nodmarc.test", idDMARCMissing},
		propagationOK("nodmarc.test"),
	}},
}, {
	// A correct Microsoft 365 setup: every check rules the DNS out.
	file: "m365-gmail-5.7.26-ok.eml",
	want: [][]brief{{
		{SPF, SeverityOK, "m365-ok.test", idSPFSenderNotListed},
		{DKIM, SeverityOK, "m365-ok.test", idDKIMCNAME},
		{DMARC, SeverityOK, "m365-ok.test", idDMARCMissing},
		{DMARC, SeverityOK, "m365-ok.test", idDMARCAlignment},
		propagationOK("m365-ok.test"),
	}},
}, {
	// DMARC p=reject, no DKIM CNAMEs, SPF without Microsoft 365.
	file: "m365-5.7.509-reject-nodkim.eml",
	want: [][]brief{{
		{SPF, SeverityError, "rejectnodkim.test", idSPFSenderNotListed},
		{DKIM, SeverityError, "rejectnodkim.test", idDKIMCNAME},
		{DMARC, SeverityOK, "rejectnodkim.test", idDMARCMissing},
		{DMARC, SeverityError, "rejectnodkim.test", idDMARCAlignment},
		propagationOK("rejectnodkim.test"),
	}},
}, {
	// selector2's CNAME is missing: DMARC can pass through SPF only.
	file: "m365-gmail-5.7.26-dkimcname.eml",
	want: [][]brief{{
		{SPF, SeverityOK, "dkimcname.test", idSPFSenderNotListed},
		{DKIM, SeverityError, "dkimcname.test", idDKIMCNAME},
		{DMARC, SeverityOK, "dkimcname.test", idDMARCMissing},
		{DMARC, SeverityWarning, "dkimcname.test", idDMARCAlignment},
		propagationOK("dkimcname.test"),
	}},
}, {
	// No PTR; listed on both lists, with Spamhaus PBL and XBL codes.
	file: "blocked-spamhaus-noptr.eml",
	want: [][]brief{{
		{PTR, SeverityError, "203.0.113.45", idPTRMissing},
		{DNSBL, SeverityError, "203.0.113.45", idDNSBLListed},
		{DNSBL, SeverityError, "203.0.113.45", idDNSBLListed},
	}},
}, {
	// The PTR name does not resolve back; Spamhaus answers "public
	// resolver", which is not a listing.
	file: "outlook-s775-delay.eml",
	want: [][]brief{{
		{PTR, SeverityError, "203.0.113.46", idPTRMissing},
		{DNSBL, SeverityUnknown, "203.0.113.46", ""},
		{DNSBL, SeverityOK, "203.0.113.46", idDNSBLListed},
	}},
}, {
	file: "recipient-domains.eml",
	want: [][]brief{
		{{MX, SeverityError, "nullmx.test", idNotAccept}},
		{{MX, SeverityError, "nx.test", idRecipientDomain}},
	},
}}

func TestScenarios(t *testing.T) {
	d := startDNS(t)
	files, err := filepath.Glob(testdata("bounces", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, sc := range scenarios {
		covered[sc.file] = true
		t.Run(sc.file, func(t *testing.T) {
			rep := bounce(t, sc.file)
			before := d.Queries()
			res, err := Check(context.Background(), rep, options(d)...)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]brief
			for _, r := range res.Recipients {
				got = append(got, briefs(r.Findings))
				for _, f := range r.Findings {
					if f.RemedyID != "" && !slices.Contains(remedyIDs, f.RemedyID) {
						t.Errorf("remedy ID %q is not in remedyIDs", f.RemedyID)
					}
					if len(f.Summary.EN) == 0 || len(f.Summary.JA) == 0 {
						t.Errorf("%s finding without text in both languages: %+v", f.Check, f.Summary)
					}
				}
			}
			if diff := cmp.Diff(sc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			// Every query counted was answered by a test server, and no
			// other was sent.
			if sent := d.Queries() - before; sent != int64(res.Lookups) {
				t.Errorf("servers answered %d queries, Check counted %d", sent, res.Lookups)
			}
			golden(t, d, sc.file, res)
		})
	}
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("%s has no scenario", f)
		}
	}
}

// golden compares the localized findings in both languages with
// testdata/dnscheck/golden/<bounce>.json.
func golden(t *testing.T, d *dnstest.World, file string, res *Result) {
	t.Helper()
	type rcpt struct {
		Recipient string      `json:"recipient"`
		EN        []Localized `json:"en"`
		JA        []Localized `json:"ja"`
	}
	var out []rcpt
	for _, r := range res.Recipients {
		out = append(out, rcpt{r.Recipient, Localize(r.Findings, language.English), Localize(r.Findings, language.Japanese)})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append([]byte(d.Names(string(b))), '\n')
	path := testdata("golden", strings.TrimSuffix(file, ".eml")+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(b)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestGmail526TwoSPFNoDMARC is the measured case: a Gmail 5.7.26 bounce
// whose sender domain has two SPF records and no DMARC record. Both
// problems must be reported, with the records as evidence.
func TestGmail526TwoSPFNoDMARC(t *testing.T) {
	d := startDNS(t)
	rep := bounce(t, "gmail-5.7.26-twospf.eml")
	res, err := Check(context.Background(), rep, options(d)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Recipients) != 1 {
		t.Fatalf("got %d recipients, want 1", len(res.Recipients))
	}
	var spf, dmarc *Finding
	for i, f := range res.Recipients[0].Findings {
		switch {
		case f.Check == SPF && f.RemedyID == idSPFDuplicate:
			spf = &res.Recipients[0].Findings[i]
		case f.Check == DMARC && f.RemedyID == idDMARCMissing:
			dmarc = &res.Recipients[0].Findings[i]
		}
	}
	if spf == nil || spf.Severity != SeverityError {
		t.Fatalf("two SPF records not reported as an error: %+v", res.Recipients[0].Findings)
	}
	if dmarc == nil || dmarc.Severity != SeverityError {
		t.Fatalf("missing DMARC record not reported as an error: %+v", res.Recipients[0].Findings)
	}
	wantSPF := []string{`"v=spf1 include:_spf.hosting.test ~all"`, `"v=spf1 include:spf.protection.outlook.com -all"`}
	gotSPF := slices.Sorted(slices.Values(spf.Evidence[0].Records))
	if diff := cmp.Diff(wantSPF, gotSPF); diff != "" {
		t.Errorf("SPF evidence (-want +got):\n%s", diff)
	}
	if e := dmarc.Evidence[0]; e.Name != "_dmarc.twospf.test" || e.Result != "NXDOMAIN" || e.Server != d.Resolver.Addr {
		t.Errorf("DMARC evidence = %+v", e)
	}
}

// TestNoLookupWithoutRelevance: a bounce that no DNS check explains sends
// no query.
func TestNoLookupWithoutRelevance(t *testing.T) {
	d := startDNS(t)
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "bounces", "postfix", "wrapped-address-line.eml"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ndr.ExplainBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(context.Background(), rep, options(d)...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lookups != 0 || d.Queries() != 0 {
		t.Errorf("sent %d queries (servers saw %d), want none", res.Lookups, d.Queries())
	}
	for _, r := range res.Recipients {
		if len(r.Findings) != 0 {
			t.Errorf("%s: findings %+v, want none", r.Recipient, r.Findings)
		}
	}
}

// TestSharedTargets: recipients of one report with the same target share
// their lookups.
func TestSharedTargets(t *testing.T) {
	d := startDNS(t)
	rep := bounce(t, "gmail-5.7.26-twospf.eml")
	one, err := Check(context.Background(), rep, options(d)...)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Recipients[0]
	r.Recipient = "jiro.example@gmail.com"
	rep.Recipients = append(rep.Recipients, r)
	two, err := Check(context.Background(), rep, options(d)...)
	if err != nil {
		t.Fatal(err)
	}
	if one.Lookups != two.Lookups {
		t.Errorf("two recipients sent %d queries, one sent %d", two.Lookups, one.Lookups)
	}
	if diff := cmp.Diff(two.Recipients[0].Findings, two.Recipients[1].Findings); diff != "" {
		t.Errorf("same target, different findings:\n%s", diff)
	}
}

func TestCheckErrors(t *testing.T) {
	if _, err := Check(context.Background(), nil); err != ErrNilReport {
		t.Errorf("nil report: err = %v", err)
	}
	rep := bounce(t, "gmail-5.7.26-twospf.eml")
	if _, err := Check(context.Background(), rep, WithServer("127.0.0.1:99999")); err == nil {
		t.Error("invalid server address: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, rep, WithServer("127.0.0.1:9")); err != context.Canceled {
		t.Errorf("cancelled context: err = %v", err)
	}
	if _, err := CheckDomain(ctx, Target{FromDomain: "x.test"}); err != context.Canceled {
		t.Errorf("CheckDomain, cancelled context: err = %v", err)
	}
}

// inconclusive reports whether a finding draws no conclusion.
func inconclusive(f Finding) bool {
	return f.Severity == SeverityUnknown || f.Severity == SeverityInfo
}

// TestFailingResolver: a resolver that refuses every query, or that does
// not answer at all, gives findings of severity unknown (or info), never a
// missing record.
func TestFailingResolver(t *testing.T) {
	refusing := dnstest.Serve(t, true, nil)
	silent := dnstest.Silent(t) // reads nothing: every query times out
	for _, server := range []string{refusing.Addr, silent} {
		for _, sc := range scenarios {
			rep := bounce(t, sc.file)
			res, err := Check(context.Background(), rep, WithServer(server), WithTimeout(20*time.Millisecond), WithAllChecks())
			if err != nil {
				t.Fatal(err)
			}
			// A silent resolver costs maxTimeouts queries, not one per
			// lookup.
			if server == silent && res.Lookups > maxTimeouts {
				t.Errorf("%s: %d queries sent to a silent resolver", sc.file, res.Lookups)
			}
			for _, r := range res.Recipients {
				for _, f := range r.Findings {
					if !inconclusive(f) {
						t.Errorf("%s via %s: %s %s %q", sc.file, server, f.Check, f.Severity, f.Summary.EN)
					}
				}
			}
		}
	}
}

// TestLookupLimit: under any lookup limit, a finding either draws no
// conclusion or draws the one it draws without a limit.
func TestLookupLimit(t *testing.T) {
	d := startDNS(t)
	for _, file := range []string{"m365-gmail-5.7.26-ok.eml", "outlook-5.7.23-manylookups.eml", "gmail-5.7.26-prop.eml", "blocked-spamhaus-noptr.eml"} {
		rep := bounce(t, file)
		full, err := Check(context.Background(), rep, options(d)...)
		if err != nil {
			t.Fatal(err)
		}
		conclusions := map[brief]bool{}
		for _, f := range full.Recipients[0].Findings {
			conclusions[brief{f.Check, f.Severity, f.Subject, f.RemedyID}] = true
		}
		for n := 1; n <= full.Lookups; n++ {
			res, err := Check(context.Background(), rep, append(options(d), WithMaxLookups(n))...)
			if err != nil {
				t.Fatal(err)
			}
			if res.Lookups > n {
				t.Errorf("%s, limit %d: sent %d queries", file, n, res.Lookups)
			}
			for _, f := range res.Recipients[0].Findings {
				if !inconclusive(f) && !conclusions[brief{f.Check, f.Severity, f.Subject, f.RemedyID}] {
					t.Errorf("%s, limit %d: %s %s %s %q not found without a limit", file, n, f.Check, f.Severity, f.RemedyID, f.Summary.EN)
				}
			}
		}
	}
}

func TestGoldenNames(t *testing.T) {
	// The golden files are named after the bounces; a stale one fails.
	files, _ := filepath.Glob(testdata("golden", "*.json"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json") + ".eml"
		if _, err := os.Stat(testdata("bounces", name)); err != nil {
			t.Errorf("%s: no bounce %s", f, name)
		}
	}
}

func TestServerAddr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"127.0.0.1:5353", "127.0.0.1:5353"},
		{"192.0.2.53", "192.0.2.53:53"},
		{"::1", "[::1]:53"},
		{"[::1]:5353", "[::1]:5353"},
		{"ns.example.jp", "ns.example.jp:53"},
		{"ns.example.jp:10053", "ns.example.jp:10053"},
		{"127.0.0.1:99999", ""},
		{"127.0.0.1:dns", ""},
		{"bad host:53", ""},
		{":53", ""},
	} {
		got, err := serverAddr(tc.in)
		if (err != nil) != (tc.want == "") || got != tc.want {
			t.Errorf("serverAddr(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
