package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

func bounceFile(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", "..", "testdata", "bounces"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, h http.Handler, target string, body io.Reader, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, body)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAPIExplain(t *testing.T) {
	h := newHandler()
	s775 := bounceFile(t, "pasted", "postfix-s775-masked.txt")
	dsn := bounceFile(t, "dsn", "postfix-userunknown.eml")
	mbox := "From a@example.org Mon Mar  9 10:00:00 2026\n" + string(dsn) +
		"\nFrom b@example.org Mon Mar  9 10:01:00 2026\nFrom: b@example.org\nSubject: hi\n\nHello\n"
	for _, tc := range []struct {
		name   string
		target string
		header map[string]string
		body   string
		want   []string
	}{
		{"pasted ja by query", "/api/explain?lang=ja", nil, string(s775),
			[]string{"example@outlook.jp 4.7.650 [S775] ja ms-s775-ip-reputation"}},
		{"pasted ja by Accept-Language", "/api/explain", map[string]string{"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"}, string(s775),
			[]string{"example@outlook.jp 4.7.650 [S775] ja ms-s775-ip-reputation"}},
		{"raw en", "/api/explain", map[string]string{"Accept-Language": "en-US"}, string(dsn),
			[]string{"nobody@example.net 5.1.1 [] en reason-userunknown"}},
		{"mbox", "/api/explain?lang=en", nil, mbox,
			[]string{"nobody@example.net 5.1.1 [] en reason-userunknown", "message 2 not a bounce"}},
		{"empty", "/api/explain", nil, "", []string{"error ndr: empty input"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(t, h, tc.target, strings.NewReader(tc.body), tc.header)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			var items []map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				switch {
				case it["error"] != nil:
					got = append(got, "error "+it["error"].(string))
				case it["not_bounce"] == true:
					got = append(got, "message 2 not a bounce")
				default:
					x := it["explanation"].(map[string]any)
					got = append(got, fmt.Sprint(it["recipient"], " ", it["status"], " ", it["tokens"], " ", x["language"], " ", x["id"]))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestAPISameAsNdrexplain: the API's objects have the keys of
// ndrexplain -json, in the same order.
func TestAPISameAsNdrexplain(t *testing.T) {
	rec := post(t, newHandler(), "/api/explain?lang=en", bytes.NewReader(bounceFile(t, "dsn", "two-recipients-headers-only.eml")), nil)
	var items []json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	// The keys of the first object, in order.
	dec := json.NewDecoder(bytes.NewReader(items[0]))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"file", "kind", "recipient", "original_recipient", "action", "status", "status_inferred",
		"reply_code", "diagnostic", "cause", "tokens", "remote_mta", "reporting_mta", "command", "arrival_date",
		"last_attempt", "temporary", "hard_bounce", "reason", "decoded_by", "evidence", "original", "warnings",
		"explanation", "see_also"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestHeaders(t *testing.T) {
	h := newHandler()
	for _, target := range []string{"/", "/static/app.js", "/static/style.css"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: CSP %q", target, got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", target, got)
		}
	}
	want := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	if contentSecurityPolicy != want {
		t.Errorf("CSP %q, want %q", contentSecurityPolicy, want)
	}
	// The page holds no inline script or style that the policy would
	// block.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	page := rec.Body.String()
	for _, bad := range []string{"<script>", "style=", "<style", "onclick", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	for _, tc := range []struct{ accept, lang string }{{"ja-JP,ja;q=0.9", `lang="ja"`}, {"en-GB", `lang="en"`}, {"", `lang="en"`}} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Language", tc.accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), tc.lang) {
			t.Errorf("Accept-Language %q: page lacks %s", tc.accept, tc.lang)
		}
	}
}

func TestLimitsAndErrors(t *testing.T) {
	h := newHandler()
	big := io.MultiReader(strings.NewReader("Subject: x\n\n"), bytes.NewReader(make([]byte, maxBody)))
	rec := post(t, h, "/api/explain", big, nil)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the limit: status %d, want 413", rec.Code)
	}
	if want := (&ndr.LimitError{What: "size", Limit: maxBody}).Error(); !strings.Contains(rec.Body.String(), want) {
		t.Errorf("413 body %q lacks %q", rec.Body, want)
	}
	if rec := post(t, h, "/api/explain?lang=fr", strings.NewReader("x"), nil); rec.Code != http.StatusBadRequest {
		t.Errorf("lang=fr: status %d, want 400", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/explain", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/explain: status %d, want 405", rec.Code)
	}
}

// TestEscaping: markup from a bounce comes back as JSON strings (the
// page puts them in as text); the JSON itself escapes <, > and &.
func TestEscaping(t *testing.T) {
	hostile, err := os.ReadFile(filepath.Join("testdata", "hostile.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/explain", "/api/view"} {
		rec := post(t, newHandler(), target, bytes.NewReader(hostile), nil)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
			t.Errorf("%s: raw markup in the answer", target)
		}
		var items []map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(jsonStringNoEscape(items), "<script>window.__pwned=8</script>") {
			t.Errorf("%s: the diagnostic is not kept as text", target)
		}
	}
}

func jsonStringNoEscape(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return b.String()
}

func TestViewDisplay(t *testing.T) {
	rec := post(t, newHandler(), "/api/view?lang=ja", bytes.NewReader(bounceFile(t, "dsn", "postfix-userunknown.eml")), nil)
	var items []viewItem
	if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Display == nil {
		t.Fatalf("items %+v", items)
	}
	d := items[0].Display
	got := []string{d.Gist, d.State, d.StateLabel, d.StatusMeaning, d.ReplyMeaning, d.RetryLabel, d.Groups[0].Label}
	want := []string{"宛先のアドレスが存在しません。アドレスを確認してください。", "failed", "失敗", "宛先のユーザーが存在しない",
		"メールボックスを利用できないか、受信を拒否しました", "送り直さない", "送信者"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(d.UserMessage, "nobody@example.net 宛てにお送りいただいたメール（件名：「会議の件」）") {
		t.Errorf("user message:\n%s", d.UserMessage)
	}
	if diff := cmp.Diff([]string{"https://a.example/x"}, webLinks([]string{"javascript:alert(1)", "https://a.example/x", "//b.example", "data:text/html,x", "ftp://c.example"})); diff != "" {
		t.Errorf("webLinks: %s", diff)
	}
}
