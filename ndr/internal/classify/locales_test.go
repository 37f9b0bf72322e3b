package classify

import (
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestLocalePhrases classifies the diagnostics of localized failure
// notices (phrases/zh.txt, phrases/ja.txt) under the generic status that
// such a notice carries, and texts that share words with a phrase but
// say something else, which no phrase may match.
func TestLocalePhrases(t *testing.T) {
	const (
		zhNoUser   = "”的邮件无法被正确投递， 因为该收件人并不存在！请验证该邮件地址是否真实有效。"
		zhtwNoUser = "”的郵件無法被正確投遞， 因為該收件人並不存在！請驗證該郵件地址是否真實有效。"
		jaNoUser   = "\"へのメールを正しく送信 できません。受信者のメールアドレス有効性の確認をお願いします。"
		jaFull     = "\"へのメールが正しく送信できません。 受信者のメールボックスが空いたら、再度メール送信を試してください。"
	)
	hard := func(r record.Reason, ev string) verdict { return verdict{r, ev, false, true} }
	soft := func(r record.Reason, ev string) verdict { return verdict{r, ev, false, false} }
	none := soft(record.ReasonOnHold, "no rule matched the reply")
	runClassify(t, []classifyCase{
		{name: "zh-hans no user", diag: zhNoUser, status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "收件人并不存在"`)},
		{name: "zh-hans subject", diag: "投递失败，收件人不存在", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "收件人不存在"`)},
		{name: "zh-hant no user", diag: zhtwNoUser, status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "收件人並不存在"`)},
		{name: "zh-hans full", diag: "因为收件人邮箱已满，无法再接收任何邮件。", status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "邮箱已满"`)},
		{name: "zh-hant full", diag: "因為收件人郵箱已滿，無法再接收任何郵件。", status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "郵箱已滿"`)},
		{name: "zh-hans too big", diag: "的邮件无法被正确投递，因为邮件过大！", status: "5.0.0", want: soft(record.ReasonMesgTooBig, `text "邮件过大"`)},
		{name: "zh-hant too big", diag: "的郵件無法被正確投遞，因為郵件過大！", status: "5.0.0", want: soft(record.ReasonMesgTooBig, `text "郵件過大"`)},
		{name: "zh-hans system error", diag: "我们的邮件系统出错，请联系系统管理员以解决该问题。", status: "5.0.0", want: soft(record.ReasonSystemError, `text "邮件系统出错"`)},
		{name: "zh-hant system error", diag: "我們的郵件系統出錯，請聯系系統管理員以解決該問題。", status: "5.0.0", want: soft(record.ReasonSystemError, `text "郵件系統出錯"`)},
		{name: "ja no user, second half", diag: jaNoUser, status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "受信者のメールアドレス有効性の確認"`)},
		{name: "ja no user, first half", diag: "受信者が存在していないため、メール送信失敗", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "受信者が存在していない"`)},
		{name: "ja full, second half", diag: jaFull, status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "受信者のメールボックスが空いたら"`)},
		{name: "ja full, first half", diag: "受信者のメールボックスが一杯になって、1通のメールでも受信できないため", status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "受信者のメールボックスが一杯"`)},
		{name: "ja system error, line break", diag: "システムエラーが あったため、システムの管理員への問い合わせをお願いします。", status: "5.0.0", want: soft(record.ReasonSystemError, `text "システムエラーが あった"`)},
		{name: "ja system error", diag: "システムエラーがあったため、", status: "5.0.0", want: soft(record.ReasonSystemError, `text "システムエラーがあった"`)},

		// A specific status still decides over a general phrase.
		{name: "status over general phrase", diag: "我们的邮件系统出错", status: "5.2.2", want: soft(record.ReasonMailboxFull, "status 5.2.2")},

		// Words of a phrase in other sentences.
		{name: "zh recipient exists?", diag: "请检查收件人是否存在", status: "5.0.0", want: none},
		{name: "zh recipient address", diag: "收件人地址：user@example.org", status: "5.0.0", want: none},
		{name: "zh mailbox emptied", diag: "请等待收件人清空邮箱后再尝试发送。", status: "5.0.0", want: none},
		{name: "zh mail size", diag: "邮件大小： 12KB", status: "5.0.0", want: none},
		{name: "zh system administrator", diag: "请联系系统管理员", status: "5.0.0", want: none},
		{name: "ja recipient", diag: "宛先：　user@example.org 受信者のメールアドレス", status: "5.0.0", want: none},
		{name: "ja mailbox", diag: "メールボックスの設定を確認してください", status: "5.0.0", want: none},
		{name: "ja system error occurred", diag: "システムエラー", status: "5.0.0", want: none},
	})
}
