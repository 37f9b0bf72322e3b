package present

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

// Japanese reports whether tag is the Japanese of the catalogue.
func Japanese(tag language.Tag) bool {
	return tag == language.Japanese
}

// Pick returns ja for Japanese and en otherwise.
func Pick(tag language.Tag, en, ja string) string {
	if Japanese(tag) {
		return ja
	}
	return en
}

// StatusMeaning names an enhanced status code: its registry name when
// the registry has the code, else the names of its subject and class.
// An inferred code says so, as it does not come from the bounce.
func StatusMeaning(c enhancedcode.Code, inferred bool, tag language.Tag) string {
	if c.IsZero() {
		return ""
	}
	if inferred {
		return Pick(tag, "inferred from the reason; the bounce gave no code", "理由から推定したコード（不達通知には記載なし）")
	}
	if c == (enhancedcode.Code{2, 0, 0}) {
		// The registry's "Other undefined Status" reads like trouble;
		// in the success class it is plain success.
		return Pick(tag, "success, with no further detail", "成功（詳細の区分なし）")
	}
	if e, ok := enhancedcode.Lookup(c); ok {
		return e.Name(tag)
	}
	var parts []string
	if e, ok := enhancedcode.LookupClass(c.Class()); ok {
		parts = append(parts, e.Name(tag))
	}
	if e, ok := enhancedcode.LookupSubject(c.Subject()); ok {
		parts = append(parts, e.Name(tag))
	}
	return strings.Join(parts, Pick(tag, ": ", "：")) + Pick(tag, " (code not in the IANA registry)", "（IANA 登録外のコード）")
}

// StatusMeaningOf names r's enhanced status code as StatusMeaning does,
// except when a mail service's own rules decided the reason (evidence
// "vendor NAME: ..."): the service uses the code in a meaning of its
// own, which the reason gives, and the registry's name would contradict
// it (Microsoft's 5.4.1 "Access denied" is not the registry's "No answer
// from host", Microsoft's 5.1.10 not a null MX, Gmail's 5.4.5 daily
// sending limit no congestion).
//
// When the words of the reply decided a reason other than the one the
// registry's meaning gives (evidence "text ..."), the registry's name is
// kept and marked as contradicted by them: Exchange Online's "550 5.4.1
// Relay Access Denied" is no "No answer from host".
func StatusMeaningOf(r *ndr.Recipient, tag language.Tag) string {
	if v := statusVendor(r); v != "" {
		return Pick(tag, v+"'s own use of this code; the reason says what it means",
			v+" 独自の用法（意味は理由の欄を参照）")
	}
	if delayedExpiry(r) {
		return Pick(tag, "Message delayed; still being retried", "配送の遅延（再試行中）")
	}
	m := StatusMeaning(r.Status, r.StatusInferred, tag)
	if m != "" && !r.StatusInferred && strings.HasPrefix(r.Evidence, "text ") {
		if rs := ndr.ReasonOfStatus(r.Status); rs != "" && rs != r.Reason && !statusCovers(r.Status, r.Reason) {
			m += Pick(tag, " (the reply's words say otherwise; see the reason)", "（応答の文言は別の意味を示しています。理由の欄を参照）")
		}
	}
	return m
}

// StatusDescriptionOf is StatusDescription of r's code, "" when
// StatusMeaningOf does not give the registry's name.
func StatusDescriptionOf(r *ndr.Recipient, tag language.Tag) string {
	if statusVendor(r) != "" || delayedExpiry(r) {
		return ""
	}
	return StatusDescription(r.Status, r.StatusInferred, tag)
}

// statusCovers reports whether c, though the registry's meaning gives
// another reason, is the general code for reason's kind of failure, so
// that the reply's words only make it precise: X.7.0 and X.7.1 ("Delivery
// not authorized, message refused", RFC 3463 section 3.8) stand for any
// refusal by policy, and a network or routing status (X.4.y, section
// 3.5) for any failure to reach or keep talking to the server ("4.4.3"
// with "Name server timeout").
func statusCovers(c enhancedcode.Code, reason ndr.Reason) bool {
	switch c.Subject() {
	case enhancedcode.SubjectPolicy:
		if c.Detail() > 1 {
			return false
		}
		switch reason {
		case ndr.ReasonUserUnknown, ndr.ReasonHostUnknown, ndr.ReasonMailboxFull, ndr.ReasonHasMoved, ndr.ReasonSuspend:
			return false
		}
		return true
	case enhancedcode.SubjectNetwork:
		switch reason {
		case ndr.ReasonNetworkError, ndr.ReasonExpired, ndr.ReasonTooManyConn, ndr.ReasonSpeeding, ndr.ReasonSystemError:
			return true
		}
	}
	return false
}

// delayedExpiry reports whether r is delayed with status 4.4.7, as in
// Exchange's delay notices ("400 4.4.7 Message delayed"): the time for
// delivery has not run out, the message waits, and the registry's
// "Delivery time expired" would say otherwise.
func delayedExpiry(r *ndr.Recipient) bool {
	return r.Action == ndr.ActionDelayed && r.Status == (enhancedcode.Code{4, 4, 7})
}

// vendorNames are the names by which the mail services whose codes
// ndr knows are shown, by the name the evidence gives them.
var vendorNames = map[string]string{
	"apple": "Apple", "google": "Google", "microsoft": "Microsoft", "yahoo": "Yahoo",
	"docomo": "NTT docomo", "kddi": "KDDI (au)", "facebook": "Facebook", "mail.ru": "Mail.ru",
	"comcast": "Comcast", "cox": "Cox", "spectrum": "Spectrum", "orange": "Orange",
	"godaddy": "GoDaddy", "mimecast": "Mimecast", "messagelabs": "Symantec MessageLabs",
	"tencent": "Tencent", "i.ua": "I.UA",
}

// statusVendor returns the mail service whose own rules decided r's
// reason, when the registry's meaning of the status would give another
// reason; "" when none did, or when the registry agrees (Gmail's 5.2.1
// for an inactive account is the registry's "Mailbox disabled").
func statusVendor(r *ndr.Recipient) string {
	rest, ok := strings.CutPrefix(r.Evidence, "vendor ")
	if ok && !r.StatusInferred {
		if name, _, _ := strings.Cut(rest, ": "); redefined[name][r.Status] {
			return vendorName(name)
		}
	}
	if !ok || r.StatusInferred || ndr.ReasonOfStatus(r.Status) == r.Reason || r.Status.Detail() == 0 {
		// A code of detail 0 ("4.7.0 Other or undefined security
		// status") names only its class and subject, which no
		// service's use contradicts.
		return ""
	}
	if r.Cause.Code != 0 && r.Cause.Enhanced != r.Status {
		// The status is not the receiver's reply's but the reporting
		// server's: it keeps the registry's meaning (Exchange's 4.4.7
		// around Yahoo's "421 4.7.0 [TSS04]" is still "delivery time
		// expired", Sendmail's 5.1.1 around a bare "550 Unknown user"
		// still "bad destination mailbox address").
		return ""
	}
	name, _, ok := strings.Cut(rest, ": ")
	if !ok {
		return ""
	}
	return vendorName(name)
}

// redefined are registered codes that a mail service uses in a meaning
// of its own though the reason is the registry's kind: Exchange Online's
// "550 5.1.8 Access denied, bad outbound sender" (an account blocked for
// sending spam) is no "Bad sender's system address", and its "550 5.7.12
// Sender was not authenticated by organization" (a recipient that takes
// mail from inside its organisation only) no "A password transition is
// needed" (learn.microsoft.com, "Email non-delivery reports and SMTP
// errors in Exchange Online").
var redefined = map[string]map[enhancedcode.Code]bool{
	"microsoft": {{5, 1, 8}: true, {5, 7, 12}: true},
}

// vendorName returns the name by which the mail service the evidence
// names is shown.
func vendorName(name string) string {
	if n, ok := vendorNames[name]; ok {
		return n
	}
	return name
}

// StatusDescription is the registry's longer description of c, "" when
// the registry does not have the code or it was inferred.
func StatusDescription(c enhancedcode.Code, inferred bool, tag language.Tag) string {
	if c.IsZero() || inferred {
		return ""
	}
	if e, ok := enhancedcode.Lookup(c); ok {
		return e.Description(tag)
	}
	return ""
}

// replyMeanings are short descriptions of the SMTP reply codes of
// RFC 5321, section 4.2.3, that bounces carry, and of 521 and 556
// (RFC 7504). 452 is also the reply to one recipient too many (RFC 5321,
// section 4.5.3.1.10).
var replyMeanings = map[int][2]string{
	421: {"service not available, closing the connection", "サービスを利用できないため接続を切りました"},
	450: {"mailbox unavailable (temporary)", "メールボックスを一時的に利用できません"},
	451: {"local error in processing, try again later", "受信側の処理エラー（しばらくして再試行）"},
	452: {"insufficient storage, or too many recipients (temporary)", "記憶領域の不足、または宛先数の超過（一時的）"},
	455: {"server unable to accommodate parameters", "パラメーターを受け付けられません（一時的）"},
	500: {"syntax error, command unrecognised", "構文エラー（コマンドを認識できません）"},
	501: {"syntax error in parameters or arguments", "パラメーターの構文エラー"},
	502: {"command not implemented", "コマンドが実装されていません"},
	503: {"bad sequence of commands", "コマンドの順序が不正です"},
	504: {"command parameter not implemented", "パラメーターが実装されていません"},
	521: {"the host does not accept mail", "このホストはメールを受け付けません"},
	530: {"authentication required", "認証が必要です"},
	535: {"authentication failed", "認証に失敗しました"},
	550: {"mailbox unavailable or action refused", "メールボックスを利用できないか、受信を拒否しました"},
	551: {"user not local", "このサーバーのユーザーではありません"},
	552: {"exceeded storage allocation", "容量の上限を超えました"},
	553: {"mailbox name not allowed", "このメールボックス名は許可されていません"},
	554: {"transaction failed", "配送処理に失敗しました"},
	555: {"MAIL FROM or RCPT TO parameters not recognised", "MAIL FROM / RCPT TO のパラメーターを認識できません"},
	556: {"the domain does not accept mail", "このドメインはメールを受け付けません"},
}

// ReplyMeaning describes an SMTP reply code, "" for 0.
func ReplyMeaning(code int, tag language.Tag) string {
	if m, ok := replyMeanings[code]; ok {
		return Pick(tag, m[0], m[1])
	}
	switch code / 100 {
	case 2:
		return Pick(tag, "success", "成功")
	case 4:
		return Pick(tag, "temporary failure", "一時的な失敗")
	case 5:
		return Pick(tag, "permanent failure", "恒久的な失敗")
	}
	return ""
}

// ReplyMeaningOf describes r's reply code as ReplyMeaning does, except
// when a permanent reply code carries a temporary status, as in
// Exchange's "550 4.4.7 QUEUE.Expired": the reporting server gave up
// after a temporary condition, and the code's usual meaning ("mailbox
// unavailable") would mislead; the status says what the condition was.
func ReplyMeaningOf(r *ndr.Recipient, tag language.Tag) string {
	if r.ReplyCode/100 == 5 && !r.StatusInferred && r.Status.Temporary() {
		return Pick(tag, "final failure after a temporary condition; the status says which",
			"一時的な状態が続いた後の最終的な失敗（内容はステータスの欄を参照）")
	}
	return ReplyMeaning(r.ReplyCode, tag)
}

// ReasonTitle names a reason in the language of tag, from the generic
// entry the catalogue has for every reason.
func ReasonTitle(r ndr.Reason, tag language.Tag) string {
	if e, ok := remedy.Default().Lookup("reason-" + string(r)); ok {
		return e.Render(tag).Title
	}
	return string(r)
}

// ReasonTitleOf names a recipient's reason like ReasonTitle, except
// that expired in a delay notice (the vocabulary gives a delay the
// reason expired too) says that the sending server is still retrying
// rather than that it gave up: the title of the catalogue's entry for a
// delay; and a post held for a list's moderator, or a message held by a
// challenge-response filter, is named as held, not refused.
func ReasonTitleOf(r *ndr.Recipient, tag language.Tag) string {
	if r.Reason == ndr.ReasonExpired && r.Action == ndr.ActionDelayed {
		if e, ok := remedy.Default().Lookup("delivery-delayed"); ok {
			return e.Render(tag).Title
		}
	}
	if strings.HasSuffix(r.Evidence, ": the post is held for the list moderator") {
		// A post held for a list's moderator is not refused (yet).
		if e, ok := remedy.Default().Lookup("mailing-list-post-held"); ok {
			return e.Render(tag).Title
		}
	}
	if r.DecodedBy == "challenge" {
		// Nor is a message that a challenge-response filter holds for
		// the sender's confirmation.
		if e, ok := remedy.Default().Lookup("challenge-response-confirmation"); ok {
			return e.Render(tag).Title
		}
	}
	return ReasonTitle(r.Reason, tag)
}

// heldEvidence is the evidence ndr gives a post that a mailing list
// holds for its moderator.
const heldEvidence = "Mailman: the post is held for the list moderator"

// evidencePhrases are the Japanese of the evidence texts that detectors
// write whole.
var evidencePhrases = map[string]string{
	"no rule matched the text":                                        "本文に該当する規則なし",
	"no rule matched the reply":                                       "応答に該当する規則なし",
	"no diagnostic text":                                              "診断メッセージなし",
	"diagnostic type x-unix":                                          "診断の種類 x-unix（ローカル配送プログラム）",
	"layout":                                                          "通知の書式",
	"message/feedback-report part":                                    "message/feedback-report パート（苦情・認証レポート）",
	"report-type=feedback-report":                                     "report-type=feedback-report（苦情・認証レポート）",
	"automatic reply (RFC 3834)":                                      "自動応答（RFC 3834）",
	"Amazon SES complaint notification":                               "Amazon SES の苦情通知",
	"Amazon SES: the address is on the global suppression list":       "Amazon SES：アドレスが SES 全体の配信停止リストにある",
	"Amazon SES: the address is on the account's suppression list":    "Amazon SES：アドレスが送信アカウントの配信停止リストにある",
	"BIGLOBE: the recipient's mailbox exceeded its limit":             "BIGLOBE：受信者のメールボックスが上限を超えた",
	"Exim: the delivery to a pipe failed":                             "Exim：パイプへの配送に失敗",
	"Gmail could not connect to the recipient's server":               "Gmail が受信側のサーバーに接続できなかった",
	"Gmail could not send through the sender's 'Send mail as' server": "Gmail が送信者の「別のアドレスから送信」用サーバー経由で送信できなかった",
	"Gmail is still retrying the delivery":                            "Gmail が配送を再試行中",
	"Gmail: the address couldn't be found":                            "Gmail：アドレスが見つからない",
	"Google Groups refused the post: the group does not exist or does not accept posts from the sender": "Google グループが投稿を拒否：グループが存在しないか、送信者からの投稿を受け付けていない",
	heldEvidence: "Mailman：投稿はリストのモデレーターの承認待ち",
	"Sympa: the post is held for the list moderator":                                                       "Sympa：投稿はリストのモデレーターの承認待ち",
	"Sympa: the list moderator rejected the post":                                                          "Sympa：リストのモデレーターが投稿を拒否",
	"Sympa: the list refused the post":                                                                     "Sympa：リストが投稿を拒否",
	"Sympa: the post is over the list's size limit":                                                        "Sympa：投稿がリストのサイズ上限を超えている",
	"mlmmj: the list refused the post":                                                                     "mlmmj：リストが投稿を拒否",
	"mlmmj: the post is over the list's size limit":                                                        "mlmmj：投稿がリストのサイズ上限を超えている",
	"Mailman: the list moderator rejected the post":                                                        "Mailman：リストのモデレーターが投稿を拒否",
	"Mailman: the list refused the post":                                                                   "Mailman：リストが投稿を拒否",
	"Mailman: the list refuses posts from domains with a DMARC policy of reject or quarantine":             "Mailman：リストは、DMARC ポリシーで拒否か隔離を求めるドメインからの投稿を拒否",
	"TMDA: the recipient's challenge-response filter holds the message until the sender confirms it":       "TMDA：受信側のチャレンジレスポンス方式のフィルターが、送信者の確認までメールを保留",
	"BoxTrapper: the recipient's challenge-response filter holds the message until the sender confirms it": "BoxTrapper：受信側のチャレンジレスポンス方式のフィルターが、送信者の確認までメールを保留",
	"Sieve reject (RFC 5429): the recipient's own mail filter refused the message":                         "RFC 5429 の拒否：受信者自身のメールフィルターが拒否",
	"OpenSMTPD: the envelope expired in the queue":                                                         "OpenSMTPD：キューで有効期限切れ",
	"Sendmail: the message could not be delivered in time and was deleted from the queue":                  "Sendmail：期限内に配送できず、キューから削除",
	"au: the user(s) account is disabled":                                                                  "au：利用者のアカウントが停止されている",
	"dma: gave up after the queue lifetime":                                                                "dma：キューの保持期限が過ぎて配送を断念",
	"Haraka: too many temporary failures":                                                                  "Haraka：一時的な失敗が続き配送を断念",
	"dma: the recipient's domain was not found in the DNS":                                                 "dma：宛先ドメインが DNS に見つからない",
	"fml: the sender is not a member of the mailing list":                                                  "fml：送信者がメーリングリストのメンバーではない",
	"Outlook: the address breaks RFC 5321 (a dot first or last before the @, or two dots in a row)":        "Outlook：アドレスが RFC 5321 に反する（@ の前の先頭か末尾にドット、または連続したドット）",
	"the gateway aborted the delivery after its time limit":                                                "ゲートウェイが制限時間を過ぎて配送を中止",
	"the remote server gave no reply":                                                                      "相手サーバーから応答がなかった",
	"the MTA kept no reply from the remote server":                                                         "送信側の MTA が相手サーバーの応答を残していない",
	// What the code of a mail program's error says (ndr's
	// dsn.taskCodes).
	"the server's name was not found":                  "サーバー名が見つからない",
	"the connection to the server could not be made":   "サーバーに接続できない",
	"the connection to the server was dropped":         "サーバーとの接続が切れた",
	"reading from the connection failed":               "接続からの読み取りに失敗",
	"writing to the connection failed":                 "接続への書き込みに失敗",
	"the connection could not be opened":               "接続を開けない",
	"the logon failed":                                 "ログオンに失敗",
	"the server did not answer in time":                "サーバーが時間内に応答しない",
	"no authentication method is common to both sides": "双方に共通の認証方式がない",
	"the sending (SMTP) server did not answer in time": "送信（SMTP）サーバーが時間内に応答しない",
}

// evidencePrefixes are the Japanese of the leading words of evidence
// texts that end with a code or text from the bounce, which is kept as
// it is. The first that matches applies.
var evidencePrefixes = []struct{ en, ja string }{
	{"status ", "拡張ステータスコード "},
	{"mail program error ", "メールソフトのエラー "},
	{"text ", "本文 "},
	{"token ", "受信側のコード "},
	{"code ", "受信側のコード "},
	{"reply ", "応答コード "},
	{"remote host ", "相手ホスト "},
	{"action ", "DSN の Action "},
	{"Auto-Submitted: ", "Auto-Submitted ヘッダー："},
	{"Amazon SES gave up: ", "Amazon SES が配送を断念："},
	{"Amazon WorkMail gave up: ", "Amazon WorkMail が配送を断念："},
	{"IMail: ", "IMail："},
	{"qmail: ", "qmail："},
	{"au: ", "au："},
}

// evidenceSuffixes are the Japanese of what classification adds after
// the matched code or text: the SMTP stage it was read at, or that the
// failure was temporary.
var evidenceSuffixes = []struct{ en, ja string }{
	{" with a temporary failure", "（一時的な失敗）"},
	{" in a remote reply of unknown stage", "（段階が不明な相手サーバーの応答）"},
	{" at connection", "（接続時）"},
	{" at RCPT", "（RCPT の段階）"},
	{" after DATA", "（DATA の後）"},
}

// Evidence returns the evidence line in the language of tag. In
// Japanese its words are translated; a code or text from the bounce is
// kept as it is.
func Evidence(ev string, tag language.Tag) string {
	if !Japanese(tag) || ev == "" {
		return ev
	}
	parts := splitOutsideQuotes(ev, "; ")
	for i, p := range parts {
		parts[i] = evidencePart(p)
	}
	return strings.Join(parts, "、")
}

// evidencePart translates one rule's evidence.
func evidencePart(p string) string {
	if ja, ok := evidencePhrases[p]; ok {
		return ja
	}
	// "vendor microsoft: token S775": a receiver's own rule.
	if rest, ok := strings.CutPrefix(p, "vendor "); ok {
		if k := strings.Index(rest, ": "); k > 0 {
			return vendorName(rest[:k]) + " の規則：" + evidencePart(rest[k+2:])
		}
	}
	// "stage MAIL: reply 550": the SMTP stage the reply answered.
	if rest, ok := strings.CutPrefix(p, "stage "); ok {
		if k := strings.Index(rest, ": "); k > 0 {
			return "SMTP の " + rest[:k] + " 段階：" + evidencePart(rest[k+2:])
		}
	}
	// `remote host "x": the remote server gave no reply`: a finding,
	// then a whole phrase saying what it means.
	if k := strings.LastIndex(p, ": "); k > 0 && !strings.Contains(p[k:], `"`) {
		if ja, ok := evidencePhrases[p[k+2:]]; ok {
			return evidencePart(p[:k]) + "：" + ja
		}
	}
	suffix := ""
	if k := strings.LastIndex(p, " with protocol status "); k > 0 && !strings.Contains(p[k:], `"`) {
		suffix = "（プロトコルのステータス " + p[k+len(" with protocol status "):] + "）"
		p = p[:k]
	} else {
		for _, s := range evidenceSuffixes {
			if rest, ok := strings.CutSuffix(p, s.en); ok {
				suffix, p = s.ja, rest
				break
			}
		}
	}
	// "text "x" and status 5.1.1": the phrase and the status agree.
	if k := strings.LastIndex(p, " and status "); k > 0 && !strings.Contains(p[k:], `"`) {
		suffix = "（拡張ステータスコード " + p[k+len(" and status "):] + " とも一致）" + suffix
		p = p[:k]
	}
	for _, w := range evidencePrefixes {
		if rest, ok := strings.CutPrefix(p, w.en); ok {
			return w.ja + rest + suffix
		}
	}
	return p + suffix
}

// splitOutsideQuotes splits s at each sep that is not inside a quoted
// string ("..." with backslash escapes).
func splitOutsideQuotes(s, sep string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case quoted && s[i] == '\\':
			i++
		case s[i] == '"':
			quoted = !quoted
		case !quoted && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

// KindLabel names a kind of report, or "not-bounce" for an ordinary
// message.
func KindLabel(kind string, tag language.Tag) string {
	ja := map[string]string{
		"failure": "配送失敗", "delay": "配送遅延", "delivery": "配送完了", "autoreply": "自動応答",
		"feedback": "苦情・認証レポート", "not-bounce": "不達通知ではない", "error": "読めない",
	}
	en := map[string]string{"not-bounce": "not a bounce", "error": "unreadable"}
	if Japanese(tag) {
		if s, ok := ja[kind]; ok {
			return s
		}
	} else if s, ok := en[kind]; ok {
		return s
	}
	return kind
}

// ActionLabel names a DSN action.
func ActionLabel(a ndr.Action, tag language.Tag) string {
	if !Japanese(tag) {
		return string(a)
	}
	switch a {
	case ndr.ActionFailed:
		return "失敗"
	case ndr.ActionDelayed:
		return "遅延（再試行中）"
	case ndr.ActionDelivered:
		return "配送済み"
	case ndr.ActionRelayed:
		return "中継済み"
	case ndr.ActionExpanded:
		return "展開済み"
	}
	return string(a)
}

// ReceiverGroup names the receiver of a recipient: the catalogue's name
// for a known provider (by the recipient's domain or the remote host),
// else the recipient's domain in lower case.
func ReceiverGroup(recipient, remoteMTA string) string {
	domain := strings.ToLower(recipient[strings.LastIndexByte(recipient, '@')+1:])
	domain = strings.Trim(domain, "<> ")
	host := strings.ToLower(remoteMTA)
	for _, r := range remedy.Default().Receivers() {
		for _, d := range r.Domains {
			if hasDomainSuffix(domain, d) {
				return r.Name
			}
		}
	}
	for _, r := range remedy.Default().Receivers() {
		for _, h := range r.Hosts {
			if hasDomainSuffix(host, h) {
				return r.Name
			}
		}
	}
	if domain == "" {
		return "-"
	}
	return domain
}

// hasDomainSuffix reports whether name is suffix or a subdomain of it.
func hasDomainSuffix(name, suffix string) bool {
	return name == suffix || strings.HasSuffix(name, "."+suffix)
}

// Visible returns s with every control character, invalid UTF-8 byte
// and bidirectional override written as an escape (\x1b, \r, \u202e),
// so that text from a bounce cannot move the cursor, ring the bell or
// reorder what a terminal shows. A backslash stays as it is.
func Visible(s string) string {
	clean := true
	for _, r := range s {
		if needsEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100 && needsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether r may not be written to a terminal as it
// is: C0 and C1 controls, DEL, the bidirectional controls, and the
// replacement for invalid UTF-8.
func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// RecipientLabel shows a recipient's address, or says that the report
// names none (pasted text that held a server's reply but no address),
// with the name it lists the recipient by, if any.
func RecipientLabel(r ndr.Recipient, tag language.Tag) string {
	switch {
	case r.Recipient == "" && r.ListedName != "":
		return Pick(tag, "(no address; listed as \u201c"+Visible(r.ListedName)+"\u201d)", "（アドレスなし、名前「"+Visible(r.ListedName)+"」で表示）")
	case r.Recipient == "":
		return Pick(tag, "(no address in the text)", "（本文に宛先アドレスなし）")
	}
	return Visible(r.Recipient)
}

// SeeAlso returns the explanations to list after the first of xs: the
// other matching entries, without the generic entry of a reason when a
// specific entry comes first. The reason's name is shown already, and
// its general advice may contradict what the specific entry says of the
// bounce in hand.
func SeeAlso(xs []remedy.Explanation) []remedy.Explanation {
	if len(xs) < 2 {
		return nil
	}
	if xs[0].Generic {
		return xs[1:]
	}
	out := make([]remedy.Explanation, 0, len(xs)-1)
	for _, x := range xs[1:] {
		if !x.Generic {
			out = append(out, x)
		}
	}
	return out
}
