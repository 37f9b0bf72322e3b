package present

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

func TestEvidenceJapanese(t *testing.T) {
	ja := remedy.MatchLanguage("ja")
	for _, tc := range []struct{ in, want string }{
		{"status 5.1.1", "拡張ステータスコード 5.1.1"},
		{`text "user unknown"`, `本文 "user unknown"`},
		{`text "user unknown" and status 5.1.1`, `本文 "user unknown"（拡張ステータスコード 5.1.1 とも一致）`},
		{`text "no such user" at RCPT`, `本文 "no such user"（RCPT の段階）`},
		{`text "x; y at RCPT" after DATA`, `本文 "x; y at RCPT"（DATA の後）`},
		{`text "user unknown" with protocol status 5.5.0`, `本文 "user unknown"（プロトコルのステータス 5.5.0）`},
		{`text "rejected" in a remote reply of unknown stage`, `本文 "rejected"（段階が不明な相手サーバーの応答）`},
		{"vendor microsoft: token S775", "Microsoft の規則：受信側のコード S775"},
		{"vendor google: status 5.7.26", "Google の規則：拡張ステータスコード 5.7.26"},
		{"stage MAIL: reply 550", "SMTP の MAIL 段階：応答コード 550"},
		{"reply 554 at connection", "応答コード 554（接続時）"},
		{"no rule matched the text", "本文に該当する規則なし"},
		{`remote host "192.0.2.1": the remote server gave no reply`, `相手ホスト "192.0.2.1"：相手サーバーから応答がなかった`},
		{"stage CONN: the remote server gave no reply", "SMTP の CONN 段階：相手サーバーから応答がなかった"},
		{`text "unknown bounce reason": the MTA kept no reply from the remote server`, `本文 "unknown bounce reason"：送信側の MTA が相手サーバーの応答を残していない`},
		{"action delayed", "DSN の Action delayed"},
		{`mail program error "0x800CCC0F": the connection to the server was dropped`, `メールソフトのエラー "0x800CCC0F"：サーバーとの接続が切れた`},
		{`mail program error "0x8004210B": the sending (SMTP) server did not answer in time`, `メールソフトのエラー "0x8004210B"：送信（SMTP）サーバーが時間内に応答しない`},
		{"Auto-Submitted: auto-replied", "Auto-Submitted ヘッダー：auto-replied"},
		{"vendor yahoo: token TSS04; Sendmail: the message could not be delivered in time and was deleted from the queue",
			"Yahoo の規則：受信側のコード TSS04、Sendmail：期限内に配送できず、キューから削除"},
		{"", ""},
	} {
		if diff := cmp.Diff(tc.want, Evidence(tc.in, ja)); diff != "" {
			t.Errorf("Evidence(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// quoted matches the codes and texts from the bounce that the evidence
// keeps as they are.
var (
	quoted    = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|\b[245]\.\d{1,3}\.\d{1,3}\b|\b\d{3}\b`)
	asciiWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9.()'_/=-]*`)
)

// evidenceNames are the words the Japanese evidence keeps in English:
// names of receivers, programs, SMTP commands and header fields.
var evidenceNames = []string{
	"Action", "Amazon", "SES", "WorkMail", "Auto-Submitted", "BIGLOBE", "DATA", "DSN", "Exim", "Gmail",
	"Google", "IMail", "MAIL", "CONN", "HELO", "MTA", "OpenSMTPD", "RCPT", "RFC", "SMTP", "Sendmail", "au", "dma", "fml", "qmail",
	"message/feedback-report", "report-type=feedback-report", "x-unix", "delayed", "delivered", "relayed", "expanded",
	"auto-replied", "auto-generated", "auto-notified", "DNS", "Mailman", "Sympa", "mlmmj", "TMDA", "BoxTrapper", "DMARC", "Haraka", "Outlook",
}

// TestEvidenceJapaneseEveryBounce renders the evidence of every bounce in
// testdata in Japanese: what is left in Latin letters, once the codes and
// texts quoted from the bounce are taken out, is a name or a code.
func TestEvidenceJapaneseEveryBounce(t *testing.T) {
	ja := remedy.MatchLanguage("ja")
	root := filepath.Join("..", "..", "..", "testdata", "bounces")
	names := map[string]bool{}
	for _, n := range evidenceNames {
		names[n] = true
	}
	for _, r := range remedy.Default().Receivers() {
		names[r.Name] = true
	}
	for _, n := range vendorNames {
		for _, w := range asciiWord.FindAllString(n, -1) {
			names[w] = true
		}
	}
	ownCode := regexp.MustCompile(`受信側のコード \S+`)
	keptText := regexp.MustCompile(`(au|qmail|IMail|Amazon SES が配送を断念|Amazon WorkMail が配送を断念)：.*`)
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rep, err := ndr.ExplainBytes(b)
		if err != nil {
			return nil
		}
		for _, r := range rep.Recipients {
			if r.Evidence == "" || seen[r.Evidence] {
				continue
			}
			seen[r.Evidence] = true
			got := Evidence(r.Evidence, ja)
			rest := quoted.ReplaceAllString(got, "")
			// A code of the receiver's own (S775, TSS04, AS(2200), IB212).
			rest = ownCode.ReplaceAllString(rest, "")
			// What au and qmail say, kept from the bounce.
			rest = keptText.ReplaceAllString(rest, "$1")
			var left []string
			for _, w := range asciiWord.FindAllString(rest, -1) {
				if !names[w] {
					left = append(left, w)
				}
			}
			if len(left) > 0 {
				t.Errorf("%s: %q in Japanese is %q: English left: %q", p, r.Evidence, got, left)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 20 {
		t.Errorf("only %d evidence texts in testdata", len(seen))
	}
}
