package classify

import (
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestLocalePhrases classifies the diagnostics of localized failure
// notices (phrases/zh.txt, ja.txt, fr.txt, de.txt, es.txt, it.txt,
// pt.txt, ru.txt) under the generic status that such a notice carries,
// and texts that share words with a phrase but say something else, which
// no phrase may match.
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

		// Exchange's sentence for the sender, as Microsoft translates it.
		{name: "exchange ja entered", diag: "入力したメール アドレスが見つからないか、無効です。", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "入力したメール アドレスが見つからない"`)},
		{name: "exchange2007 ja", diag: "この受信者の電子メール アドレスが受信者側の電子メール システムに見つかりませんでした。", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "受信者の電子メール アドレスが受信者側の電子メール システムに見つかりませんでした"`)},
		{name: "exchange2007 ja security", diag: "セキュリティ ポリシーに抵触したため、メッセージを配信できませんでした。", status: "5.0.0", want: soft(record.ReasonSecurityError, `text "セキュリティ ポリシーに抵触したため"`)},
		{name: "exchange zh entered", diag: "找不到您输入的电子邮件地址，或其无效。", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "找不到您输入的电子邮件地址"`)},
		{name: "exchange2007 zh", diag: "在收件人电子邮件系统中找不到此收件人的电子邮件地址。", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "在收件人电子邮件系统中找不到此收件人的电子邮件地址"`)},
		{name: "exchange2007 zh security", diag: "由于安全策略，您的邮件未送达。", status: "5.0.0", want: soft(record.ReasonSecurityError, `text "由于安全策略，您的邮件未送达"`)},
		{name: "exchange fr entered", diag: "L’adresse de messagerie que vous avez entrée est introuvable ou n’est pas valide.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "adresse de messagerie que vous avez entrée est introuvable"`)},
		{name: "exchange2007 fr", diag: "L'adresse de messagerie de ce destinataire est introuvable dans le système de messagerie du destinataire.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "adresse de messagerie de ce destinataire est introuvable"`)},
		{name: "exchange fr full", diag: "La boîte aux lettres du destinataire est pleine et ne peut pas accepter de messages pour l’instant.", status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "boîte aux lettres du destinataire est pleine"`)},
		{name: "exchange de entered", diag: "Die eingegebene E-Mail-Adresse konnte nicht gefunden werden.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "eingegebene E-Mail-Adresse konnte nicht gefunden werden"`)},
		{name: "exchange2007 de", diag: "Die E-Mail-Adresse dieses Empfängers wurde im E-Mail-System des Empfängers nicht gefunden.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "E-Mail-Adresse dieses Empfängers wurde im E-Mail-System des Empfängers nicht gefunden"`)},
		{name: "exchange de full", diag: "Das Postfach des Empfängers ist voll und kann zurzeit keine Nachrichten annehmen.", status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "Postfach des Empfängers ist voll"`)},
		{name: "gmail de", diag: "Ihre Nachricht wurde nicht an user@example.com zugestellt, weil die Adresse nicht gefunden wurde oder keine E-Mails empfangen kann.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "weil die Adresse nicht gefunden wurde"`)},
		{name: "gmail de heading", diag: "** Die Adresse wurde nicht gefunden **", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "Die Adresse wurde nicht gefunden"`)},
		{name: "exchange es entered", diag: "La dirección de correo electrónico especificada no se encontró o no es válida.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "dirección de correo electrónico especificada no se encontró"`)},
		{name: "exchange2007 es", diag: "La dirección de correo electrónico del destinatario no se encuentra en el sistema de correo electrónico del destinatario.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "dirección de correo electrónico del destinatario no se encuentra en el sistema"`)},
		{name: "exchange es full", diag: "El buzón del destinatario está lleno y no puede aceptar mensajes.", status: "5.0.0", want: soft(record.ReasonMailboxFull, `text "buzón del destinatario está lleno"`)},
		{name: "exchange es domain", diag: "El sistema de nombres de dominio (DNS) ha informado que el dominio del destinatario no existe.", status: "5.0.0", want: hard(record.ReasonHostUnknown, `text "dominio del destinatario no existe"`)},
		{name: "exchange it entered", diag: "L'indirizzo di posta elettronica specificato non è stato trovato o non è valido.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "indirizzo di posta elettronica specificato non è stato trovato"`)},
		{name: "exchange2007 it", diag: "L'indirizzo di posta elettronica del destinatario non è stato trovato nel sistema di posta elettronica del destinatario.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "indirizzo di posta elettronica del destinatario non è stato trovato"`)},
		{name: "exchange pt entered", diag: "Não foi possível encontrar o endereço de email fornecido ou ele é inválido.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "Não foi possível encontrar o endereço de email fornecido"`)},
		{name: "exchange2007 pt", diag: "Este endereço de email do destinatário não foi encontrado no sistema de email do destinatário.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "endereço de email do destinatário não foi encontrado"`)},
		{name: "exchange ru entered", diag: "Введенный адрес электронной почты не найден или недействителен.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "Введенный адрес электронной почты не найден"`)},
		{name: "exchange2007 ru", diag: "Адрес электронной почты этого получателя не найден в почтовой системе получателя.", status: "5.0.0", want: hard(record.ReasonUserUnknown, `text "Адрес электронной почты этого получателя не найден"`)},
		{name: "exchange ru permission", diag: "Сообщение не было доставлено из-за проблемы с разрешениями или безопасностью.", status: "5.0.0", want: soft(record.ReasonSecurityError, `text "не было доставлено из-за проблемы с разрешениями или безопасностью"`)},
		{name: "gromox ja mailing list subject", diag: "送信権限がないため、メール送信失敗", status: "5.0.0", want: soft(record.ReasonPolicyViolation, `text "送信権限がないため"`)},
		{name: "gromox ja mailing list, line break", diag: "\"のメールリストへの 送信権限がありません。", status: "5.0.0", want: soft(record.ReasonPolicyViolation, `text "メールリストへの 送信権限がありません"`)},

		// A specific status still decides over a general phrase.
		{name: "status over general phrase", diag: "我们的邮件系统出错", status: "5.2.2", want: soft(record.ReasonMailboxFull, "status 5.2.2")},
		{name: "status over security sentence", diag: "由于安全策略，您的邮件未送达。", status: "5.2.2", want: soft(record.ReasonMailboxFull, "status 5.2.2")},

		// Words of a phrase in other sentences.
		{name: "zh recipient exists?", diag: "请检查收件人是否存在", status: "5.0.0", want: none},
		{name: "zh recipient address", diag: "收件人地址：user@example.org", status: "5.0.0", want: none},
		{name: "zh mailbox emptied", diag: "请等待收件人清空邮箱后再尝试发送。", status: "5.0.0", want: none},
		{name: "zh mail size", diag: "邮件大小： 12KB", status: "5.0.0", want: none},
		{name: "zh system administrator", diag: "请联系系统管理员", status: "5.0.0", want: none},
		{name: "ja recipient", diag: "宛先：　user@example.org 受信者のメールアドレス", status: "5.0.0", want: none},
		{name: "ja mailbox", diag: "メールボックスの設定を確認してください", status: "5.0.0", want: none},
		{name: "ja system error occurred", diag: "システムエラー", status: "5.0.0", want: none},
		{name: "ja delete and retype", diag: "受信者のアドレスを削除してから再入力して、もう一度送信してください。", status: "5.0.0", want: none},
		{name: "ja check the address", diag: "受信者の電子メール アドレスを確認してこのメッセージを再送信するか", status: "5.0.0", want: none},
		{name: "ja security policy", diag: "セキュリティ ポリシーを確認してください", status: "5.0.0", want: none},
		{name: "ja permission to send", diag: "システム管理員から送信権限を取得して頂いたら、再度メール送信をお願いします。", status: "5.0.0", want: none},
		{name: "zh check the address", diag: "请检查收件人的电子邮件地址，然后尝试重新发送此邮件", status: "5.0.0", want: none},
		{name: "zh delete and retype", diag: "删除并重新键入此收件人的地址，然后再次尝试发送邮件。", status: "5.0.0", want: none},
		{name: "fr check the address", diag: "Vérifiez l'adresse de messagerie du destinataire et essayez de renvoyer le message.", status: "5.0.0", want: none},
		{name: "de check the address", diag: "Überprüfen Sie die E-Mail-Adresse des Empfängers, und versuchen Sie, die Nachricht erneut zu senden.", status: "5.0.0", want: none},
		{name: "es delete and retype", diag: "Elimine y vuelva a escribir la dirección del destinatario y, a continuación, intente volver a enviarlo.", status: "5.0.0", want: none},
		{name: "it delete and retype", diag: "Eliminare e digitare di nuovo l'indirizzo del destinatario, quindi riprovare l'invio.", status: "5.0.0", want: none},
		{name: "pt delete and retype", diag: "Exclua e digite novamente o endereço do destinatário e tente enviar novamente.", status: "5.0.0", want: none},
		{name: "ru delete and retype", diag: "Удалите и повторно введите адрес получателя, а затем попробуйте отправить сообщение еще раз.", status: "5.0.0", want: none},
		{name: "ru check the address", diag: "Проверьте адрес электронной почты получателя и попытайтесь снова отправить это сообщение.", status: "5.0.0", want: none},
	})
}
