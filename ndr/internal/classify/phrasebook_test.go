package classify

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestBuiltinPhrasebook checks the embedded phrasebook: every phrase has
// a source, every rule a prefilter literal (so that one pass over the
// text finds the candidates), and every tier has rules.
func TestBuiltinPhrasebook(t *testing.T) {
	if len(builtin.phrases) < 100 {
		t.Fatalf("the built-in phrasebook has %d phrases", len(builtin.phrases))
	}
	for _, p := range builtin.phrases {
		if strings.TrimSpace(p.source) == "" {
			t.Errorf("%s:%d: no source", p.file, p.line)
		}
	}
	for k, rs := range builtin.sets {
		if len(rs.Rules) == 0 {
			t.Errorf("tier %s has no rules", tierNames[k])
		}
		for _, r := range rs.Rules {
			if r.Re.Lits == nil {
				t.Errorf("tier %s: rule %s has no prefilter literal", tierNames[k], r.Re.Re)
			}
		}
	}
	if builtin.sets[tierOverride].index != ruleLiterals || builtin.sets[tierGeneral].index != ruleLiterals {
		t.Error("the built-in tiers are not in the shared literal index")
	}
}

// TestParsePhrasesErrors checks that each kind of error names the file
// and the line.
func TestParsePhrasesErrors(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"no tier", "userunknown no such user ;; RFC 5321\n", "a.txt:1: phrase before the first [tier] line"},
		{"unknown tier", "[first]\n", `a.txt:1: unknown tier "[first]"`},
		{"unknown reason", "[phrase]\n\nnosuchreason gone away ;; x\n", `a.txt:3: unknown reason "nosuchreason"`},
		{"no source", "[phrase]\nuserunknown no such user\n", "a.txt:2: phrase without a source"},
		{"bad expression", "[phrase]\n@source RFC 5321\nuserunknown no (such user\n", "a.txt:3: error parsing regexp"},
		{"upper case", "[phrase]\n@source RFC 5321\nuserunknown No such user\n", "a.txt:3: expression \"No such user\" has upper-case letters"},
		{"no literal", "[phrase]\n@source RFC 5321\nuserunknown [a-z]+\n", "a.txt:3: expression \"[a-z]+\" has no literal"},
		{"unknown refinement", "[phrase]\nhostunknown/guess no such domain ;; x\n", `a.txt:2: unknown refinement "guess"`},
		{"unknown directive", "@reason x\n", `a.txt:1: unknown directive "@reason"`},
		{"empty source", "[phrase]\n@source\n", "a.txt:2: empty @source"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePhrases(fstest.MapFS{"a.txt": {Data: []byte(tc.data)}})
			var pe *PhraseError
			if !errors.As(err, &pe) || pe.File != "a.txt" {
				t.Fatalf("error %v, want a *PhraseError for a.txt", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want it to begin %q", err, tc.want)
			}
		})
	}
	if _, err := ParsePhrases(fstest.MapFS{}, "*.txt"); !errors.As(err, new(*PhraseError)) {
		t.Errorf("no files: error %v, want a *PhraseError", err)
	}
}

// TestPhrasebookExtension checks that a caller's phrases win over the
// built-in ones of their tier and leave other texts alone.
func TestPhrasebookExtension(t *testing.T) {
	pb, err := ParsePhrases(fstest.MapFS{
		"local.txt": {Data: []byte("# our gateway's words\n[phrase]\n@source our gateway's manual\nmailboxfull casella piena\nsuspend account (?:frozen|on ice) ;; helpdesk ticket 12\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		diag string
		want record.Reason
	}{
		{"550 5.1.1 casella piena", record.ReasonMailboxFull},
		{"550 account on ice", record.ReasonSuspend},
		{"550 5.1.1 user unknown", record.ReasonUserUnknown},
	} {
		r := record.Recipient{Recipient: "user@example.org", Diagnostic: tc.diag, Command: "RCPT"}
		FinishWith(&r, &mime.Message{}, pb)
		if diff := cmp.Diff(tc.want, r.Reason); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.diag, diff)
		}
	}
}
