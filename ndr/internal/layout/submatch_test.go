package layout

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/testcorpus"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

// TestLineSubmatches checks that the line-by-line matching of the
// detectors' whole-line patterns finds what the patterns in multi-line
// mode find in the whole text, on every test bounce.
func TestLineSubmatches(t *testing.T) {
	patterns := []struct {
		re     *regexp.Regexp
		marker string
	}{
		{surfcontrolAttempt, ": ["},
		{surfcontrolTo, "Addressed To:"},
		{mcafeeEntry, "@"},
		{powermtaEntry, "delivery "},
		{sendgridEntry, "> : "},
		{zohoLine, "ERROR_CODE"},
		{exchangeRcptAddr, "Recipient Address:"},
		{ezwebRecipient, "@"},
		{gmxAddr, "@"},
		{yahooRcpt, "@"},
		{kddiRecipient, "@"},
		{biglobeAddrs, "The following addresses had delivery problems"},
		{biglobeInfo, "Non-delivered information"},
	}
	files, err := filepath.Glob(filepath.Join(testcorpus.Dir(t), "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bounces: %v", err)
	}
	texts := []string{"", "x", "<a@example.com> (550 no)\n  <b@example.org>  (550 no)  \n"}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(mime.Normalize(b)))
	}
	for _, p := range patterns {
		whole := regexp.MustCompile("(?m)" + p.re.String())
		for _, text := range texts {
			if diff := cmp.Diff(whole.FindAllStringSubmatch(text, -1), textmatch.LineSubmatches(p.re, text, p.marker)); diff != "" {
				t.Errorf("lineSubmatches(%s) (-whole text +by line):\n%s", p.re, diff)
			}
			if diff := cmp.Diff(whole.FindStringSubmatch(text), textmatch.LineSubmatch(p.re, text, p.marker)); diff != "" {
				t.Errorf("lineSubmatch(%s) (-whole text +by line):\n%s", p.re, diff)
			}
		}
	}
	folded := []struct {
		re      *regexp.Regexp
		markers []string
	}{
		{dsnTextStart, []string{"reporting-mta:", "original-recipient:", "final-recipient:"}},
		{dsnTextField, []string{"final-recipient:"}},
		{amavisVerdict, []string{"was "}},
	}
	for _, p := range folded {
		whole := regexp.MustCompile("(?m)" + p.re.String())
		for _, text := range texts {
			got := textmatch.LineMatch(p.re, text, literal.LowerASCII(text), p.markers...)
			if diff := cmp.Diff(whole.FindStringSubmatchIndex(text), got); diff != "" {
				t.Errorf("lineMatch(%s) (-whole text +by line):\n%s", p.re, diff)
			}
		}
	}
}
