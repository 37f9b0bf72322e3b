package ndr_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestNotBounceFiles checks that the notices in testdata/notbounce, which
// a mail system or a mailing list sends about something other than a
// message that failed (a list's digest among them, whose posts may quote
// a bounce), are not read as bounces, with their list header
// (X-List-Administrivia) or without it, and that no bounce they carry (a
// mailing list's probe attaches a sample of the bounces it received) is
// read in their place.
func TestNotBounceFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "notbounce", "*", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no notices found: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		stripped := regexp.MustCompile(`(?m)^X-List-Administrivia: .*\n`).ReplaceAll(b, nil)
		for _, msg := range [][]byte{b, stripped} {
			if rep, err := ndr.ExplainBytes(msg); !errors.Is(err, ndr.ErrNotBounce) {
				t.Errorf("%s: got %+v, %v; want ErrNotBounce", file, rep, err)
			}
		}
	}
}

// TestMIMEDigest checks that a mailing list's MIME digest (GNU Mailman's:
// the masthead, the table of contents and a multipart/digest of the
// posts) whose post is a bounce that a member sent to the list is no
// bounce for the digest's reader.
func TestMIMEDigest(t *testing.T) {
	msg := "From: staff-request@lists.example.org\nTo: staff@lists.example.org\nSubject: Staff Digest, Vol 18, Issue 5\n" +
		"List-Id: Office staff <staff.lists.example.org>\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"d1\"\n\n" +
		"--d1\nContent-Type: text/plain\nContent-Description: Staff Digest, Vol 18, Issue 5\n\n" +
		"Send Staff mailing list submissions to\n\tstaff@lists.example.org\n\n" +
		"--d1\nContent-Type: text/plain\nContent-Description: Today's Topics (1 messages)\n\n" +
		"Today's Topics:\n\n   1. Fwd: Undelivered Mail Returned to Sender (Jiro Sato)\n\n" +
		"--d1\nContent-Type: multipart/digest; boundary=\"d2\"\n\n" +
		"--d2\nContent-Type: message/rfc822\n\n" + attachedBounce + "\n--d2--\n\n--d1--\n"
	if rep, err := ndr.ExplainBytes([]byte(msg)); !errors.Is(err, ndr.ErrNotBounce) {
		t.Errorf("got %+v, %v; want ErrNotBounce", rep, err)
	}
}

// TestListWordsQuoted checks that the words of a list's notices do not
// make a notice of a message that only quotes them: a person's message
// that quotes a list's refusal, and a digest whose post quotes a list's
// refusal or held notice, are no bounces.
func TestListWordsQuoted(t *testing.T) {
	personal := "From: Carol <carol@example.com>\nTo: help@example.org\nSubject: why?\n\n" +
		"The list answered me with this:\n\nYou are not allowed to post to this mailing list From: a domain which publishes a DMARC policy of reject or quarantine, and your message has been automatically rejected.\n"
	digest := "From: users-request@lists.example.org\nTo: users@lists.example.org\nSubject: Users Digest, Vol 3, Issue 9\n" +
		"List-Id: Users <users.lists.example.org>\n\nSend Users mailing list submissions to\n\tusers@lists.example.org\n\nToday's Topics:\n\n   1. Rejected? (Dan)\n\n" +
		"Message: 1\nFrom: Dan <dan@example.net>\n\nI got: Your message has been rejected, probably because you are not subscribed to the mailing list and the list's policy is to prohibit non-members from posting to it.\n" +
		"And another: Your mail to 'Users' with the subject x Is being held until the list moderator can review it for approval.\n"
	for name, msg := range map[string]string{"personal": personal, "digest": digest} {
		if rep, err := ndr.ExplainBytes([]byte(msg)); !errors.Is(err, ndr.ErrNotBounce) {
			t.Errorf("%s: got %+v, %v; want ErrNotBounce", name, rep, err)
		}
	}
}

// TestOwnerNoticeCarriesBounce checks that the bounce that GNU Mailman
// could not read and sends to the list's owner ("Uncaught bounce
// notification", Bouncer.py maybe_forward, an administrative notice)
// is read from the notice.
func TestOwnerNoticeCarriesBounce(t *testing.T) {
	msg := "From: users-bounces@lists.example.org\nTo: users-owner@lists.example.org\nSubject: Uncaught bounce notification\n" +
		"X-List-Administrivia: yes\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"un\"\n\n" +
		"--un\nContent-Type: text/plain\n\nThe attached message was received as a bounce, but either the bounce\nformat was not recognized, or no member addresses could be extracted\nfrom it.\n\n" +
		"--un\nContent-Type: message/rfc822\n\n" + attachedBounce + "\n--un--\n"
	rep, err := ndr.ExplainBytes([]byte(msg))
	if err != nil || len(rep.Recipients) != 1 || rep.Recipients[0].Recipient != "tanaka@partner.example.com" {
		t.Errorf("got %+v, %v; want the attached bounce's recipient", rep, err)
	}
}

// attachedBounce is a delivery report as a mail system sends it, to be
// carried inside another message.
const attachedBounce = "From: MAILER-DAEMON@mail.example.co.jp (Mail Delivery System)\n" +
	"Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"in\"\n\n" +
	"--in\nContent-Type: text/plain\n\n<tanaka@partner.example.com>: host mx.partner.example.com[192.0.2.25] said:\n" +
	"    550 5.1.1 <tanaka@partner.example.com>: Recipient address rejected: User unknown\n\n" +
	"--in\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.co.jp\n\n" +
	"Final-Recipient: rfc822; tanaka@partner.example.com\nAction: failed\nStatus: 5.1.1\n" +
	"Diagnostic-Code: smtp; 550 5.1.1 <tanaka@partner.example.com>: Recipient address rejected: User unknown\n\n--in--\n"

// carry returns a message from from with subject that carries inner as
// a part of type ct after a note.
func carry(from, subject, ct, inner string) string {
	// A boundary of its own at each level, as mail programs make them.
	b := "out" + strconv.Itoa(len(inner))
	return "From: " + from + "\nSubject: " + subject + "\nMIME-Version: 1.0\n" +
		"Content-Type: " + ct + "; boundary=\"" + b + "\"\n\n--" + b + "\nContent-Type: text/plain\n\nSee the attached notice.\n\n" +
		"--" + b + "\nContent-Type: message/rfc822\n\n" + inner + "\n--" + b + "--\n"
}

// TestAttachedBounce checks that a bounce forwarded as an attachment is
// read, with warnings that say so, and that a message or report that
// merely carries another message is not read as its attachment.
func TestAttachedBounce(t *testing.T) {
	type result struct {
		Err              string
		Recipients       []string
		Subject          string
		Attached, Quoted bool
	}
	forwardOf := func(inner string) string {
		return carry("Hanako Suzuki <h.suzuki@example.co.jp>", "FW: Undelivered Mail Returned to Sender", "multipart/mixed", inner)
	}
	plainMail := "From: tanaka@partner.example.com\nSubject: Quote\n\nPlease find the quote below.\n"
	for _, tc := range []struct {
		name, msg string
		want      result
	}{
		{"forwarded by a person", forwardOf(attachedBounce),
			result{Recipients: []string{"tanaka@partner.example.com"}, Subject: "Undelivered Mail Returned to Sender", Attached: true, Quoted: true}},
		{"forwarded twice", forwardOf(forwardOf(attachedBounce)),
			result{Recipients: []string{"tanaka@partner.example.com"}, Subject: "Undelivered Mail Returned to Sender", Attached: true, Quoted: true}},
		{"wrapped by a mail system", carry("postmaster@example.co.jp", "Returned mail", "multipart/mixed", attachedBounce),
			result{Recipients: []string{"tanaka@partner.example.com"}, Subject: "Undelivered Mail Returned to Sender", Attached: true}},
		{"forward of a message that is no bounce", forwardOf(plainMail), result{Err: ndr.ErrNotBounce.Error()}},
		{"read receipt carrying a bounce", carry("tanaka@partner.example.com", "Read: Quote",
			"multipart/report; report-type=disposition-notification", attachedBounce), result{Err: ndr.ErrNotBounce.Error()}},
		{"as deep as the forwards read", forwardOf(forwardOf(forwardOf(forwardOf(attachedBounce)))),
			result{Recipients: []string{"tanaka@partner.example.com"}, Subject: "Undelivered Mail Returned to Sender", Attached: true, Quoted: true}},
		// Forwarded inline, under the mail program's copy marker.
		{"forwarded inline", "From: me@example.org\nTo: helpdesk@example.org\nSubject: FW: Undeliverable: hello\n\nPlease see below.\n\n-----Original Message-----\nFrom: postmaster@example.net\nSubject: Undeliverable: hello\n\n" +
			"Delivery has failed to these recipients or groups:\n\nx@example.com\nThe email address you entered couldn't be found.\n\nRemote Server returned '550 5.1.1 User unknown'\n",
			result{Recipients: []string{"x@example.com"}, Quoted: true}},
		// Deeper, the limit is the answer, not "no bounce".
		{"deeper than the forwards read", forwardOf(forwardOf(forwardOf(forwardOf(forwardOf(attachedBounce))))),
			result{Err: (&ndr.LimitError{What: "forwarded", Limit: 4}).Error()}},
	} {
		var got result
		rep, err := ndr.Explain(strings.NewReader(tc.msg))
		if err != nil {
			got.Err = err.Error()
		} else {
			got.Subject = rep.Subject
			for _, r := range rep.Recipients {
				got.Recipients = append(got.Recipients, r.Recipient)
			}
			for _, w := range rep.Warnings {
				got.Attached = got.Attached || errors.Is(w, ndr.ErrAttached)
				got.Quoted = got.Quoted || errors.Is(w, ndr.ErrQuoted)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
