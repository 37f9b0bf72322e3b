package ndr

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
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
		m, err := read(data, false, buildOptions(nil))
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

// A pasted notice whose recipients' actions come from its wording, not
// from a layout, is a delay or a failure by those actions.
func TestExplainTextKind(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Kind
	}{
		{"delay notice", "Delivery is delayed to these recipients or groups:\n\nuser@example.net\n\n" +
			"This message hasn't been delivered yet. Delivery will continue to be attempted.\n\n" +
			"user@example.net\nRemote Server at mx.example.net (192.0.2.1) returned '400 4.4.7 Message delayed'\n", KindDelay},
		{"failure", "<user@example.net>: host mx.example.net[192.0.2.10] said: 550 5.1.1 unknown user (in reply to RCPT TO command)", KindFailure},
	} {
		rep, err := ExplainText(tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if rep.Kind != tc.want {
			t.Errorf("%s: kind %s, want %s", tc.name, rep.Kind, tc.want)
		}
	}
}
