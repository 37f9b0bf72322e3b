package ndr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

// TestQuotedByPerson checks that a bounce read from a message a person
// wrote (a reply or a forward quoting it) carries ErrQuoted, and that a
// mail system's own bounce does not, whatever its subject.
func TestQuotedByPerson(t *testing.T) {
	quoted := "\n> <old.customer@example.com>: host mx.example.com[203.0.113.5] said: 550 5.1.1\n" +
		">     <old.customer@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n"
	plain := strings.ReplaceAll(quoted, "> ", "")
	for _, tc := range []struct {
		name, head, body string
		want             bool
	}{
		{"reply", "From: Yuki Mori <yuki.mori@example.co.jp>\nSubject: Re: Undelivered Mail Returned to Sender\n", "Resent; closing.\n" + quoted, true},
		{"forward", "From: sato@example.co.jp\nSubject: Fwd: Returned mail: see transcript for details\n", "See below.\n" + plain, true},
		{"japanese forward", "From: sato@example.co.jp\nSubject: 転送: Undelivered Mail Returned to Sender\n", plain, true},
		{"bounce from the mail system", "From: MAILER-DAEMON@mail.example.co.jp\nSubject: Re: Quote\n", plain, false},
		{"bounce marked automatic", "From: notice@example.co.jp\nAuto-Submitted: auto-generated\nSubject: Re: Quote\n", plain, false},
		{"bounce without a reply label", "From: sato@example.co.jp\nSubject: Undelivered Mail Returned to Sender\n", plain, false},
	} {
		rep, err := ndr.Explain(strings.NewReader(tc.head + "\n" + tc.body))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got := false
		for _, w := range rep.Warnings {
			got = got || errors.Is(w, ndr.ErrQuoted)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: ErrQuoted (-want +got):\n%s", tc.name, diff)
		}
		if len(rep.Recipients) != 1 || rep.Recipients[0].Recipient != "old.customer@example.com" {
			t.Errorf("%s: recipients %+v, want old.customer@example.com", tc.name, rep.Recipients)
		}
	}
}

// TestListNotice checks that a mailing list's administrative notice is
// not read as a bounce of the addresses its text names.
func TestListNotice(t *testing.T) {
	msg := "From: users-request@lists.example.org\nTo: bounce-admin@example.co.jp\nSubject: confirm 8e1f0c2b\n" +
		"X-List-Administrivia: yes\nList-Id: Example users <users.lists.example.org>\n\n" +
		"Mailing list subscription confirmation notice for mailing list Users\n\n" +
		"We have received a request for subscription of your email address, \"bounce-admin@example.co.jp\",\n" +
		"to the users@lists.example.org mailing list. Questions go to users-owner@lists.example.org.\n"
	if _, err := ndr.Explain(strings.NewReader(msg)); !errors.Is(err, ndr.ErrNotBounce) {
		t.Errorf("list notice: err = %v, want ErrNotBounce", err)
	}
}
