package present

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/ndr"
)

// errPrefix begins the text of the errors of package ndr.
const errPrefix = "ndr: "

// warningDetail is the text of w's problem without the "ndr: " prefix
// that a *ndr.LimitError inside a warning carries.
func warningDetail(w ndr.Warning) string {
	if w.Err == nil {
		return ""
	}
	return strings.TrimPrefix(w.Err.Error(), errPrefix)
}

// WarningText is the text of warning w in English, with the "ndr: "
// prefix once: "ndr: part 1.2: multipart body is truncated (...)". A
// warning about a limit wraps a *ndr.LimitError, whose own text starts
// with the prefix too; w.Error() then gives it twice.
func WarningText(w ndr.Warning) string {
	d := warningDetail(w)
	switch {
	case w.Err == nil:
		return w.Error()
	case w.Part == "":
		return errPrefix + d
	}
	return errPrefix + "part " + w.Part + ": " + d
}

// WarningLine is warning w as a line of text in the language of tag. In
// Japanese each kind of warning that package ndr exports (ndr.ErrLimit
// by the name of the limit, ndr.ErrUnknownCharset, ndr.ErrTruncated,
// ndr.ErrMalformed, ndr.ErrNoAddress with a *ndr.NameOnlyError or
// without, ndr.ErrMbox, ndr.ErrQuoted, ndr.ErrAttached) is a
// Japanese sentence, followed by
// the English detail when it names more (a count, a charset, a cause);
// a warning of another kind, and every warning in English, is
// WarningText.
func WarningLine(w ndr.Warning, tag language.Tag) string {
	if !Japanese(tag) {
		return WarningText(w)
	}
	ja, detail := warningJapanese(w)
	if ja == "" {
		return WarningText(w)
	}
	if w.Part != "" {
		ja = "パート " + w.Part + "：" + ja
	}
	if detail {
		ja += "（詳細：" + warningDetail(w) + "）"
	}
	return ja
}

// warningJapanese is the Japanese sentence for the kind of w, "" for a
// kind it does not know, and whether the English detail adds to it.
func warningJapanese(w ndr.Warning) (string, bool) {
	if le, ok := errors.AsType[*ndr.LimitError](w); ok {
		return limitJapanese(le), true
	}
	if ne, ok := errors.AsType[*ndr.NameOnlyError](w); ok {
		return fmt.Sprintf("不達通知は %d 件目の宛先を名前「%s」だけで示しており、アドレスがありません。", ne.Index+1, ne.Name), false
	}
	switch {
	case errors.Is(w, ndr.ErrUnknownCharset):
		return "文字コードを解読できない部分があります。その部分は元のままにしています。", true
	case errors.Is(w, ndr.ErrTruncated):
		return "マルチパートの本文が終わりの区切りの前で切れています。メッセージの後半が欠けているかもしれません。", true
	case errors.Is(w, ndr.ErrMalformed):
		return "形式が壊れている部分があります。読み取れた範囲だけを使っています。", true
	case errors.Is(w, ndr.ErrNoAddress):
		return "貼り付けられた文面に、読み取れる受信者のアドレスがありません。宛先はアドレスなしの 1 件として示しています。", false
	case errors.Is(w, ndr.ErrMbox):
		return "入力に複数のメッセージが含まれています。最初の 1 通だけを読み取りました。", false
	case errors.Is(w, ndr.ErrAttached):
		return "渡されたメールには不達通知が添付されていました。添付の不達通知を読み取っています。", true
	case errors.Is(w, ndr.ErrQuoted):
		return "この不達通知は、人が書いた返信や転送のメールに含まれていたものです。以前の失敗のこともあるため、不達通知の日時を確認してください。", true
	}
	return "", false
}

// limitJapanese says in Japanese which limit of ndr.Options the input
// reached and what was left out for it.
func limitJapanese(le *ndr.LimitError) string {
	switch le.What {
	case "recipients":
		return fmt.Sprintf("宛先の数が上限の %d 件を超えています。最初の %d 件だけを読み取り、残りの宛先は含まれていません。", le.Limit, le.Limit)
	case "diagnostic":
		return fmt.Sprintf("診断メッセージが上限の %d バイトを超えたため、途中で切っています。", le.Limit)
	case "addresses":
		return fmt.Sprintf("アドレスの数が上限の %d 個を超えたため、残りの文面からは宛先を探していません。", le.Limit)
	case "warnings":
		return fmt.Sprintf("警告の数が上限の %d 件を超えたため、残りの警告は省いています。", le.Limit)
	case "parts":
		return fmt.Sprintf("MIME パートの数が上限の %d 個を超えたため、このパートより後は読み取っていません。", le.Limit)
	case "depth":
		return fmt.Sprintf("MIME の入れ子が上限の %d 段を超えたため、このパートより後は読み取っていません。", le.Limit)
	case "size":
		return fmt.Sprintf("メッセージの大きさが上限の %d バイトを超えたため、残りは読み取っていません。", le.Limit)
	}
	return fmt.Sprintf("入力が上限（%s、%d）を超えたため、一部を読み取っていません。", le.What, le.Limit)
}

// RecipientsCut reports whether rep names more recipients than it
// holds, as a warning wrapping a *ndr.LimitError says: the recipient
// limit left the rest out, or the address limit stopped the scan of
// the text for recipients. limit is the recipient limit when that is
// what cut them (the report then holds the first limit recipients),
// else 0.
func RecipientsCut(rep *ndr.Report) (limit int, cut bool) {
	for _, w := range rep.Warnings {
		le, ok := errors.AsType[*ndr.LimitError](w)
		if !ok {
			continue
		}
		switch le.What {
		case "recipients":
			limit, cut = le.Limit, true
		case "addresses":
			cut = true
		}
	}
	return limit, cut
}
