package present

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

// limitWarning is a warning about a limit as package ndr makes one: its
// problem wraps a *ndr.LimitError.
func limitWarning(part, what string, limit int, detail string) ndr.Warning {
	return ndr.Warning{Part: part, Err: fmt.Errorf("%w: %s", &ndr.LimitError{What: what, Limit: limit}, detail)}
}

func TestWarningText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   ndr.Warning
		want string
	}{
		{"limit", limitWarning("", "recipients", 1000, "4000 recipients were left out"),
			"ndr: message exceeds the recipients limit of 1000: 4000 recipients were left out"},
		{"limit in a part", limitWarning("1.2", "parts", 512, "the parts after it were not read"),
			"ndr: part 1.2: message exceeds the parts limit of 512: the parts after it were not read"},
		{"truncated", ndr.Warning{Part: "2", Err: fmt.Errorf("%w (multipart: no closing delimiter)", ndr.ErrTruncated)},
			"ndr: part 2: multipart body is truncated (multipart: no closing delimiter)"},
		{"other", ndr.Warning{Part: "1", Err: errors.New("illegal base64 data at input byte 119")},
			"ndr: part 1: illegal base64 data at input byte 119"},
		{"no problem", ndr.Warning{}, "ndr: warning"},
	} {
		if diff := cmp.Diff(tc.want, WarningText(tc.in)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestWarningLine(t *testing.T) {
	ja, en := remedy.MatchLanguage("ja"), remedy.MatchLanguage("en")
	recipients := limitWarning("", "recipients", 1000, "4000 recipients were left out")
	for _, tc := range []struct {
		name string
		in   ndr.Warning
		want string
	}{
		{"recipients", recipients,
			"宛先の数が上限の 1000 件を超えています。最初の 1000 件だけを読み取り、残りの宛先は含まれていません。（詳細：message exceeds the recipients limit of 1000: 4000 recipients were left out）"},
		{"diagnostic", limitWarning("", "diagnostic", 8192, "the diagnostic text of 1 recipients was cut"),
			"診断メッセージが上限の 8192 バイトを超えたため、途中で切っています。（詳細：message exceeds the diagnostic limit of 8192: the diagnostic text of 1 recipients was cut）"},
		{"addresses", limitWarning("", "addresses", 10000, "the rest of the text was not scanned for recipients"),
			"アドレスの数が上限の 10000 個を超えたため、残りの文面からは宛先を探していません。（詳細：message exceeds the addresses limit of 10000: the rest of the text was not scanned for recipients）"},
		{"warnings", limitWarning("", "warnings", 32, "5 more warnings were left out"),
			"警告の数が上限の 32 件を超えたため、残りの警告は省いています。（詳細：message exceeds the warnings limit of 32: 5 more warnings were left out）"},
		{"parts", limitWarning("1.2", "parts", 512, "the parts after it were not read"),
			"パート 1.2：MIME パートの数が上限の 512 個を超えたため、このパートより後は読み取っていません。（詳細：message exceeds the parts limit of 512: the parts after it were not read）"},
		{"unknown limit", limitWarning("", "lines", 7, "x"),
			"入力が上限（lines、7）を超えたため、一部を読み取っていません。（詳細：message exceeds the lines limit of 7: x）"},
		{"charset", ndr.Warning{Part: "1", Err: fmt.Errorf("%w %q: the text is kept undecoded", ndr.ErrUnknownCharset, "x-unknown")},
			`パート 1：文字コードを解読できない部分があります。その部分は元のままにしています。（詳細：unknown charset "x-unknown": the text is kept undecoded）`},
		{"truncated", ndr.Warning{Err: fmt.Errorf("%w (multipart: no closing delimiter)", ndr.ErrTruncated)},
			"マルチパートの本文が終わりの区切りの前で切れています。メッセージの後半が欠けているかもしれません。（詳細：multipart body is truncated (multipart: no closing delimiter)）"},
		{"malformed", ndr.Warning{Part: "2", Err: fmt.Errorf("%w: invalid base64: 4 bytes ignored, the first at byte 64", ndr.ErrMalformed)},
			"パート 2：形式が壊れている部分があります。読み取れた範囲だけを使っています。（詳細：malformed content: invalid base64: 4 bytes ignored, the first at byte 64）"},
		{"no address", ndr.Warning{Err: fmt.Errorf("%w: the one recipient is reported without an address", ndr.ErrNoAddress)},
			"貼り付けられた文面に、読み取れる受信者のアドレスがありません。宛先はアドレスなしの 1 件として示しています。"},
		{"listed by name", ndr.Warning{Err: &ndr.NameOnlyError{Index: 1, Name: "Kato, Ryo"}},
			"不達通知は 2 件目の宛先を名前「Kato, Ryo」だけで示しており、アドレスがありません。"},
		{"mbox", ndr.Warning{Err: fmt.Errorf("%w: the input holds more than one message; only the first was read (see SplitMbox)", ndr.ErrMbox)},
			"入力に複数のメッセージが含まれています。最初の 1 通だけを読み取りました。"},
		{"quoted", ndr.Warning{Err: fmt.Errorf("%w (subject %q)", ndr.ErrQuoted, "Re: Undelivered Mail")},
			`この不達通知は、人が書いた返信や転送のメールに含まれていたものです。以前の失敗のこともあるため、不達通知の日時を確認してください。（詳細：the bounce is quoted in a message written by a person (subject "Re: Undelivered Mail")）`},
		{"attached", ndr.Warning{Err: fmt.Errorf("%w (subject %q)", ndr.ErrAttached, "FW: Undeliverable: Quote")},
			`渡されたメールには不達通知が添付されていました。添付の不達通知を読み取っています。（詳細：the bounce was read from a message attached to the one given (subject "FW: Undeliverable: Quote")）`},
		{"unknown kind", ndr.Warning{Part: "2", Err: errors.New("illegal base64 data at input byte 182")},
			"ndr: part 2: illegal base64 data at input byte 182"},
	} {
		if diff := cmp.Diff(tc.want, WarningLine(tc.in, ja)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		if diff := cmp.Diff(WarningText(tc.in), WarningLine(tc.in, en)); diff != "" {
			t.Errorf("%s in English (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestRecipientsCut(t *testing.T) {
	type result struct {
		Limit int
		Cut   bool
	}
	for _, tc := range []struct {
		name string
		in   []ndr.Warning
		want result
	}{
		{"none", nil, result{}},
		{"recipients", []ndr.Warning{limitWarning("", "recipients", 1000, "4000 recipients were left out")}, result{1000, true}},
		{"addresses", []ndr.Warning{limitWarning("", "addresses", 10000, "the rest of the text was not scanned for recipients")}, result{0, true}},
		{"both", []ndr.Warning{
			limitWarning("", "addresses", 10000, "the rest of the text was not scanned for recipients"),
			limitWarning("", "recipients", 1000, "9000 recipients were left out"),
		}, result{1000, true}},
		{"other limits", []ndr.Warning{
			limitWarning("", "diagnostic", 8192, "the diagnostic text of 1 recipients was cut"),
			{Err: ndr.ErrTruncated},
		}, result{}},
	} {
		limit, cut := RecipientsCut(&ndr.Report{Warnings: tc.in})
		if diff := cmp.Diff(tc.want, result{limit, cut}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
