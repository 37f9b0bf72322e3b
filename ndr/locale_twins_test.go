package ndr_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// localeTwins are the locales whose reports have an English twin among
// the test bounces: a file named with "ja-" (Exchange Online's Japanese
// locale) next to the same name with "en-". The Japanese headings are
// those of Microsoft's Japanese help ("管理者向けの診断情報",
// support.microsoft.com/ja-jp/office/failed-delivery-messages-from-the-
// postmaster-at-outlook-com-microsoft-com-or-service-microsoft-com-
// eb34d15e-1251-4802-995d-78917ecb1de6) and of reports as Japanese users
// quote them (次の受信者またはグループへの配信に失敗しました, 生成元サーバー,
// リモート サーバーから '554 Transaction failed' が返されました). The
// m365-<locale>-recipnotfound reports are composed from the unknown
// recipient's report as Microsoft translates it in each language edition
// of "DSNs and NDRs in Exchange 2013"
// (learn.microsoft.com/<locale>/exchange/dsns-and-ndrs-in-exchange-2013-exchange-2013-help),
// with the reply left in English as Exchange writes it.
var localeTwins = []string{"ja-", "zh-", "fr-", "de-", "es-", "it-", "pt-", "ru-"}

// TestLocaleTwins reads every localized test bounce and its English twin
// and expects the same facts for each recipient (address, action,
// status, reply, diagnostic, cause, remote host, reason, evidence) and
// the same explanations: the language of a report changes its wording,
// not what it says.
func TestLocaleTwins(t *testing.T) {
	n := 0
	for _, file := range bounceFiles(t) {
		base := filepath.Base(file)
		for _, loc := range localeTwins {
			k := strings.Index(base, loc)
			if k < 0 || k > 0 && base[k-1] != '-' {
				continue
			}
			twin := filepath.Join(filepath.Dir(file), base[:k]+"en-"+base[k+len(loc):])
			n++
			t.Run(base, func(t *testing.T) {
				got, want := twinFacts(t, file), twinFacts(t, twin)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s reads otherwise than %s (-en +%s):\n%s", base, filepath.Base(twin), strings.TrimSuffix(loc, "-"), diff)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no localized test bounces")
	}
}

// twinSum is what a report and its twin must share.
type twinSum struct {
	Recipients   []recipientSum
	Explanations [][]string // the IDs of each recipient's explanations
}

// twinFacts explains a test bounce (as pasted text when it is a .txt
// file) and returns its recipients' facts and explanations.
func twinFacts(t *testing.T, file string) twinSum {
	t.Helper()
	rep, _, err := explainFile(t, file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	s := twinSum{Recipients: summarize(rep).Recipients}
	for _, r := range rep.Recipients {
		var ids []string
		for _, e := range r.Explanations {
			ids = append(ids, e.ID)
		}
		s.Explanations = append(s.Explanations, ids)
	}
	return s
}
