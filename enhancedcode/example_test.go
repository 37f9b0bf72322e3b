package enhancedcode_test

import (
	"errors"
	"fmt"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

func ExampleParse() {
	c, err := enhancedcode.Parse("4.7.650")
	if err != nil {
		panic(err)
	}
	fmt.Println(c, c.Class(), "/", c.Subject(), "/", c.Detail())
	fmt.Println("temporary:", c.Temporary())

	_, err = enhancedcode.Parse("4.16.55.1")
	fmt.Println(errors.Is(err, enhancedcode.ErrSyntax), err)
	// Output:
	// 4.7.650 Persistent Transient Failure / Security or Policy Status / 650
	// temporary: true
	// true enhancedcode: invalid enhanced status code: "4.16.55.1"
}

func ExampleFind() {
	// Exchange Online's expiry notice quotes the reply of its last
	// attempt, which quotes Yahoo's reply: Find returns all three, the
	// outer ones with the quoted replies in their text.
	diag := "Remote Server returned '554 4.4.7 Message expired; " +
		"<451 4.4.0 Primary target IP address responded with: \"421 4.7.0 [TSS04] Messages from 192.0.2.10 " +
		"temporarily deferred due to unexpected volume or user complaints - 4.16.55.1\" Attempted failover>'"
	for _, r := range enhancedcode.Find(diag) {
		fmt.Printf("%d %v temporary=%v\n  %s\n", r.Code, r.Enhanced, r.Temporary(), r.Text)
	}
	// Output:
	// 554 4.4.7 temporary=true
	//   Message expired; <451 4.4.0 Primary target IP address responded with: "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1" Attempted failover>
	// 451 4.4.0 temporary=true
	//   Primary target IP address responded with: "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1" Attempted failover
	// 421 4.7.0 temporary=true
	//   [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1
}

func ExampleFind_multiline() {
	diag := "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n" +
		"550-5.1.1 double-checking the recipient's email address for typos or\r\n" +
		"550-5.1.1 unnecessary spaces.\r\n" +
		"550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp\r\n"
	for _, r := range enhancedcode.Find(diag) {
		fmt.Println(r.Code, r.Enhanced)
		fmt.Println(r.Text)
	}
	// Output:
	// 550 5.1.1
	// The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser - gsmtp
}

func ExampleUnfold() {
	report := "<a@example.jp>: host mx.example.jp[192.0.2.153] said: 550\n" +
		"    5.1.1 <a@example.jp>... User Unknown (in reply to RCPT TO\n" +
		"    command)\n"
	for _, r := range enhancedcode.Find(enhancedcode.Unfold(report)) {
		fmt.Println(r.Code, r.Enhanced, r.Text)
	}
	// Output:
	// 550 5.1.1 <a@example.jp>... User Unknown (in reply to RCPT TO command)
}

func ExampleLookup() {
	c := enhancedcode.MustParse("5.2.2")
	e, ok := enhancedcode.Lookup(c)
	fmt.Println(ok, e.Code, e.ReplyCodes, e.Reference)
	fmt.Println(e.Name(language.English))
	fmt.Println(e.Description(language.English))
	fmt.Println(e.Name(language.Japanese))
	fmt.Println(e.Description(language.MustParse("ja-JP")))

	_, ok = enhancedcode.Lookup(enhancedcode.MustParse("4.7.650"))
	fmt.Println("4.7.650 registered:", ok)
	// Output:
	// true X.2.2 552 RFC 3463
	// Mailbox full
	// The recipient's mailbox is over its quota. The recipient can free space, so this is meant as a temporary failure.
	// メールボックスの容量超過
	// 受信者のメールボックスが容量の上限に達しています。受信者が不要なメールを削除すれば、再び受け取れるようになります。
	// 4.7.650 registered: false
}

func ExampleLookupSubject() {
	c := enhancedcode.MustParse("4.7.650")
	if _, ok := enhancedcode.Lookup(c); !ok {
		s, _ := enhancedcode.LookupSubject(c.Subject())
		cl, _ := enhancedcode.LookupClass(c.Class())
		fmt.Println(s.Code, s.Name(language.Japanese))
		fmt.Println(cl.Code, cl.Name(language.Japanese))
	}
	// Output:
	// X.7.YYY セキュリティ・ポリシーの問題
	// 4.XXX.YYY 一時的な失敗
}
