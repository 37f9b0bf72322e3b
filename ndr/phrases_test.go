package ndr_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ndrkit/ndrkit/ndr"
)

// deadReasons are the reasons about the address itself; every other
// reason (policy, reputation, authentication, content) leaves it alive.
var deadReasons = map[ndr.Reason]bool{
	ndr.ReasonUserUnknown: true, ndr.ReasonHostUnknown: true, ndr.ReasonHasMoved: true, ndr.ReasonNotAccept: true,
}

// checkHard reports why a recipient's hard bounce is not backed by
// evidence that the address is dead, or "".
func checkHard(rc ndr.Recipient) string {
	if !rc.HardBounce {
		return ""
	}
	switch {
	case !deadReasons[rc.Reason]:
		return fmt.Sprintf("hard bounce with reason %s", rc.Reason)
	case rc.Action == ndr.ActionDelayed:
		return "hard bounce in a delay notice"
	case strings.Contains(strings.ToLower(rc.Diagnostic), "greylist"):
		return "hard bounce on a greylisting"
	case rc.Temporary && !(rc.Reason == ndr.ReasonUserUnknown && rc.Status.Subject() == 1 && rc.Status.Detail() == 1):
		return fmt.Sprintf("hard bounce on a temporary failure (status %s)", rc.Status)
	}
	return ""
}

// TestHardBounceEvidence checks, over every test bounce and every record
// of the unseen set, that a hard bounce rests on evidence that the
// address is dead: a reason about the address, a permanent failure (or a
// final report of an unknown mailbox, X.1.1), never a delay, a
// greylisting, or a policy, reputation or authentication reason.
func TestHardBounceEvidence(t *testing.T) {
	n := 0
	for _, file := range bounceFiles(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ndr.ExplainBytes(b)
		if err != nil {
			continue
		}
		for _, rc := range rep.Recipients {
			n++
			if why := checkHard(rc); why != "" {
				t.Errorf("%s: %s: %s", file, rc.Recipient, why)
			}
		}
	}
	for _, rec := range readUnseen(t) {
		rep, err := ndr.ExplainText(rec.paste())
		if err != nil {
			continue
		}
		for _, rc := range rep.Recipients {
			n++
			if why := checkHard(rc); why != "" {
				t.Errorf("unseen %s: %s: %s", rec.ID, rc.Recipient, why)
			}
		}
	}
	if n < 500 {
		t.Errorf("checked %d recipients, want the whole test set", n)
	}
}

// TestLoadPhrases checks that a caller's phrases classify, and that
// errors name the file and the line.
func TestLoadPhrases(t *testing.T) {
	fsys := fstest.MapFS{
		"it.txt":  {Data: []byte("[phrase]\n@source our Italian partner's gateway\nmailboxfull casella (?:piena|satura)\n")},
		"bad.txt": {Data: []byte("[phrase]\nmailboxfull casella piena\n")},
	}
	p, err := ndr.LoadPhrases(fsys, "it.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := "<user@example.it>: host mx.example.it[192.0.2.7] said: 550 casella satura (in reply to RCPT TO command)"
	for _, tc := range []struct {
		opts []ndr.Option
		want ndr.Reason
	}{
		{nil, ndr.ReasonOnHold},
		{[]ndr.Option{ndr.WithPhrases(p)}, ndr.ReasonMailboxFull},
		{[]ndr.Option{ndr.WithOptions(ndr.Options{Phrases: p})}, ndr.ReasonMailboxFull},
	} {
		rep, err := ndr.ExplainText(text, tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Recipients[0].Reason; got != tc.want {
			t.Errorf("reason %s, want %s", got, tc.want)
		}
	}
	_, err = ndr.LoadPhrases(fsys, "bad.txt")
	pe, ok := errors.AsType[*ndr.PhraseError](err)
	if !ok || pe.File != "bad.txt" || pe.Line != 2 {
		t.Fatalf("error %v, want a *PhraseError at bad.txt:2", err)
	}
	if want := "bad.txt:2: phrase without a source"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to begin %q", err, want)
	}
}

func ExampleLoadPhrases() {
	fsys := fstest.MapFS{"local.txt": {Data: []byte(`# Our regional ISP's gateway
[phrase]
@source the ISP's help page "Fehlermeldungen"
mailboxfull speicherplatz (?:ist )?(?:voll|erschöpft)
`)}}
	phrases, err := ndr.LoadPhrases(fsys)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := ndr.ExplainText("<kunde@example.de>: host mx.example.de[192.0.2.9] said: 552 Speicherplatz ist voll (in reply to RCPT TO command)", ndr.WithPhrases(phrases))
	if err != nil {
		fmt.Println(err)
		return
	}
	rc := rep.Recipients[0]
	fmt.Println(rc.Reason, rc.Evidence)
	// Output: mailboxfull text "Speicherplatz ist voll"
}
