package ndr_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/groundtruth"
	"github.com/ndrkit/ndrkit/ndr"
)

// The bounces under testdata/realmta were made by real MTAs (Debian's
// Postfix, Exim, Sendmail, OpenSMTPD, Courier, dma and nullmailer) against a
// scripted SMTP peer; scripts/realmta/generate.sh makes them again. Next to
// each <case>.eml, <case>.json says what the peer answered to each recipient
// and which values a reader of the bounce can know.

// realmtaView is the part of an ndr.Recipient the ground truth checks.
type realmtaView struct {
	Action    string
	Status    string
	ReplyCode int
	Temporary bool
	Reason    string
}

// realmtaDir is the directory of generated bounces: NDRKIT_REALMTA_DIR when
// set (CI regenerates into a temporary directory), else the committed set.
func realmtaDir() string {
	if d := os.Getenv("NDRKIT_REALMTA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "testdata", "realmta")
}

func TestRealMTA(t *testing.T) {
	dir := realmtaDir()
	truths, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(truths) == 0 {
		t.Fatalf("no ground truth files under %s", dir)
	}
	for _, path := range truths {
		mta := filepath.Base(filepath.Dir(path))
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(mta+"/"+name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var truth groundtruth.Truth
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			raw, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".eml")
			if err != nil {
				t.Fatal(err)
			}
			rep, err := ndr.ExplainBytes(raw)
			if err != nil {
				t.Fatalf("Explain: %v", err)
			}
			byAddr := map[string]ndr.Recipient{}
			for _, r := range rep.Recipients {
				byAddr[strings.ToLower(r.Recipient)] = r
			}
			for _, want := range truth.Recipients {
				got, ok := byAddr[strings.ToLower(want.Recipient)]
				if !ok {
					t.Errorf("%s: not reported (peer: %s %s %q)", want.Recipient, want.Stage, want.PeerEvent, want.PeerReply)
					continue
				}
				gv := realmtaView{
					Action:    string(got.Action),
					Status:    got.Status.String(),
					ReplyCode: got.ReplyCode,
					Temporary: got.Temporary,
					Reason:    string(got.Reason),
				}
				// Where the reported value is acceptable, expect exactly it,
				// so the diff shows only the values that are wrong.
				wv := realmtaView{
					Action:    want.Action,
					Status:    want.Status,
					ReplyCode: want.ReplyCode,
					Temporary: want.Temporary,
					Reason:    strings.Join(want.Reasons, "|"),
				}
				if gv.Action == want.Action || slices.Contains(want.Allow.Action, gv.Action) {
					wv.Action = gv.Action
				}
				// A status ndr inferred from the reason stands for "unknown".
				inferredOK := got.StatusInferred && (want.Status == "" || slices.Contains(want.Allow.Status, ""))
				if gv.Status == want.Status || slices.Contains(want.Allow.Status, gv.Status) || inferredOK {
					wv.Status = gv.Status
				}
				if gv.ReplyCode == want.ReplyCode || slices.Contains(want.Allow.ReplyCode, gv.ReplyCode) {
					wv.ReplyCode = gv.ReplyCode
				}
				if gv.Temporary == want.Temporary || slices.Contains(want.Allow.Temporary, gv.Temporary) {
					wv.Temporary = gv.Temporary
				}
				if slices.Contains(want.Reasons, gv.Reason) {
					wv.Reason = gv.Reason
				}
				if diff := cmp.Diff(wv, gv); diff != "" {
					t.Errorf("%s (peer %s: %q; diagnostic %q) mismatch (-want +got):\n%s",
						want.Recipient, want.Stage, strings.Join(want.PeerReply, " / "), got.Diagnostic, diff)
				}
			}
			for _, addr := range truth.NotFailed {
				if got, ok := byAddr[strings.ToLower(addr)]; ok && (got.Action == ndr.ActionFailed || got.Action == ndr.ActionDelayed) {
					t.Errorf("%s was delivered but is reported as %s", addr, got.Action)
				}
			}
		})
	}
}
