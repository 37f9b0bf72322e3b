package ndr_test

import (
	"os"
	"testing"

	"github.com/ndrkit/ndrkit/ndr"
)

// FuzzExplain checks that no input makes Explain panic, and that a
// report, when there is one, is consistent.
func FuzzExplain(f *testing.F) {
	for _, file := range bounceFiles(f) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(exampleBounce))
	f.Add([]byte("From: a\n\n"))
	f.Add([]byte("Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b\nAction: failed\nStatus: 5.1.1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := ndr.ExplainBytes(b, ndr.WithLimits(1<<20, 64, 8))
		if err != nil {
			if rep != nil {
				t.Fatalf("report %+v returned with error %v", rep, err)
			}
			return
		}
		if len(rep.Recipients) == 0 {
			t.Fatal("report without recipients and without error")
		}
		for _, r := range rep.Recipients {
			// A hard bounce is a failure whose reason is about the
			// address itself; a permanent one always is, a temporary
			// one only as a final unknown mailbox (X.1.1).
			hard := r.IsFailure() && r.Reason.IsHard(!r.Temporary)
			final11 := r.Action == ndr.ActionFailed && r.Reason == ndr.ReasonUserUnknown && r.Status.Subject() == 1 && r.Status.Detail() == 1
			if want := hard && (!r.Temporary || final11); r.HardBounce != want {
				t.Errorf("%s: hard bounce %t for reason %s (temporary %t, action %s, status %s)", r.Recipient, r.HardBounce, r.Reason, r.Temporary, r.Action, r.Status)
			}
			if r.Reason == "" {
				t.Errorf("%s: no reason", r.Recipient)
			}
		}
	})
}
