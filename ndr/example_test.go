package ndr_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

const exampleBounce = `From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
To: taro@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org

Final-Recipient: rfc822; hanako@example.net
Action: failed
Status: 5.2.2
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 552 5.2.2 <hanako@example.net>: Mailbox full

--b
Content-Type: text/rfc822-headers

From: taro@example.org
To: hanako@example.net
Subject: Meeting on Friday
Message-ID: <meeting-42@example.org>

--b--
`

func ExampleExplain() {
	rep, err := ndr.Explain(strings.NewReader(exampleBounce))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("original:", rep.Original.MessageID)
	for _, r := range rep.Recipients {
		fmt.Println(r.Recipient, r.Action, r.Status, r.ReplyCode, r.Reason)
		fmt.Println("temporary:", r.Temporary, "hard bounce:", r.HardBounce)
		fmt.Println("evidence:", r.Evidence)
	}
	// Output:
	// original: <meeting-42@example.org>
	// hanako@example.net failed 5.2.2 552 mailboxfull
	// temporary: false hard bounce: false
	// evidence: text "Mailbox full" and status 5.2.2
}

func ExampleExplainText() {
	rep, err := ndr.ExplainText("<user@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 <user@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Recipients[0]
	fmt.Println(r.Recipient, r.Status, r.ReplyCode, r.Command, r.Reason, r.HardBounce)
	// Output:
	// user@example.net 5.1.1 550 RCPT userunknown true
}

func ExampleExplain_notBounce() {
	msg := "From: a@example.com\nTo: b@example.net\nSubject: Lunch\n\nShall we meet at noon?\n"
	_, err := ndr.Explain(strings.NewReader(msg))
	fmt.Println(errors.Is(err, ndr.ErrNotBounce))
	// Output:
	// true
}

func ExampleWithLanguage() {
	text := "<example@outlook.jp>: host apc.olc.protection.outlook.com[×××.×××.×××.×××] said: 451 4.7.650 The mail server [×××.×××.×××.×××] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)"
	rep, err := ndr.ExplainText(text, ndr.WithLanguage(remedy.MatchLanguage("ja-JP,ja;q=0.9,en;q=0.8")))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Recipients[0]
	fmt.Println(r.Reason, r.Tokens, r.Temporary)
	x := r.Explanations[0]
	fmt.Println(x.ID, x.Retry)
	fmt.Println(x.Title)
	// Output:
	// badreputation [S775] true
	// ms-s775-ip-reputation resend-after-fix
	// Outlook.com が評価を理由に送信サーバーのIPアドレスからの受信を制限しています
}

// ReasonOfStatus tells what a status means by the registry alone; a
// recipient whose reason differs was decided by the reply's words or by
// the receiver's own use of the code.
func ExampleReasonOfStatus() {
	for _, s := range []string{"5.1.1", "5.2.2", "4.4.1", "5.1.10", "5.0.0", "2.0.0"} {
		fmt.Printf("%s %q\n", s, ndr.ReasonOfStatus(enhancedcode.MustParse(s)))
	}
	// Output:
	// 5.1.1 "userunknown"
	// 5.2.2 "mailboxfull"
	// 4.4.1 "expired"
	// 5.1.10 "notaccept"
	// 5.0.0 ""
	// 2.0.0 ""
}
