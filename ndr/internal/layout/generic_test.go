package layout

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestAddressDomain checks addressIndex against addrPattern on the
// domains that test the ends of labels.
func TestAddressDomain(t *testing.T) {
	for _, d := range []string{
		"", "b", "b.c", "b.c.", "b.c-", "b-.c", "b-c.d-e.f", "b.c-.d", "b..c", "b.-c", "-b.c",
		"example.com>", "mx1.example.org:25", "a.b.c.d.e", "1.2", "b.c.-d", "ab--cd.ef",
	} {
		want := 0
		if loc := mailaddr.AddrPattern.FindStringIndex("x@" + d); loc != nil && loc[0] == 0 {
			want = loc[1] - len("x@")
		}
		got := 0
		if loc := mailaddr.AddressIndex("x@"+d, 0); loc != nil && loc[0] == 0 {
			got = loc[1] - len("x@")
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("addressIndex(%q) (-addrPattern +got):\n%s", "x@"+d, diff)
		}
	}
}

// TestGenericNotRecipients runs the generic text scanner on texts that
// name, besides the failed recipients, addresses that are none: the
// sender, the recipients and the identifier that a summary of the
// returned message lists, a greeted sender, a parent address and a
// help contact.
func TestGenericNotRecipients(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"summary", "Hi,\n  Your message to \"rcpt@example.com\" cannot be delivered.\n\nBelow is the original mail information:\n   Time:    Tue, 04 Mar 2025 17:12:01 +0000\n   From:    sender@example.org\n   To:      rcpt@example.com, other@example.net\n   Subject: Re: note to third@example.net\n",
			[]string{"rcpt@example.com"}},
		{"summary only", "Your message could not be delivered.\n\n  From: sender@example.org\n  To: rcpt@example.com\n  Cc: other@example.net\n",
			[]string{"rcpt@example.com", "other@example.net"}},
		{"quoted summary", "> From: Sender <sender@example.org>\n> Reply-To: reply@example.org\n> To: other@example.net\n\n<rcpt@example.com>: user unknown\n",
			[]string{"rcpt@example.com"}},
		{"sender repeated", "From: sender@example.org\n\nThe message from sender@example.org to rcpt@example.com failed: user unknown\n",
			[]string{"rcpt@example.com"}},
		{"ja summary", "お知らせ：\n  \"rcpt@example.com\"へのメールを正しく送信できません。\n\n送信情報は下記となります：\n    送信者：\u3000\u3000  sender@example.org\n    宛先：\u3000      rcpt@example.com\n",
			[]string{"rcpt@example.com"}},
		{"zh summary", "您发送到“rcpt@example.com”的邮件无法被正确投递。\n\n以下是您所发送邮件的一些基本信息：\n    发件人地址：  sender@example.org\n    收件人：      rcpt@example.com\n",
			[]string{"rcpt@example.com"}},
		{"greeting", "Dear sender@example.org,\n\nyour message to rcpt@example.com could not be delivered.\n",
			[]string{"rcpt@example.com"}},
		{"message id", "Message-ID: <20250304.abc123@mail.example.org>\nOriginal message ID: <xyz.789@mail.example.org>\n\n<rcpt@example.com>: mailbox full\n",
			[]string{"rcpt@example.com"}},
		{"postfix parent", "<rcpt@example.com> (expanded from <alias@example.com>): user unknown\n",
			[]string{"rcpt@example.com"}},
		{"sendmail parent", "<rcpt@example.com>\n    (reason: 550 5.1.1 User unknown)\n    (expanded from: <alias@example.com>)\n",
			[]string{"rcpt@example.com"}},
		{"exim parent", "  rcpt@example.com\n    (generated from alias@example.com)\n    Unrouteable address\n",
			[]string{"rcpt@example.com"}},
		{"contact after", "Your message to \"rcpt@example.com\" cannot be delivered, please contact our mail\nsystem administrator to settle this problem.\n",
			[]string{"rcpt@example.com"}},
		{"ja greeting", "sender@example.jp 様\n\n\"rcpt@example.com\"へのメールは配信できませんでした。\n",
			[]string{"rcpt@example.com"}},
		{"zh greeting", "sender@example.jp您好，\n\n您发送到“rcpt@example.com”的邮件无法被正确投递。\n",
			[]string{"rcpt@example.com"}},
		{"addressed to", "rcpt@example.com 様宛てのメールは配信できませんでした。\n",
			[]string{"rcpt@example.com"}},
		{"message details", "Delivery has failed to these recipients or groups:\n\nrcpt@example.com\n\nOriginal Message Details\nSender Address: sender@example.org\nRecipient Address:      rcpt@example.com\n",
			[]string{"rcpt@example.com"}},
		{"message id in brackets", "Your message <20250304.abc@mail.example.org> to <rcpt@example.com> was rejected: 550 user unknown\n",
			[]string{"rcpt@example.com"}},
		{"ja help", "rcpt@example.com への配信に失敗しました。\nご用件は desk@example.jp までお願いいたします。\n",
			[]string{"rcpt@example.com"}},
		{"other greetings", "Hallo sender@example.de,\nSehr geehrte sender@example.de,\nПривет sender@example.ru,\nمرحبًا sender@example.org،\n\nrcpt@example.com: mailbox unavailable\n",
			[]string{"rcpt@example.com"}},
		{"returned sender", "Your message could not be delivered to team@example.org.\nPlease write to sender@example.org again.\n\n----- Original message -----\n\nReturn-Path: <sender@example.org>\nReceived: from mail.example.org\nFrom: Sender <sender@example.org>\nTo: team@example.org\n",
			[]string{"team@example.org"}},
		{"one sender a line", "<rcpt@example.com>:\nFrom: <bounce@mail.example.jp> RCPT: <rcpt@example.com> failed.\n",
			[]string{"rcpt@example.com"}},
		{"forwarded header", "-------- Message transféré --------\nSujet : Non remis\nDe : Mail Delivery System <bounces@mail.example.fr>\nPour\u00a0: marie@example.fr\n\nVotre message à rcpt@example.com n'a pas pu être remis.\n",
			[]string{"rcpt@example.com"}},
		{"forwarded header ru", "От: Mail Delivery System <bounces@mail.example.ru>\nКому: ivan@example.ru\n\nrcpt@example.com: 550 5.1.1 unknown user\n",
			[]string{"rcpt@example.com"}},
		{"run-in words", "很抱歉通知您，您发送到rcpt@example.com的邮件无法被正确投递，因为该收件人并不存在！\n受信者が存在していないため、other@example.jpへのメールを正しく送信できません。\n山田@例え.jp への配信に失敗しました。\n",
			[]string{"rcpt@example.com", "other@example.jp", "山田@例え.jp"}},
		{"help contact", "Your message to rcpt@example.com failed.\nPlease contact help@example.org. Write to desk@example.org for assistance.\n",
			[]string{"rcpt@example.com"}},
		// The note a user wrote around a pasted bounce: a signature, a
		// person named in passing. A list of addresses with one reply,
		// and addresses that share a line, stay recipients.
		{"signature under the bounce", "rcpt@example.com にメールを配信できませんでした。\n\n応答:\n550 5.1.1 The email account that you tried to reach does not exist.\n\nよろしくお願いします。\n森 mori@example.jp（内線 1203）\n",
			[]string{"rcpt@example.com"}},
		{"person named in the note", "前任の方（紹介は sasaki@example.jp 経由）に送ったところ、下記が届きました。\n\n<rcpt@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown\n",
			[]string{"rcpt@example.com"}},
		{"a recipient in a sentence without a reply of its own",
			"a@example.com にメールを配信できませんでした。\n応答:\n550 5.1.1 The email account that you tried to reach does not exist.\n\nb@example.org にメールを配信できませんでした。DNS Error: NXDOMAIN\n\n> 高田 takada@example.jp（内線 2402）\n>\n> よろしくお願いします。\n",
			[]string{"a@example.com", "b@example.org"}},
		{"failed to send mail to", "ERROR Failed to send mail to rcpt@example.com: 550 5.1.1 User unknown\nFor help, please send mail to postmaster@example.org\n",
			[]string{"rcpt@example.com"}},
		{"one reply first, then the list, then a note",
			"Remote Server returned '550 5.4.1 Recipient address rejected: Access denied.'\nThe following recipients were affected:\n\n  a@example.com\n  b@example.com\n\n上司の松本さん（matsumoto@example.jp）にもCCしています。\n",
			[]string{"a@example.com", "b@example.com"}},
		{"signature after the separator",
			"<rcpt@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown\n\nThanks,\n-- \nGrace Kim\nIT Coordinator\ngrace.kim@example.jp\n",
			[]string{"rcpt@example.com"}},
		{"a log with a line that was sent",
			"ERROR failed to send to a@example.com: 550 5.1.1 User unknown\nINFO sent to b@example.com\n",
			[]string{"a@example.com"}},
		{"list with one reply", "Delivery to the following recipients failed:\n\n  a@example.com\n  b@example.org\n\n550 5.1.1 User unknown\n",
			[]string{"a@example.com", "b@example.org"}},
		{"application log after a note naming the sending account",
			"送信は予約用アカウント（reserve@example.jp）で smtp.example.com 経由です。ログを貼ります。\n\nERROR mailer: SMTP server error: 550 5.4.5 Daily user sending limit exceeded.\nERROR mailer: failed to send to customer@example.com\n",
			[]string{"customer@example.com"}},
		{"addresses on one line", "Your message to a@example.com and b@example.org was not delivered.\n550 5.1.1 User unknown\n",
			[]string{"a@example.com", "b@example.org"}},
		// A Postfix reply that names the recipient it refuses counts
		// as naming it, beside an address named in the note.
		{"recipient named in its reply, after a note",
			"担当は私（石井 ishii@example.jp）です。\n\ncom.sun.mail.smtp.SMTPAddressFailedException: 550 5.1.1 <a@example.com>: Recipient address rejected: User unknown\n\nERROR Failed to send mail to b@example.net: Connection refused\n",
			[]string{"a@example.com", "b@example.net"}},
		{"sender named in its reply", "ERROR Failed to send mail to rcpt@example.com\n553 5.7.1 <me@example.org>: Sender address rejected: not owned by user me@example.org\n",
			[]string{"rcpt@example.com"}},
		// The account a copier logs in with is the sender's.
		{"a copier's send log", "宛先      : rcpt@example.co.jp\nSMTPサーバー: smtp.office365.com:587\nログインユーザー: scanner@example.co.jp\n結果      : NG\nエラーコード: 554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException\n",
			[]string{"rcpt@example.co.jp"}},
		{"an application logged in as", "ERROR mailer: logged in as app@example.com; failed to send to rcpt@example.net: 550 5.1.1 User unknown\n",
			[]string{"rcpt@example.net"}},
		// A Japanese summary of the returned message under the notice.
		{"japanese summary labels", "rcpt@example.com へのメッセージを配信できませんでした。\n\n状態コード: 550 5.1.10\n\n作成日: 2026/12/04 10:00\n送信者アドレス: sender@example.jp\n受信者アドレス: rcpt@example.com\n件名: 見積書\n",
			[]string{"rcpt@example.com"}},
	}
	for _, tt := range tests {
		got := scanGeneric(tt.text, func(r record.Recipient) string { return r.Recipient })
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: recipients (-want +got):\n%s", tt.name, diff)
		}
	}
}

// scanGeneric runs the generic text scanner on text and returns field of
// each recipient it reports, in order.
func scanGeneric(text string, field func(record.Recipient) string) []string {
	var got []string
	out := newFound(Options{}, nil)
	detectGeneric(mime.Pasted(text), 0, out)
	for _, r := range out.rs {
		got = append(got, field(r))
	}
	return got
}

// TestGenericDiagnostics checks which text the generic scanner gives each
// recipient: its own reply, the one reply of a list of addresses, or the
// words under it when the only reply stands above it, under an address
// listed before it.
func TestGenericDiagnostics(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"own replies", "a@example.com: 550 5.1.1 user unknown\nb@example.net: 552 5.2.2 mailbox full\n",
			[]string{"550 5.1.1 user unknown", "552 5.2.2 mailbox full"}},
		// Listed first, each with its own reply further down.
		{"list above, replies below", "Failed to these recipients:\n\na@example.com\nThe address was not found.\n\nb@example.net\nThe mailbox is full.\n\nDetails:\n\na@example.com\nRemote server returned '550 5.1.1 user unknown'\n\nb@example.net\nRemote server returned '552 5.2.2 mailbox full'\n",
			[]string{"Remote server returned '550 5.1.1 user unknown'", "Remote server returned '552 5.2.2 mailbox full'"}},
		{"reply naming its recipient", "Invalid Addresses: 550 5.1.1 <a@example.com>: Recipient address rejected: User unknown\nb@example.net: 552 5.2.2 mailbox full\n",
			[]string{"550 5.1.1 <a@example.com>: Recipient address rejected: User unknown", "552 5.2.2 mailbox full"}},
		{"list then one reply", "The following addresses failed:\n\n  a@example.com\n  b@example.net\n\nReason: 550 5.7.1 message refused\n",
			[]string{"Reason: 550 5.7.1 message refused", "Reason: 550 5.7.1 message refused"}},
		{"reply above, words below", "a@example.com\n   Remote server replied: 550 5.1.1 user unknown\n\nb@example.net\n   Error Description: Inbox is full\n",
			[]string{"Remote server replied: 550 5.1.1 user unknown", "Error Description: Inbox is full"}},
		{"reply above, nothing below", "550 5.1.1 user unknown:\n\n  a@example.com\n",
			[]string{"550 5.1.1 user unknown:"}},
		{"words above, reply below", "a@example.com\n   Error Description: Inbox is full\n\nb@example.net\n   Remote server replied: 550 5.1.1 user unknown\n",
			[]string{"Error Description: Inbox is full", "Remote server replied: 550 5.1.1 user unknown"}},
		{"address inside the only reply", "Delivery failed.\n\n550 5.1.1 <a@example.com>: Recipient address rejected: User unknown\n",
			[]string{"550 5.1.1 <a@example.com>: Recipient address rejected: User unknown"}},
		{"reply above a list, footer below", "Delivery failed: 550 5.1.1 Mailbox unavailable\n\n  a@example.com\n  b@example.net\n\nPowered by Example Gateway\n",
			[]string{"Delivery failed: 550 5.1.1 Mailbox unavailable", "Delivery failed: 550 5.1.1 Mailbox unavailable"}},
		// A reply shared by the addresses listed after it ends at the
		// list; a line that continues it and names an address further
		// on stays in it.
		{"reply above a labelled list", "The server said:\n550 5.1.1 Recipient address rejected\n宛先: a@example.com\n宛先: b@example.net\n",
			[]string{"The server said: 550 5.1.1 Recipient address rejected", "The server said: 550 5.1.1 Recipient address rejected"}},
		{"continuation naming an address", "Delivery has failed to these recipients:\n\na@example.com\n\nThe server said:\n550 5.1.1 Recipient address rejected: mailbox\n    a@example.com does not exist here\n",
			[]string{"The server said: 550 5.1.1 Recipient address rejected: mailbox a@example.com does not exist here"}},
		{"multi-line reply", "To: a@example.com\n\n550-5.7.26 Unauthenticated email is not accepted due to\n550-5.7.26 domain's DMARC policy.\n550 5.7.26 To learn more, go to the help page. - gsmtp\n",
			[]string{"550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy. To learn more, go to the help page. - gsmtp"}},
	}
	for _, tt := range tests {
		got := scanGeneric(tt.text, func(r record.Recipient) string { return r.Diagnostic })
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: diagnostics (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestPastedTogether checks pasted text that holds two bounces of
// different formats, or a report's text with only part of its
// delivery-status fields: every recipient with a failing reply of its own
// is reported once, with its own reply.
func TestPastedTogether(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // the recipients, in order
	}{
		{"gmail and exchange 2003",
			"Address not found\n\nYour message wasn't delivered to first@example.com because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you tried to reach does not exist.\n\n" +
				"Your message did not reach some or all of the intended recipients.\n\nThe following recipient(s) cannot be reached:\n\n      second@example.org on 11/30/2026 10:02 AM\n            Could not deliver the message in the time limit specified.  Please retry or contact your administrator.\n            <mail.example.jp #4.4.7>\n",
			[]string{"second@example.org", "first@example.com"}},
		{"postfix text with part of its fields",
			"This is the mail system at host mail.example.jp.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
				"<gone@example.net>: host mx.example.net[192.0.2.153] said: 550\n    5.1.1 <gone@example.net>... User Unknown (in reply to RCPT TO\n    command)\n\n" +
				"<full@example.org>: host mx.example.org[192.0.2.7] said: 452 4.2.2\n    Mailbox full (in reply to RCPT TO command)\n\n" +
				"Reporting-MTA: dns; mail.example.jp\n\nFinal-Recipient: rfc822; gone@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <gone@example.net>... User Unknown\n",
			[]string{"gone@example.net", "full@example.org"}},
	}
	for _, tt := range tests {
		rs, _ := Decode(context.Background(), mime.Pasted(tt.text), Options{})
		var got []string
		for _, r := range rs {
			got = append(got, r.Recipient)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: recipients (-want +got):\n%s", tt.name, diff)
		}
	}
}
