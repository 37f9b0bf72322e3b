package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsonKeys are the keys every recipient line carries; the README
// documents them and they stay stable.
var jsonKeys = []string{
	"action", "arrival_date", "cause", "command", "decoded_by", "diagnostic", "evidence",
	"explanation", "file", "hard_bounce", "kind", "last_attempt", "original",
	"original_recipient", "reason", "recipient", "remote_mta", "reply_code", "reporting_mta",
	"see_also", "status", "status_inferred", "temporary", "tokens", "warnings",
}

func runJSON(t *testing.T, stdin string, args ...string) ([]map[string]any, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"-json"}, args...), strings.NewReader(stdin), &out, &errb)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines, code
}

func TestJSONSchema(t *testing.T) {
	lines, code := runJSON(t, "", filepath.Join("..", "..", "testdata", "bounces", "dsn", "two-recipients-headers-only.eml"))
	if code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2", len(lines))
	}
	for _, l := range lines {
		var keys []string
		for k := range l {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if diff := cmp.Diff(jsonKeys, keys); diff != "" {
			t.Errorf("keys (-want +got):\n%s", diff)
		}
		var okeys []string
		for k := range l["original"].(map[string]any) {
			okeys = append(okeys, k)
		}
		sort.Strings(okeys)
		if diff := cmp.Diff([]string{"date", "from", "message_id", "subject", "to"}, okeys); diff != "" {
			t.Errorf("original keys (-want +got):\n%s", diff)
		}
		x := l["explanation"].(map[string]any)
		for _, k := range []string{"language", "id", "title", "summary", "actions", "retry", "urgency", "references", "gist", "retry_case"} {
			if _, ok := x[k]; !ok {
				t.Errorf("explanation lacks %q", k)
			}
		}
	}
	x0, x1 := lines[0]["explanation"].(map[string]any), lines[1]["explanation"].(map[string]any)
	got := []any{lines[0]["recipient"], lines[0]["status"], lines[0]["reply_code"], lines[1]["action"], lines[1]["temporary"],
		x0["retry_case"], x0["retry_until"], x1["retry"], x1["retry_case"], x1["retry_until"], x1["gist"] != ""}
	want := []any{"a@example.net", "5.2.2", float64(552), "delayed", true,
		"permanent", nil, "wait", "delayed", "2026-11-28T09:00:00Z", true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestErrorsAndDirectories(t *testing.T) {
	dir := t.TempDir()
	bounce, err := os.ReadFile(filepath.Join("..", "..", "testdata", "bounces", "dsn", "postfix-userunknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"b-bounce.eml": string(bounce),
		"a-plain.eml":  "From: a@example.com\nTo: b@example.net\nSubject: hello\n\nHi.\n",
		"c-empty.eml":  "",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	lines, code := runJSON(t, "", dir, filepath.Join(dir, "missing.eml"))
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	var got []string
	for _, l := range lines {
		s := filepath.Base(l["file"].(string)) + " "
		if e, ok := l["error"]; ok {
			s += "error: " + e.(string)
		} else if l["not_bounce"] == true {
			s += "not a bounce"
		} else {
			s += l["recipient"].(string)
		}
		got = append(got, s)
	}
	want := []string{
		"a-plain.eml not a bounce",
		"b-bounce.eml nobody@example.net",
		"c-empty.eml error: ndr: empty input",
		"missing.eml error: stat " + filepath.Join(dir, "missing.eml") + ": no such file or directory",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestStdinPastedText(t *testing.T) {
	text := "Delivery has failed to these recipients or groups: xxxx@aol.com The server or service did not respond in time.\n"
	lines, code := runJSON(t, text)
	if code != 0 || len(lines) != 1 {
		t.Fatalf("exit status %d, %d lines", code, len(lines))
	}
	if diff := cmp.Diff("xxxx@aol.com", lines[0]["recipient"]); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff("-", lines[0]["file"]); diff != "" {
		t.Error(diff)
	}
}

func TestLanguage(t *testing.T) {
	var out, errb bytes.Buffer
	file := filepath.Join("..", "..", "testdata", "bounces", "dsn", "postfix-userunknown.eml")
	if code := run([]string{"-lang", "ja", file}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit status %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "受信者") {
		t.Errorf("Japanese output expected, got:\n%s", out.String())
	}
	if code := run([]string{"-lang", "fr", file}, nil, &out, &errb); code != 2 {
		t.Errorf("-lang fr: exit status %d, want 2", code)
	}
}
