package present

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

func TestVisible(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain 日本語 text", "plain 日本語 text"},
		{"a\x1b[31mred\x1b[0m", `a\x1b[31mred\x1b[0m`},
		{"bell\a cr\r lf\n tab\t del\x7f", `bell\x07 cr\r lf\n tab\t del\x7f`},
		{"c1 \u009b31m", `c1 \x9b31m`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"bad \xff\xfe utf-8", `bad \xff\xfe utf-8`},
		{`back\slash`, `back\slash`},
	} {
		if diff := cmp.Diff(tc.want, Visible(tc.in)); diff != "" {
			t.Errorf("Visible(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestWords(t *testing.T) {
	ja, en := remedy.MatchLanguage("ja"), remedy.MatchLanguage("en")
	got := []string{
		Evidence("status 5.1.1", ja), Evidence("status 5.1.1", en), Evidence(`text "x"`, ja),
		ReceiverGroup("a@gmail.com", ""), ReceiverGroup("<b@Example.NET>", ""), ReceiverGroup("c@corp.example", "corp-example.mail.protection.outlook.com"),
		ReplyMeaning(550, en), ReplyMeaning(499, ja),
		StatusMeaning(enhancedcode.MustParse("5.1.1"), false, en), StatusMeaning(enhancedcode.MustParse("5.0.947"), true, en),
		StatusMeaning(enhancedcode.MustParse("4.7.650"), false, en),
	}
	want := []string{
		"拡張ステータスコード 5.1.1", "status 5.1.1", `本文 "x"`,
		"google", "example.net", "microsoft",
		"mailbox unavailable or action refused", "一時的な失敗",
		"Bad destination mailbox address", "inferred from the reason; the bounce gave no code",
		"Persistent Transient Failure: Security or Policy Status (code not in the IANA registry)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A code whose meaning a mail service's own table decided is not given
// the registry's name, which would contradict the reason.
func TestStatusMeaningOf(t *testing.T) {
	ja, en := remedy.MatchLanguage("ja"), remedy.MatchLanguage("en")
	dbeb := ndr.Recipient{Status: enhancedcode.MustParse("5.4.1"), Evidence: "vendor microsoft: status 5.4.1", Reason: ndr.ReasonUserUnknown}
	other := ndr.Recipient{Status: enhancedcode.MustParse("5.4.1"), Evidence: "vendor acme: status 5.4.1"}
	token := ndr.Recipient{Status: enhancedcode.MustParse("4.7.0"), Evidence: "vendor yahoo: token TSS04"}
	text := ndr.Recipient{Status: enhancedcode.MustParse("5.4.5"), Evidence: `vendor google: text "Daily user sending limit"`}
	inferred := ndr.Recipient{Status: enhancedcode.MustParse("5.7.1"), StatusInferred: true, Evidence: "vendor yahoo: token BL21"}
	agrees := ndr.Recipient{Status: enhancedcode.MustParse("5.2.1"), Evidence: `vendor google: text "account that you tried to reach is inactive"`, Reason: ndr.ReasonSuspend}
	plain := ndr.Recipient{Status: enhancedcode.MustParse("5.1.1"), Evidence: "status 5.1.1"}
	dnsTimeout := ndr.Recipient{Status: enhancedcode.MustParse("4.4.3"), Evidence: `text "timeout"`, Reason: ndr.ReasonNetworkError}
	blockedGeneral := ndr.Recipient{Status: enhancedcode.MustParse("5.7.1"), Evidence: `text "blocked using"`, Reason: ndr.ReasonBlocked}
	policyUser := ndr.Recipient{Status: enhancedcode.MustParse("5.7.1"), Evidence: `text "user unknown"`, Reason: ndr.ReasonUserUnknown}
	delayed := ndr.Recipient{Status: enhancedcode.MustParse("4.4.7"), Action: ndr.ActionDelayed, Evidence: "status 4.4.7", Reason: ndr.ReasonExpired}
	success := ndr.Recipient{Status: enhancedcode.MustParse("2.0.0"), Evidence: "DSN Action delivered", Reason: ndr.ReasonDelivered}
	// Exchange's 4.4.7 wrapping Yahoo's reply, and Sendmail's 5.1.1
	// wrapping a reply without a status: the reporting server's codes.
	wrapper := ndr.Recipient{Status: enhancedcode.MustParse("4.4.7"), Evidence: "vendor yahoo: token TSS04", Reason: ndr.ReasonBadReputation,
		Cause: enhancedcode.Reply{Code: 421, Enhanced: enhancedcode.MustParse("4.7.0"), Text: "[TSS04] Messages from 192.0.2.1 temporarily deferred"}}
	bare := ndr.Recipient{Status: enhancedcode.MustParse("5.1.1"), Evidence: `vendor docomo: text "unknown user"`, Reason: ndr.ReasonFiltered,
		Cause: enhancedcode.Reply{Code: 550, Text: "Unknown user someone@docomo.ne.jp"}}
	// The words of the reply decided another reason than the status's.
	words := ndr.Recipient{Status: enhancedcode.MustParse("5.4.1"), Evidence: `text "Relay Access Denied"`, Reason: ndr.ReasonNoRelaying}
	// Registered codes that Exchange Online uses in a meaning of its own,
	// though the reason is the registry's kind.
	badOutbound := ndr.Recipient{Status: enhancedcode.MustParse("5.1.8"), Evidence: "vendor microsoft: status 5.1.8", Reason: ndr.ReasonRejected}
	wordsAgree := ndr.Recipient{Status: enhancedcode.MustParse("5.1.1"), Evidence: `text "user unknown" and status 5.1.1`, Reason: ndr.ReasonUserUnknown}
	tests := []struct {
		r        *ndr.Recipient
		tag      language.Tag
		meaning  string
		describe bool
	}{
		{&dbeb, en, "Microsoft's own use of this code; the reason says what it means", false},
		{&dbeb, ja, "Microsoft 独自の用法（意味は理由の欄を参照）", false},
		{&other, en, "acme's own use of this code; the reason says what it means", false},
		{&badOutbound, en, "Microsoft's own use of this code; the reason says what it means", false},
		// A code of detail 0 names only its subject: no use contradicts it.
		{&token, en, "Other or undefined security status", true},
		{&success, ja, "成功（詳細の区分なし）", true},
		{&text, ja, "Google 独自の用法（意味は理由の欄を参照）", false},
		{&inferred, en, "inferred from the reason; the bounce gave no code", false},
		{&agrees, en, "Mailbox disabled, not accepting messages", true},
		{&plain, en, "Bad destination mailbox address", true},
		{&wrapper, en, "Delivery time expired", true},
		{&bare, ja, "宛先のユーザーが存在しない", true},
		{&words, en, "No answer from host (the reply's words say otherwise; see the reason)", true},
		{&words, ja, "接続先サーバーが応答しない（応答の文言は別の意味を示しています。理由の欄を参照）", true},
		{&wordsAgree, en, "Bad destination mailbox address", true},
		{&delayed, ja, "配送の遅延（再試行中）", false},
		// The general code for the reason's kind of failure, made precise
		// by the words, is no contradiction; a policy code for a missing
		// user is.
		{&dnsTimeout, en, "Directory server failure", true},
		{&blockedGeneral, en, "Delivery not authorized, message refused", true},
		{&policyUser, en, "Delivery not authorized, message refused (the reply's words say otherwise; see the reason)", true},
	}
	for _, tc := range tests {
		got, desc := StatusMeaningOf(tc.r, tc.tag), StatusDescriptionOf(tc.r, tc.tag)
		if diff := cmp.Diff(tc.meaning, got); diff != "" {
			t.Errorf("StatusMeaningOf(%q, %v) (-want +got):\n%s", tc.r.Evidence, tc.tag, diff)
		}
		if (desc != "") != tc.describe {
			t.Errorf("StatusDescriptionOf(%q, %v) = %q, want a description: %v", tc.r.Evidence, tc.tag, desc, tc.describe)
		}
	}
}

func TestSeeAlso(t *testing.T) {
	spec := remedy.Explanation{ID: "specific"}
	other := remedy.Explanation{ID: "other"}
	gen := remedy.Explanation{ID: "reason-x", Generic: true}
	gen2 := remedy.Explanation{ID: "reason-y", Generic: true}
	ids := func(xs []remedy.Explanation) []string {
		var out []string
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []remedy.Explanation
		want []string
	}{
		{"none", nil, nil},
		{"one", []remedy.Explanation{spec}, nil},
		{"specific first drops generic", []remedy.Explanation{spec, gen, other, gen2}, []string{"other"}},
		{"generic first keeps the rest", []remedy.Explanation{gen, gen2, other}, []string{"reason-y", "other"}},
	} {
		if diff := cmp.Diff(tc.want, ids(SeeAlso(tc.in))); diff != "" {
			t.Errorf("%s: SeeAlso (-want +got):\n%s", tc.name, diff)
		}
	}
}

// A permanent reply code around a temporary status (Exchange's "550
// 4.4.7 QUEUE.Expired") is not described as a refused mailbox.
func TestReplyMeaningOf(t *testing.T) {
	en := remedy.MatchLanguage("en")
	tests := []struct {
		r    ndr.Recipient
		want string
	}{
		{ndr.Recipient{ReplyCode: 550, Status: enhancedcode.MustParse("4.4.7")}, "final failure after a temporary condition; the status says which"},
		{ndr.Recipient{ReplyCode: 550, Status: enhancedcode.MustParse("5.1.1")}, ReplyMeaning(550, en)},
		{ndr.Recipient{ReplyCode: 550, Status: enhancedcode.MustParse("4.4.7"), StatusInferred: true}, ReplyMeaning(550, en)},
		{ndr.Recipient{ReplyCode: 421, Status: enhancedcode.MustParse("4.7.0")}, ReplyMeaning(421, en)},
	}
	for _, tt := range tests {
		if got := ReplyMeaningOf(&tt.r, en); got != tt.want {
			t.Errorf("ReplyMeaningOf(%d %s) = %q, want %q", tt.r.ReplyCode, tt.r.Status, got, tt.want)
		}
	}
}
