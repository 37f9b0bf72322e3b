package dnscheck

import (
	"context"
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
	"golang.org/x/text/language"
)

func TestSendingIP(t *testing.T) {
	for _, tc := range []struct{ diag, want string }{
		{"550 5.7.1 Unfortunately, messages from [40.107.74.52] weren't sent. Please contact your Internet service provider (S3150)", "40.107.74.52"},
		{"Messages from 40.107.74.52 weren't sent", "40.107.74.52"},
		{"451 4.7.650 The mail server [203.0.113.45] has been temporarily rate limited due to IP reputation. (S775)", "203.0.113.45"},
		{"554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org", "198.51.100.7"},
		{"550 5.7.1 [198.51.100.8] is listed at bl.example.net", "198.51.100.8"},
		{"550 5.7.1 Your IP address 198.51.100.9 has a poor reputation", "198.51.100.9"},
		{"550-5.7.26 SPF [example.jp] with ip: [203.0.113.25] = did not pass", "203.0.113.25"},
		{"550-5.7.25 [2001:db8::25] The IP address sending this message does not have a PTR record", "2001:db8::25"},
		{"421-4.7.28 [203.0.113.26      15] Our system has detected an unusual rate of unsolicited mail", "203.0.113.26"},
		{"see https://check.spamhaus.org/query/ip/192.0.2.99 for details", "192.0.2.99"},
		{"450 4.7.1 Client host rejected: cannot find your hostname, [198.51.100.10]", "198.51.100.10"},
		// The remote MTA's address in host[address] is not the sender's.
		{"host mx.example.jp[192.0.2.10] said: 550 5.1.1 User unknown", ""},
		// Private and loopback addresses are not looked up.
		{"Messages from 10.0.0.5 weren't sent", ""},
		{"The mail server [127.0.0.1] is listed", ""},
		{"Messages from 999.1.1.1 weren't sent", ""},
	} {
		got := sendingIP(ndr.Recipient{Diagnostic: tc.diag})
		want := netip.Addr{}
		if tc.want != "" {
			want = netip.MustParseAddr(tc.want)
		}
		if got != want {
			t.Errorf("sendingIP(%q) = %v, want %v", tc.diag, got, want)
		}
	}
}

func TestRelevant(t *testing.T) {
	code := func(s string) enhancedcode.Code {
		c, err := enhancedcode.Parse(s)
		if err != nil {
			t.Fatalf("bad code %s", s)
		}
		return c
	}
	for _, tc := range []struct {
		name string
		r    ndr.Recipient
		want []Kind
	}{
		{"authfailure", ndr.Recipient{Reason: ndr.ReasonAuthFailure}, []Kind{SPF, DKIM, DMARC, Propagation}},
		{"5.7.509", ndr.Recipient{Reason: ndr.ReasonPolicyViolation, Status: code("5.7.509")}, []Kind{SPF, DKIM, DMARC, Propagation}},
		{"5.7.515", ndr.Recipient{Reason: ndr.ReasonRejected, Status: code("5.7.515")}, []Kind{SPF, DKIM, DMARC, Propagation}},
		{"DMARC text", ndr.Recipient{Reason: ndr.ReasonRejected, Diagnostic: "550 5.7.1 rejected by DMARC policy"}, []Kind{SPF, DKIM, DMARC, Propagation}},
		{"blocked", ndr.Recipient{Reason: ndr.ReasonBlocked}, []Kind{PTR, DNSBL}},
		{"requireptr", ndr.Recipient{Reason: ndr.ReasonRequirePTR}, []Kind{PTR, DNSBL}},
		{"5.7.25", ndr.Recipient{Reason: ndr.ReasonRejected, Status: code("5.7.25")}, []Kind{PTR, DNSBL}},
		{"explanation", ndr.Recipient{Reason: ndr.ReasonUndefined, Explanations: []remedy.Explanation{{ID: "dnsbl-listed"}}}, []Kind{PTR, DNSBL}},
		{"hostunknown", ndr.Recipient{Reason: ndr.ReasonHostUnknown}, []Kind{MX}},
		{"notaccept", ndr.Recipient{Reason: ndr.ReasonNotAccept}, []Kind{MX}},
		{"userunknown", ndr.Recipient{Reason: ndr.ReasonUserUnknown, Status: code("5.1.1")}, nil},
		{"mailboxfull", ndr.Recipient{Reason: ndr.ReasonMailboxFull, Diagnostic: "552 5.2.2 mailbox full"}, nil},
	} {
		if diff := cmp.Diff(tc.want, relevant(tc.r)); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestTargets(t *testing.T) {
	rep := &ndr.Report{
		ReportingMTA: "TY0PR01MB1234.jpnprd01.prod.outlook.com",
		Original: ndr.Original{
			From: "=?utf-8?q?x?= \"山田 太郎\" <taro@Example.JP>",
			Header: []ndr.Field{
				{Name: "Return-Path", Value: "<bounce+123@mail.example.jp>"},
				{Name: "DKIM-Signature", Value: "v=1; a=rsa-sha256; d=example.jp; s=selector1;\n\tb=abc"},
				{Name: "DKIM-Signature", Value: "v=1; d=tenant.onmicrosoft.com; s=selector1-tenant-com; b=abc"},
			},
		},
		Recipients: []ndr.Recipient{
			{Recipient: "hanako@gmail.com", Action: ndr.ActionFailed, Reason: ndr.ReasonAuthFailure,
				Diagnostic: "550-5.7.26 SPF [example.jp] with ip: [40.107.74.52] = did not pass"},
			{Recipient: "jiro@example.org", Action: ndr.ActionDelivered, Reason: ndr.ReasonDelivered},
		},
	}
	got := Targets(rep)
	want := []Target{{
		Recipient:       "hanako@gmail.com",
		SenderDomain:    "mail.example.jp",
		FromDomain:      "example.jp",
		SendingIP:       netip.MustParseAddr("40.107.74.52"),
		Service:         ServiceMicrosoft365,
		ReportingMTA:    "TY0PR01MB1234.jpnprd01.prod.outlook.com",
		RecipientDomain: "gmail.com",
		DKIM:            []Selector{{"example.jp", "selector1"}, {"tenant.onmicrosoft.com", "selector1-tenant-com"}},
		Checks:          []Kind{SPF, DKIM, DMARC, Propagation},
	}, {
		Recipient:       "jiro@example.org",
		SenderDomain:    "mail.example.jp",
		FromDomain:      "example.jp",
		Service:         ServiceMicrosoft365,
		ReportingMTA:    "TY0PR01MB1234.jpnprd01.prod.outlook.com",
		RecipientDomain: "example.org",
		DKIM:            []Selector{{"example.jp", "selector1"}, {"tenant.onmicrosoft.com", "selector1-tenant-com"}},
	}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestService(t *testing.T) {
	for _, tc := range []struct {
		mta    string
		header []ndr.Field
		want   Service
	}{
		{"SN1PR01MB0001.namprd01.prod.outlook.com", nil, ServiceMicrosoft365},
		{"mail-ty1jpn01on2052.outbound.protection.outlook.com", nil, ServiceMicrosoft365},
		{"mx.google.com", nil, ServiceGoogle},
		{"mail-sor-f41.google.com", nil, ServiceGoogle},
		{"mail.hosting.example.jp", nil, ServiceOther},
		{"", []ndr.Field{{Name: "X-MS-Exchange-CrossTenant-Id", Value: "x"}}, ServiceMicrosoft365},
		{"", []ndr.Field{{Name: "X-Gm-Message-State", Value: "x"}}, ServiceGoogle},
		{"", nil, ServiceUnknown},
		{"notoutlook.com.example", nil, ServiceOther},
	} {
		if got := service(tc.mta, ndr.Original{Header: tc.header}); got != tc.want {
			t.Errorf("service(%q) = %q, want %q", tc.mta, got, tc.want)
		}
	}
}

func TestAddrDomain(t *testing.T) {
	for in, want := range map[string]string{
		"taro@example.jp":               "example.jp",
		"Taro <taro@EXAMPLE.jp.>":       "example.jp",
		"<>":                            "",
		"":                              "",
		"山田 <taro@例え.jp>":               "xn--r8jz45g.jp",
		"broken <a@b.example> (comment": "b.example",
		"taro@[192.0.2.1]":              "",
		"\"a@b\" <real@sender.example>": "sender.example",
	} {
		if got := addrDomain(in); got != want {
			t.Errorf("addrDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextIn(t *testing.T) {
	x := Text{EN: "en", JA: "ja"}
	for tag, want := range map[language.Tag]string{
		language.Japanese:             "ja",
		language.MustParse("ja-JP"):   "ja",
		language.English:              "en",
		language.MustParse("fr"):      "en",
		language.Und:                  "en",
		remedy.MatchLanguage("ja,en"): "ja",
	} {
		if got := x.In(tag); got != want {
			t.Errorf("In(%v) = %q, want %q", tag, got, want)
		}
	}
}

// TestLocalizedJSON fixes the JSON shape a front end prints.
func TestLocalizedJSON(t *testing.T) {
	f := Finding{
		Check: SPF, Severity: SeverityError, Subject: "example.jp",
		Summary:  Text{EN: "two records", JA: "2 件"},
		Evidence: []Evidence{{Server: "192.0.2.53:53", Name: "example.jp", Type: "TXT", Result: "NOERROR", Records: []string{`"v=spf1 -all"`, `"v=spf1 ~all"`}}},
		RemedyID: idSPFDuplicate,
	}
	b, err := json.Marshal(Localize([]Finding{f}, language.Japanese))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"check":"spf","severity":"error","summary":"2 件","evidence":["TXT example.jp @192.0.2.53:53: \"v=spf1 -all\" | \"v=spf1 ~all\""],"remedy_id":"spf-duplicate"}]`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if b, _ := json.Marshal(Localize(nil, language.English)); string(b) != "[]" {
		t.Errorf("no findings: %s, want []", b)
	}
}

// TestRemedyIDsExist: every remedy ID a finding can carry, and every
// explanation ID that makes a check relevant, is in the default catalogue.
func TestRemedyIDsExist(t *testing.T) {
	cat := remedy.Default()
	for _, list := range [][]string{remedyIDs, authIDs, ipIDs, mxIDs} {
		for _, id := range list {
			if _, ok := cat.Lookup(id); !ok {
				t.Errorf("remedy ID %q is not in remedy.Default()", id)
			}
		}
	}
}

// TestCheckDomain runs single checks on names given directly.
func TestCheckDomain(t *testing.T) {
	d := startDNS(t)
	ip := netip.MustParseAddr
	for _, tc := range []struct {
		name string
		t    Target
		opts []Option
		want []brief
	}{
		{"void lookups and ptr", Target{SenderDomain: "voids.test", Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityError, "voids.test", idSPFTooManyLookups},
			{SPF, SeverityWarning, "voids.test", idSPFTooManyLookups},
		}},
		{"SPF pass", Target{SenderDomain: "nodmarc.test", SendingIP: ip("203.0.113.25"), Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityOK, "nodmarc.test", idSPFSenderNotListed},
		}},
		{"SPF fail", Target{SenderDomain: "nodmarc.test", SendingIP: ip("198.51.100.9"), Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityError, "nodmarc.test", idSPFSenderNotListed},
		}},
		{"SPF a and mx", Target{SenderDomain: "manylookups.test", SendingIP: ip("203.0.113.30"), Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityError, "manylookups.test", idSPFTooManyLookups},
			{SPF, SeverityOK, "manylookups.test", idSPFSenderNotListed},
		}},
		{"SPF permerror past 10 lookups", Target{SenderDomain: "manylookups.test", SendingIP: ip("198.51.100.8"), Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityError, "manylookups.test", idSPFTooManyLookups},
			{SPF, SeverityError, "manylookups.test", idSPFTooManyLookups},
		}},
		{"SPF nonexistent domain", Target{SenderDomain: "gone.test", Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityError, "gone.test", idSenderDomainUnresolvable},
		}},
		{"Google include missing", Target{SenderDomain: "nodmarc.test", Service: ServiceGoogle, Checks: []Kind{SPF}}, nil, []brief{
			{SPF, SeverityError, "nodmarc.test", idSPFSenderNotListed},
		}},
		{"M365 CNAMEs point elsewhere", Target{FromDomain: "dkimwrong.test", Service: ServiceMicrosoft365, Checks: []Kind{DKIM}}, nil, []brief{
			{DKIM, SeverityError, "dkimwrong.test", idDKIMCNAME},
		}},
		{"M365 keys not published", Target{FromDomain: "nokey.test", Service: ServiceMicrosoft365, Checks: []Kind{DKIM}}, nil, []brief{
			{DKIM, SeverityWarning, "nokey.test", idDKIMSetup},
		}},
		{"selector from the options", Target{FromDomain: "nospf.test", Checks: []Kind{DKIM}}, []Option{WithDKIMSelectors("default", "missing")}, []brief{
			{DKIM, SeverityOK, "default._domainkey.nospf.test", idDKIMMissing},
			{DKIM, SeverityError, "missing._domainkey.nospf.test", idDKIMMissing},
		}},
		{"DMARC of the organizational domain", Target{FromDomain: "sub.orgdmarc.test", Checks: []Kind{DMARC}}, nil, []brief{
			{DMARC, SeverityOK, "sub.orgdmarc.test", idDMARCMissing},
		}},
		{"MX ok", Target{RecipientDomain: "rcpt.test"}, nil, []brief{{MX, SeverityOK, "rcpt.test", idRecipientDomain}}},
		{"no MX, no address", Target{RecipientDomain: "noaddr.test"}, nil, []brief{{MX, SeverityError, "noaddr.test", idRecipientDomain}}},
		{"MX host without address", Target{RecipientDomain: "mxnoaddr.test"}, nil, []brief{{MX, SeverityError, "mxnoaddr.test", idRecipientDomain}}},
		{"FCrDNS ok, not listed", Target{SendingIP: ip("203.0.113.25")}, nil, []brief{
			{PTR, SeverityOK, "203.0.113.25", idPTRMissing},
			{DNSBL, SeverityOK, "203.0.113.25", idDNSBLListed},
			{DNSBL, SeverityOK, "203.0.113.25", idDNSBLListed},
		}},
	} {
		got, err := CheckDomain(context.Background(), tc.t, append(options(d), tc.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, briefs(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			for _, f := range got {
				t.Logf("  %s", f.Summary.EN)
			}
		}
	}
}
