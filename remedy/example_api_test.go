package remedy_test

import (
	"fmt"
	"testing/fstest"

	"github.com/ndrkit/ndrkit/remedy"
)

// Extend adds a site's own entries to the embedded catalogue; here one
// for an internal gateway's code, preferred to the generic entry.
func ExampleCatalogue_Extend() {
	fsys := fstest.MapFS{"local.json": {Data: []byte(`{
  "entries": [{
    "id": "example-gw-quota",
    "when": {"tokens": ["GWQ42"]},
    "urgency": "low",
    "retry": "resend-after-fix",
    "checked": "2026-03-01",
    "text": {
      "en": {"title": "The gateway's daily quota is used up", "gist": "Our own gateway's daily quota stopped the message.",
             "summary": "The internal gateway refused the message (GWQ42).",
             "steps": [{"actor": "sender-admin", "text": "Raise the quota in the gateway console."}],
             "retry": {"delayed": "The gateway keeps trying for a while.", "expired": "The gateway gave up: resend after the quota is raised.",
                       "permanent": "Resend after the quota is raised."}},
      "ja": {"title": "ゲートウェイの1日の送信上限に達しました", "gist": "社内ゲートウェイの1日の上限で止まりました。",
             "summary": "社内ゲートウェイが受け付けませんでした（GWQ42）。",
             "steps": [{"actor": "sender-admin", "text": "ゲートウェイの管理画面で上限を引き上げてください。"}],
             "retry": {"delayed": "ゲートウェイがしばらく再試行します。", "expired": "ゲートウェイは再試行をやめました。上限を引き上げてから送り直してください。",
                       "permanent": "上限を引き上げてから送り直してください。"}}
    }
  }]
}`)}}
	c, err := remedy.Default().Extend(fsys)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Len() == remedy.Default().Len()+1)
	facts := remedy.Facts{Reason: "exceedlimit", ReplyCode: 550, Texts: []string{"550 quota exceeded GWQ42"}}
	for _, x := range c.Explain(facts, remedy.MatchLanguage("ja")) {
		fmt.Println(x.ID, x.Title)
	}
	// Output:
	// true
	// example-gw-quota ゲートウェイの1日の送信上限に達しました
	// mailbox-full-retry-later 受信者のメールボックスが一杯です（アドレスは有効です）
	// reason-exceedlimit 送信側で設定されたサイズ上限を超えています
}
