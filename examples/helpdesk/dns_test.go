package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/dnstest"
	"github.com/ndrkit/ndrkit/internal/dnstest/checkopt"
)

func dnsBounce(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "dnscheck", "bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func startDNS(t *testing.T) *dnstest.World {
	t.Helper()
	return dnstest.Start(t, filepath.Join("..", "..", "testdata", "dnscheck", "zones"))
}

// asMbox joins messages into an mbox.
func asMbox(msgs ...string) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "From sender@example.org Mon Mar  9 10:%02d:00 2026\n%s\n", i%60, m)
	}
	return b.String()
}

func dnsItems(t *testing.T, body []byte) []dnsItem {
	t.Helper()
	var items []dnsItem
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return items
}

// TestAPIDNSCheck: the sender of a Gmail 5.7.26 bounce has two SPF
// records and no DMARC record; the answer's items follow POST /api/view's.
func TestAPIDNSCheck(t *testing.T) {
	w := startDNS(t)
	h := newHandler(checkopt.Options(w)...)
	body := asMbox(dnsBounce(t, "gmail-5.7.26-twospf.eml"), "From: a@example.org\nSubject: hi\n\nHello\n", dnsBounce(t, "recipient-domains.eml"))

	before := w.Resolver.Queries()
	for _, target := range []string{"/api/view?lang=ja", "/api/explain"} {
		if rec := post(t, h, target, strings.NewReader(body), nil); rec.Code != 200 {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
	}
	if n := w.Resolver.Queries() - before; n != 0 {
		t.Errorf("%d DNS queries without a DNS check", n)
	}

	rec := post(t, h, "/api/dnscheck?lang=ja", strings.NewReader(body), nil)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("CSP %q", got)
	}
	items := dnsItems(t, rec.Body.Bytes())
	var got []string
	for _, it := range items {
		if it.Problem != nil {
			got = append(got, fmt.Sprintf("message %d: problem", it.Problem.Message))
			continue
		}
		s := fmt.Sprintf("message %d: %s", it.Message, it.Recipient)
		for _, f := range it.Findings {
			if f.Severity == "error" {
				s += fmt.Sprintf(" | [%s] %s %s", f.SeverityLabel, f.CheckLabel, f.RemedyID)
			}
		}
		got = append(got, s)
	}
	want := []string{
		"message 1: hanako.example@gmail.com | [問題あり] SPF spf-duplicate | [問題あり] DMARC dmarc-missing",
		"message 2: problem",
		"message 3: sales@nullmx.test | [問題あり] MX reason-notaccept",
		"message 3: sales@nx.test | [問題あり] MX recipient-domain-not-found",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s := items[0].Findings[0].Summary; !strings.HasPrefix(s, "twospf.test に SPF レコードが 2 件あります。") {
		t.Errorf("summary %q", s)
	}

	// The page matches the items by position with /api/view's.
	var view []viewItem
	if err := json.Unmarshal(post(t, h, "/api/view?lang=ja", strings.NewReader(body), nil).Body.Bytes(), &view); err != nil {
		t.Fatal(err)
	}
	if len(view) != len(items) {
		t.Fatalf("%d view items, %d DNS items", len(view), len(items))
	}
	for i := range view {
		if (view[i].Line == nil) != (items[i].Problem != nil) || view[i].Line != nil && view[i].Line.Recipient != items[i].Recipient {
			t.Errorf("item %d: view %+v, DNS %+v", i, view[i], items[i])
		}
	}
}

// TestAPIDNSCheckLimits: only the first maxDNSReports messages of a
// request are checked, and text from a bounce stays data.
func TestAPIDNSCheckLimits(t *testing.T) {
	w := startDNS(t)
	h := newHandler(checkopt.Options(w)...)
	var msgs []string
	for range maxDNSReports + 2 {
		msgs = append(msgs, dnsBounce(t, "gmail-5.7.26-twospf.eml"))
	}
	items := dnsItems(t, post(t, h, "/api/dnscheck?lang=en", strings.NewReader(asMbox(msgs...)), nil).Body.Bytes())
	var checked []bool
	for _, it := range items {
		checked = append(checked, it.Checked)
	}
	want := make([]bool, maxDNSReports+2)
	for i := range maxDNSReports {
		want[i] = true
	}
	if diff := cmp.Diff(want, checked); diff != "" {
		t.Errorf("checked (-want +got):\n%s", diff)
	}

	hostile, err := os.ReadFile(filepath.Join("testdata", "hostile.eml"))
	if err != nil {
		t.Fatal(err)
	}
	rec := post(t, h, "/api/dnscheck", bytes.NewReader(hostile), nil)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "<script") {
		t.Errorf("status %d: %s", rec.Code, rec.Body)
	}
	if rec := post(t, h, "/api/dnscheck?lang=fr", strings.NewReader("x"), nil); rec.Code != 400 {
		t.Errorf("lang=fr: status %d, want 400", rec.Code)
	}
}
