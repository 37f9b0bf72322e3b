package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
)

// manyRecipients is a DSN with n failed recipients r0000@example.net
// and on; each fourth one's mailbox is full, the others do not exist.
func manyRecipients(n int) string {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@mail.example.org\nSubject: Undelivered Mail\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n" +
		"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n")
	for i := range n {
		status, text := "5.1.1", "user unknown"
		if i%4 == 3 {
			status, text = "5.2.2", "mailbox full"
		}
		fmt.Fprintf(&b, "\nFinal-Recipient: rfc822; r%04d@example.net\nAction: failed\nStatus: %s\nDiagnostic-Code: smtp; 550 %s %s\n",
			i, status, status, text)
	}
	b.WriteString("\n--b--\n")
	return b.String()
}

// warningLines are the lines of text output with the warning label.
func warningLines(out, label string) []string {
	var ws []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "   "+label) {
			ws = append(ws, l)
		}
	}
	return ws
}

// TestTextWarnings: each warning is shown once with its "ndr: " prefix
// once, and in Japanese as a Japanese sentence with the English detail.
func TestTextWarnings(t *testing.T) {
	over := manyRecipients(ndr.DefaultMaxRecipients + 5)
	long := strings.Replace(hardBounce("a@example.net", "5.1.1"), "user unknown", strings.Repeat("x", ndr.DefaultMaxDiagnostic+10), 1)
	for _, tc := range []struct {
		name, lang, in string
		want           []string
	}{
		{"recipients en", "en", over, []string{
			"   warning: ndr: message exceeds the recipients limit of 1000: 5 recipients were left out",
		}},
		{"recipients ja", "ja", over, []string{
			"   警告：宛先の数が上限の 1000 件を超えています。最初の 1000 件だけを読み取り、残りの宛先は含まれていません。（詳細：message exceeds the recipients limit of 1000: 5 recipients were left out）",
		}},
		{"diagnostic en", "en", long, []string{
			"   warning: ndr: message exceeds the diagnostic limit of 8192: the diagnostic text of 1 recipients was cut",
		}},
		{"diagnostic ja", "ja", long, []string{
			"   警告：診断メッセージが上限の 8192 バイトを超えたため、途中で切っています。（詳細：message exceeds the diagnostic limit of 8192: the diagnostic text of 1 recipients was cut）",
		}},
		{"truncated ja", "ja", strings.TrimSuffix(hardBounce("a@example.net", "5.1.1"), "--b--\n"), []string{
			"   警告：パート 1：マルチパートの本文が終わりの区切りの前で切れています。メッセージの後半が欠けているかもしれません。（詳細：multipart body is truncated (unexpected EOF)）",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runAll(t, strings.NewReader(tc.in), "-lang", tc.lang)
			if code != 0 {
				t.Fatalf("exit status %d: %s", code, errs)
			}
			label := map[string]string{"en": "warning: ", "ja": "警告："}[tc.lang]
			if diff := cmp.Diff(tc.want, warningLines(out, label)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
	// The JSON objects give the English text, with the prefix once.
	lines, code := runJSON(t, over)
	if code != 0 {
		t.Fatalf("exit status %d", code)
	}
	want := []any{"ndr: message exceeds the recipients limit of 1000: 5 recipients were left out"}
	if diff := cmp.Diff(want, lines[0]["warnings"]); diff != "" {
		t.Errorf("JSON warnings (-want +got):\n%s", diff)
	}
}

// TestSummaryPartial: -summary says when a bounce names more recipients
// than were read.
func TestSummaryPartial(t *testing.T) {
	over := manyRecipients(ndr.DefaultMaxRecipients + 5)
	one := hardBounce("a@example.net", "5.1.1")
	for _, tc := range []struct {
		name, lang, in, want string
	}{
		{"complete", "en", mbox(one, one), "messages: 2  recipients: 2  hard bounces: 2\n"},
		{"one en", "en", over, "messages: 1  recipients: 1000 (the bounce names more; only the first 1000 were read)  hard bounces: 750\n"},
		{"one ja", "ja", over, "メッセージ：1  宛先：1000（不達通知にはさらに宛先があります。最初の 1000 件だけを読み取りました）  ハードバウンス：750\n"},
		{"two en", "en", mbox(over, one, over), "messages: 3  recipients: 2001 (2 bounces name more; only the first 1000 of each were read)  hard bounces: 1501\n"},
		{"two ja", "ja", mbox(over, one, over), "メッセージ：3  宛先：2001（2 通の不達通知にはさらに宛先があります。各通の最初の 1000 件だけを読み取りました）  ハードバウンス：1501\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runAll(t, strings.NewReader(tc.in), "-summary", "-lang", tc.lang)
			if code != 0 {
				t.Fatalf("exit status %d: %s", code, errs)
			}
			first, _, _ := strings.Cut(out, "\n")
			if diff := cmp.Diff(tc.want, first+"\n"); diff != "" {
				t.Errorf("first line (-want +got):\n%s", diff)
			}
		})
	}

	type partial struct {
		Recipients        int
		RecipientsPartial bool
		PartialMessages   int
		RecipientLimit    int
	}
	for _, tc := range []struct {
		name, in string
		want     partial
	}{
		{"complete", one, partial{Recipients: 1}},
		{"cut", mbox(over, one), partial{Recipients: 1001, RecipientsPartial: true, PartialMessages: 1, RecipientLimit: 1000}},
	} {
		t.Run("json "+tc.name, func(t *testing.T) {
			code, out, errs := runAll(t, strings.NewReader(tc.in), "-summary", "-format", "json")
			if code != 0 {
				t.Fatalf("exit status %d: %s", code, errs)
			}
			var s summary
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatal(err)
			}
			got := partial{s.Recipients, s.RecipientsPartial, s.PartialMessages, s.RecipientLimit}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			var keys map[string]any
			if err := json.Unmarshal([]byte(out), &keys); err != nil {
				t.Fatal(err)
			}
			if _, ok := keys["recipients_partial"]; !ok {
				t.Errorf("no recipients_partial in %s", out)
			}
		})
	}
}

// TestSuppressPartial: -suppress names on standard error each bounce
// whose recipients were not all read, and exits with status 1; the list
// still holds the hard bounces that were read.
func TestSuppressPartial(t *testing.T) {
	over := manyRecipients(ndr.DefaultMaxRecipients + 5)
	one := hardBounce("a@example.com", "5.1.1")
	dir := t.TempDir()
	// A person's reply that quotes a bounce.
	reply := "From: Yuki Mori <yuki.mori@example.co.jp>\nTo: helpdesk@example.co.jp\nSubject: Re: Undelivered Mail Returned to Sender\n\n" +
		"Resent to the new address; closing.\n\n" +
		"> <old.customer@example.com>: host mx.example.com[203.0.113.5] said: 550 5.1.1\n" +
		">     <old.customer@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n"
	writeFiles(t, dir, map[string]string{"over.eml": over, "one.eml": one, "in.mbox": mbox(one, over), "reply.eml": reply})
	for _, tc := range []struct {
		name  string
		args  []string
		files []string
		code  int
		// errs are the lines of standard error, with LIST for the
		// suppression list and DIR for the folder of the inputs.
		errs []string
		n    int // addresses in the list
	}{
		{"complete", nil, []string{"one.eml"}, 0, nil, 1},
		{"quoted in a reply", nil, []string{"reply.eml", "one.eml"}, 0, []string{
			"ndrexplain: DIR/reply.eml: note: the bounce is quoted in a reply or forward written by a person; its hard bounces are not added to LIST",
		}, 1},
		{"cut", nil, []string{"over.eml", "one.eml"}, 1, []string{
			"ndrexplain: DIR/over.eml: warning: it names more than 1000 recipients and only the first 1000 were read; the hard bounces among the rest are not in LIST",
		}, 751},
		{"cut in an mbox", []string{"-summary"}, []string{"in.mbox"}, 1, []string{
			"ndrexplain: DIR/in.mbox:message 2: warning: it names more than 1000 recipients and only the first 1000 were read; the hard bounces among the rest are not in LIST",
		}, 751},
		{"cut, -only delayed", []string{"-only", "delayed", "-format", "csv"}, []string{"over.eml"}, 1, []string{
			"ndrexplain: DIR/over.eml: warning: it names more than 1000 recipients and only the first 1000 were read; the hard bounces among the rest are not in LIST",
		}, 750},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := filepath.Join(t.TempDir(), "suppress.txt")
			args := append([]string{"-suppress", list}, tc.args...)
			for _, f := range tc.files {
				args = append(args, filepath.Join(dir, f))
			}
			code, _, errs := runAll(t, nil, args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d", code, tc.code)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
				if l != "" {
					got = append(got, strings.NewReplacer(list, "LIST", dir, "DIR").Replace(l))
				}
			}
			if diff := cmp.Diff(tc.errs, got); diff != "" {
				t.Errorf("standard error (-want +got):\n%s", diff)
			}
			b, err := os.ReadFile(list)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(b), "\n"); n != tc.n {
				t.Errorf("%d addresses in the list, want %d", n, tc.n)
			}
		})
	}
}
