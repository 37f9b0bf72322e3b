package ndr_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

// exampleMbox is an mbox of two messages: a bounce and an ordinary
// message.
var exampleMbox = "From MAILER-DAEMON Mon Mar  9 10:00:00 2026\n" + exampleBounce +
	"\nFrom taro@example.org Mon Mar  9 10:05:00 2026\n" +
	"From: taro@example.org\nTo: jiro@example.org\nSubject: Lunch\n\nNoon?\n"

func ExampleSplitMbox() {
	for i, msg := range ndr.SplitMbox([]byte(exampleMbox)) {
		rep, err := ndr.ExplainBytes(msg)
		if errors.Is(err, ndr.ErrNotBounce) {
			fmt.Printf("message %d: not a bounce\n", i+1)
			continue
		} else if err != nil {
			fmt.Printf("message %d: %v\n", i+1, err)
			continue
		}
		fmt.Printf("message %d: %s %s\n", i+1, rep.Kind, rep.Recipients[0].Recipient)
	}
	// Output:
	// message 1: failure hanako@example.net
	// message 2: not a bounce
}

// Reports reads an mbox as a stream, one message at a time, and goes on
// after a message it cannot explain.
func ExampleReports() {
	for rep, err := range ndr.Reports(strings.NewReader(exampleMbox)) {
		if errors.Is(err, ndr.ErrNotBounce) {
			fmt.Println(err)
			continue
		} else if err != nil {
			fmt.Println("error:", err)
			continue
		}
		for _, r := range rep.Failed() {
			fmt.Println(r.Recipient, r.Reason)
		}
	}
	// Output:
	// hanako@example.net mailboxfull
	// message 2: ndr: message is not a bounce
}

func ExampleReport_Failed() {
	// A failure for one recipient and a delivery for another.
	msg := `From: MAILER-DAEMON@mail.example.org
To: taro@example.org
Subject: Delivery Status Notification
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org

Final-Recipient: rfc822; jiro@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

Final-Recipient: rfc822; saburo@example.net
Action: delivered
Status: 2.0.0

--b--
`
	rep, err := ndr.ExplainBytes([]byte(msg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Kind, len(rep.Recipients), "recipients")
	for _, r := range rep.Failed() {
		fmt.Println(r.Recipient, r.Action, r.Temporary)
	}
	// Output:
	// failure 2 recipients
	// jiro@example.net failed false
}

// ExplainText is needed for text without a message header, such as a
// user pastes from an NDR shown in Outlook; Explain reads whole
// messages and would find no header in it. IsPastedText tells the two
// apart (Reports does so by itself).
func ExampleExplainText_pasted() {
	text := "Delivery has failed to these recipients or groups: xxxx@aol.com The server or service did not respond in time."
	fmt.Println(ndr.IsPastedText([]byte(text)))
	rep, err := ndr.ExplainText(text)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Recipients[0]
	// The bounce gave no code: the status is inferred from the reason.
	fmt.Println(r.Recipient, r.Reason, r.Status, r.StatusInferred)
	fmt.Println(r.Explanations[0].Title)
	// Output:
	// true
	// xxxx@aol.com expired 5.0.947 true
	// Microsoft 365 cannot get mail through to Yahoo, AOL, Sky or cs.com
}

// A user often pastes only the line of the NDR that holds the server's
// reply. The report then has one recipient without an address, and a
// warning says so.
func ExampleExplainText_replyOnly() {
	rep, err := ndr.ExplainText("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Recipients[0]
	fmt.Printf("%q %s hard=%t\n", r.Recipient, r.Reason, r.HardBounce)
	for _, w := range rep.Warnings {
		fmt.Println(errors.Is(w, ndr.ErrNoAddress))
	}
	// Output:
	// "" userunknown hard=true
	// true
}

// The explanations come in the language chosen with WithLanguage;
// remedy.MatchLanguage reads an Accept-Language value or a user setting.
func ExampleWithLanguage_choice() {
	for _, pref := range []string{"en-US,en;q=0.9", "ja-JP,ja;q=0.9"} {
		rep, err := ndr.ExplainBytes([]byte(exampleBounce), ndr.WithLanguage(remedy.MatchLanguage(pref)))
		if err != nil {
			fmt.Println(err)
			return
		}
		x := rep.Recipients[0].Explanations[0]
		fmt.Println(x.Language, x.Title)
		fmt.Println(x.Actions[0].Label+":", x.Actions[0].Text)
	}
	// Output:
	// en The recipient's mailbox is full; the address is valid
	// Sender: Tell the recipient by another channel that their mailbox is full; whether and when to resend is said below.
	// ja 受信者のメールボックスが一杯です（アドレスは有効です）
	// 送信者: メールボックスが一杯であることを別の手段で受信者に伝えてください。送り直すかどうか、いつ送り直すかは下の説明に従ってください。
}
