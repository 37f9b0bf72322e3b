package ndr_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// TestLocalizedNotices reads Gromox's failure notices in English,
// Simplified Chinese, Traditional Chinese and Japanese
// (testdata/bounces/gromox, <kind>.<language>.eml), whose
// delivery-status part says no more than Status 5.0.0, and expects each
// to give the recipient, reason and verdict that its words state, the
// same in every language. The text of each notice, pasted without its
// message, must give the same recipient (never the sender that the
// notice's summary of the returned message names), reason and verdict.
func TestLocalizedNotices(t *testing.T) {
	type facts struct {
		Recipient string
		Action    ndr.Action
		Status    string
		Reason    ndr.Reason
		Hard      bool
		Temporary bool
	}
	rcpt := map[string]string{"en": "john.smith@example.com", "zh-hans": "wang.wei@example.com", "zh-hant": "chen.mei@example.com", "ja": "yamada@example.com"}
	kinds := map[string]facts{
		"no-user":         {Reason: ndr.ReasonUserUnknown, Hard: true},
		"mailbox-full":    {Reason: ndr.ReasonMailboxFull},
		"too-large":       {Reason: ndr.ReasonMesgTooBig},
		"operation-error": {Reason: ndr.ReasonSystemError},
	}
	n := 0
	for kind, want := range kinds {
		for lang, addr := range rcpt {
			file := filepath.Join("..", "testdata", "bounces", "gromox", kind+"."+lang+".eml")
			b, err := os.ReadFile(file)
			if os.IsNotExist(err) {
				continue // Gromox has no Japanese template for every kind
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
			t.Run(kind+"."+lang, func(t *testing.T) {
				rep, err := ndr.ExplainBytes(b)
				if err != nil {
					t.Fatal(err)
				}
				var got []facts
				for _, r := range rep.Recipients {
					got = append(got, facts{r.Recipient, r.Action, r.Status.String(), r.Reason, r.HardBounce, r.Temporary})
				}
				w := want
				w.Recipient, w.Action, w.Status = addr, ndr.ActionFailed, "5.0.0"
				if diff := cmp.Diff([]facts{w}, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", file, diff)
				}
				m, err := mime.Walk(string(b), mime.Limits{MaxSize: 1 << 20, MaxParts: 16, MaxDepth: 4, ErrTruncated: ndr.ErrTruncated, ErrUnknownCharset: ndr.ErrUnknownCharset})
				if err != nil {
					t.Fatal(err)
				}
				pasted, err := ndr.ExplainBytes([]byte(m.Body))
				if err != nil {
					t.Fatal(err)
				}
				got = got[:0]
				for _, r := range pasted.Recipients {
					got = append(got, facts{Recipient: r.Recipient, Reason: r.Reason, Hard: r.HardBounce, Temporary: r.Temporary})
				}
				w.Action, w.Status = "", ""
				if diff := cmp.Diff([]facts{w}, got); diff != "" {
					t.Errorf("%s pasted as text (-want +got):\n%s", file, diff)
				}
			})
		}
	}
	if n != 15 {
		t.Errorf("read %d localized notices, want 15", n)
	}
}
