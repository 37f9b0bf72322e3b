package ndr

import (
	"errors"
	"testing"
)

// TestListedRecipients covers the reports of Exchange 5.5 to 2003 and
// Outlook that list a recipient by a contact's name, or by an address
// whose dots break RFC 5321: one recipient for each entry, the name in
// ListedName with a *NameOnlyError, the address kept as written.
func TestListedRecipients(t *testing.T) {
	type got struct {
		Recipient, ListedName string
		AsListed              bool
		Reason                Reason
		Status                string
	}
	const (
		intro   = "Your message did not reach some or all of the intended recipients.\n\n      Subject:\tNotes\n      Sent:\t3/9/2026 10:00 AM\n\n"
		heading = "The following recipient(s) could not be reached:\n\n"
		introJA = "このメールは、受信者全員または一部に届きませんでした。\n\n      件名:\tメモ\n      送信日時:\t2026/03/09 10:00\n\n"
	)
	tests := []pastedCase[got]{
		{"a name in quotes with on",
			intro + heading + "      'Kato, Ryo' on 3/9/2026 10:05 AM\n            The maximum time for delivering the message expired\n            MSEXCH:MSExchangeMTA:SITE:SERVER\n",
			[]got{{"", "Kato, Ryo", false, ReasonExpired, "5.0.947"}}},
		{"a name without quotes, without indentation",
			"Your message did not reach some or all of the intended recipients.\n\nSubject: Notes\nSent: 3/9/26 10:00 AM\n\nThe following recipient(s) could not be reached:\n\nJohn Doe on 3/9/26 10:00 AM\nNo transport provider was available for delivery to this recipient.\n",
			[]got{{"", "John Doe", false, ReasonMailerError, "5.0.939"}}},
		{"two names and an address",
			intro + heading + "      Abe Kenji on 3/9/2026 10:05 AM\n            No transport provider was available for delivery to this recipient.\n\n" +
				"      'Mori Jun (Mori Jun FAX)' 3/9/2026 10:05 AM\n            None of your e-mail accounts could send to this recipient.\n\n" +
				"      sato@example.org on 3/9/2026 10:05 AM\n            The e-mail account does not exist at the organization this message was sent to.\n            <mx.example.org #5.1.1>\n",
			[]got{
				{"", "Abe Kenji", false, ReasonMailerError, "5.0.939"},
				{"", "Mori Jun (Mori Jun FAX)", false, ReasonMailerError, "5.0.939"},
				{"sato@example.org", "", false, ReasonUserUnknown, "5.1.1"},
			}},
		{"the reason in a paragraph of its own",
			"Subject: Undeliverable: Notes Your message did not reach some or all of the intended recipients.\n\nSubject: Notes\n Sent: 3/9/2026 10:00 AM The following recipient(s) cannot be reached: Ito Sayaka on 3/9/2026 10:00 AM\n\nThis message could not be sent. Try sending the message again later, or contact your network administrator. You do not have the permission to send the message on behalf of the specified user. Error is [0x80070005-0x0004dc-0x000524].\n",
			[]got{{"", "Ito Sayaka", false, ReasonRejected, "5.0.918"}}},
		{"the reason joined to the entry",
			intro + "The following recipient(s) cannot be reached:\n Ito Sayaka on 3/9/2026 10:00 AM This message could not be sent. Try sending the message again later, or contact your network administrator. Error is [0x80070005-00000000-00000000].\n",
			[]got{{"", "Ito Sayaka", false, ReasonRejected, "5.0.918"}}},
		{"Japanese: an address with misplaced dots",
			introJA + "以下の受信者にメールを配信できません :\n\n      'taro..yamada.@docomo.example.ne.jp' 2026/03/09 10:05\n            無効な受信者\n",
			[]got{{"taro..yamada.@docomo.example.ne.jp", "", true, ReasonSyntaxError, "5.1.3"}}},
		{"Japanese: a leading dot is kept",
			introJA + "以下の受信者にメールを配信できません:\n\n      '.taro@ezweb.example.ne.jp' 2026/03/09 10:05\n            無効な受信者\n",
			[]got{{".taro@ezweb.example.ne.jp", "", true, ReasonSyntaxError, "5.1.3"}}},
		{"Japanese: a name",
			introJA + "以下の受信者に配信されませんでした。\n\n      '山本 花子 (山本 花子 FAX)' 2026/03/09 10:05\n            この受信者に配信できる電子メール アカウントはありません。\n",
			[]got{{"", "山本 花子 (山本 花子 FAX)", false, ReasonMailerError, "5.0.939"}}},
		// A server that answered decides the reason, whatever the
		// address's dots.
		{"a misdotted address that a server refused",
			intro + heading + "      'taro..yamada@example.ne.jp' on 3/9/2026 10:05 AM\n            <mx.example.ne.jp #5.1.1 smtp;550 5.1.1 <taro..yamada@example.ne.jp>... User unknown>\n",
			[]got{{"taro..yamada@example.ne.jp", "", true, ReasonUserUnknown, "5.1.1"}}},
		// Text with @ that is no address is a name.
		{"an X.400 name",
			intro + heading + "      'x400 to user1' on 3/9/2026 10:05 AM\n            The maximum time for delivering the message expired\n",
			[]got{{"", "x400 to user1", false, ReasonExpired, "5.0.947"}}},
		// The headings without an entry dated as Outlook dates them
		// (hMailServer's copy lists bare addresses) are not read here.
		// A field dated as an entry is no entry.
		{"a dated field under an entry",
			intro + heading + "      Abe Kenji on 3/9/2026 10:05 AM\n            No transport provider was available for delivery to this recipient.\n            Checked: 3/9/2026 10:06 AM\n",
			[]got{{"", "Abe Kenji", false, ReasonMailerError, "5.0.939"}}},
		{"the heading quoted in a note", "Outlook said \"The following recipient(s) could not be reached:\" after Your message was sent. Why?\n", nil},
		{"the heading without the first sentence",
			"The following recipient(s) could not be reached:\n\n      Kato Ryo on 3/9/2026 10:05 AM\n            The maximum time for delivering the message expired\n",
			[]got{{"", "Kato Ryo", false, ReasonExpired, "5.0.947"}}},
	}
	runPasted(t, tests, func(_ *Report, r Recipient) got {
		return got{r.Recipient, r.ListedName, r.AsListed, r.Reason, r.Status.String()}
	}, func(t *testing.T, rep *Report) {
		// Each recipient listed by name has its own warning, which
		// names it and wraps ErrNoAddress.
		named := map[int]string{}
		for _, w := range rep.Warnings {
			if ne, ok := errors.AsType[*NameOnlyError](w); ok {
				if !errors.Is(w, ErrNoAddress) {
					t.Errorf("warning %v does not wrap ErrNoAddress", w)
				}
				named[ne.Index] = ne.Name
			}
		}
		listed := 0
		for i, r := range rep.Recipients {
			if r.ListedName == "" {
				continue
			}
			listed++
			if named[i] != r.ListedName {
				t.Errorf("recipient %d, listed as %q: warnings name %q", i, r.ListedName, named[i])
			}
		}
		if len(named) != listed {
			t.Errorf("%d warnings of names for %d recipients listed by name", len(named), listed)
		}
	})
}
