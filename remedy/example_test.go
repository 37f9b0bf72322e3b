package remedy_test

import (
	"fmt"

	"github.com/ndrkit/ndrkit/remedy"
)

func ExampleCatalogue_Match() {
	facts := remedy.Facts{
		ReplyCode: 451,
		Status:    "4.7.650",
		Texts:     []string{"451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. (S775)"},
		Recipient: "someone@hotmail.com",
		Action:    "delayed",
		Temporary: true,
	}
	best, _ := remedy.Default().Best(facts)
	x := best.Render(remedy.MatchLanguage("ja-JP,ja;q=0.9,en;q=0.8"))
	fmt.Println(x.ID)
	fmt.Println(x.RetryCase, x.Retry, x.Urgency)
	fmt.Println(x.Actions[0].Label, x.Actions[1].Label)
	fmt.Println(best.Triggers)
	// Output:
	// ms-s775-ip-reputation
	// delayed wait high
	// 送信者 送信サーバーの運用者（サーバー会社・メールサービス・社内の管理者）
	// [token S775 status 4.7.650 text "rate limited due to IP reputation"]
}

func ExampleMatchLanguage() {
	fmt.Println(remedy.MatchLanguage("ja-JP,ja;q=0.9"))
	fmt.Println(remedy.MatchLanguage("fr-FR"))
	// Output:
	// ja
	// en
}

func ExampleCatalogue_Lookup() {
	e, _ := remedy.Default().Lookup("reason-userunknown")
	fmt.Println(e.Render(remedy.MatchLanguage("en")).Title)
	fmt.Println(e.Render(remedy.MatchLanguage("ja")).Title)
	// Output:
	// The recipient's address does not exist
	// 宛先のメールアドレスが存在しません
}

// The facts about the parties tell an unknown user at the sender's own
// domain, refused by the sending host itself, from one refused by the
// recipient's server.
func ExampleCatalogue_Match_parties() {
	facts := remedy.Facts{
		Reason:    "userunknown",
		Status:    "5.1.1",
		Texts:     []string{`unknown user: "sales@example.co.jp"`},
		Sender:    "info@example.co.jp",
		Recipient: "sales@example.co.jp",
		Action:    "failed",
		Local:     true,
	}
	best, _ := remedy.Default().Best(facts)
	fmt.Println(best.Entry.ID, best.Triggers[3:])

	facts.Local = false
	facts.RemoteMTA = "aspmx.l.google.com"
	best, _ = remedy.Default().Best(facts)
	fmt.Println(best.Entry.ID)
	// Output:
	// domain-mail-still-local-on-old-host [same domain example.co.jp failure decided by the reporting host]
	// reason-userunknown
}
