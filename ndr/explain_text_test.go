package ndr

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/classify"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

func TestExplainTextPasted(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Reason
	}{
		{"<user@example.net>: host mx.example.net[192.0.2.10] said: 550 5.7.1 Delivery not authorized, message refused by the recipient's mail filter (in reply to end of DATA command)", ReasonFiltered},
		{"<user@example.net>: host mx.example.net[192.0.2.10] said: 554 5.6.0 Message content rejected: invalid MIME structure (in reply to end of DATA command)", ReasonContentError},
	} {
		rep, err := ExplainText(tc.text)
		if err != nil {
			t.Fatalf("ExplainText(%q): %v", tc.text, err)
		}
		if len(rep.Recipients) != 1 {
			t.Fatalf("ExplainText(%q): %d recipients, want 1", tc.text, len(rep.Recipients))
		}
		if got := rep.Recipients[0].Reason; got != tc.want {
			t.Errorf("ExplainText(%q): reason %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestPatternPrefilter checks that the prefilters never refuse a text
// that an expression matches, and that the search by alternatives finds
// what the whole expression finds, on the texts of the table and on the
// diagnostics of the test bounces.
func TestPatternPrefilter(t *testing.T) {
	texts := []string{
		"550 5.1.1 user unknown", "mailbox is full", "message expired after 5 days",
		"could not deliver for the last 3 hours", "client host [192.0.2.1] blocked using zen",
		"spf check failed", "not rfc 5322 compliant", "relaying mail to example.org is not allowed",
		"timeout", "time-out", "a", "", "reverse dns", "rdns", "starttls required",
		"recipient's mail filter", "header error", "unverifiable sending ip",
		"the user mailbox is full and the user is unknown", "no such user here; user unknown",
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "bounces", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := ExplainBytes(data); err == nil {
			for _, r := range rep.Recipients {
				texts = append(texts, strings.ToLower(r.Diagnostic), strings.ToLower(r.Cause.Text))
			}
		}
	}
	// The index looks for the first bytes of long literals and compares
	// the rest: texts with the whole literal, its first bytes only, or
	// nearly all of it.
	for _, rs := range []*classify.RuleSet{classify.OverrideSet, classify.TextSet, classify.MicrosoftSet} {
		for _, r := range rs.Rules {
			for _, l := range r.Re.Lits {
				if len(l) > literal.KeyLen {
					texts = append(texts, l, "x "+l+" y", l[:literal.KeyLen], l[:len(l)-1], l[:len(l)-1]+"#", l[:literal.KeyLen]+" "+l)
				}
			}
		}
	}
	for _, rs := range []*classify.RuleSet{classify.OverrideSet, classify.TextSet, classify.MicrosoftSet} {
		for _, s := range texts {
			mask := rs.Candidates(s)
			for i, rule := range rs.Rules {
				if got, want := mask&(1<<i) != 0, rule.Re.MayMatch(s); got != want {
					t.Errorf("%s on %q: indexed candidate %v, prefilter %v", rule.Re.Re, s, got, want)
				}
			}
		}
	}
	all := []*textmatch.Pattern{classify.DelayedPattern}
	for _, rules := range [][]classify.TextRule{classify.OverrideRules, classify.TextRules, classify.MicrosoftTexts} {
		for _, r := range rules {
			all = append(all, r.Re)
		}
	}
	for _, rc := range classify.Receivers {
		for _, v := range rc.Rules {
			if v.Re != nil {
				all = append(all, v.Re)
			}
		}
	}
	for _, p := range all {
		for _, s := range texts {
			if got, want := p.Matches(s), p.Re.MatchString(s); got != want {
				t.Errorf("%s on %q: matches %v, regexp %v", p.Re, s, got, want)
			}
			if got, want := p.Index(s), p.Re.FindStringIndex(s); !slices.Equal(got, want) {
				t.Errorf("%s on %q: search %v, regexp %v (literals %q)", p.Re, s, got, want, p.Lits)
			}
		}
	}
}

// TestOriginalInBody checks that reusing the copy marker found for the
// bounce text finds the returned header that a fresh search finds.
func TestOriginalInBody(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "bounces", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := read(data, buildOptions(nil))
		if err != nil {
			t.Fatal(err)
		}
		got, gotOK := mime.OriginalInBody(m)
		want, wantOK := mime.OriginalInText(m.Body)
		if len(m.BounceText()) == len(m.Body) {
			want, wantOK = record.Original{}, false
		}
		if diff := cmp.Diff(want, got); diff != "" || gotOK != wantOK {
			t.Errorf("%s: originalInBody (-originalInText +got, ok %v want %v):\n%s", f, gotOK, wantOK, diff)
		}
	}
}
