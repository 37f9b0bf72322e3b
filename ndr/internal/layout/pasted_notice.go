package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// A user who pastes what came back into a ticket may paste an automatic
// reply or a read receipt rather than a bounce: a mail program shows it
// with its header lines ("件名: 自動応答: ...", "差出人: ...") above its
// text, and it holds no failing SMTP reply.

// pastedSubjectLabels and pastedFromLabels are the labels, lower case,
// of the subject and sender lines of a mail program's view of a message.
var (
	pastedSubjectLabels = map[string]bool{"subject": true, "件名": true, "betreff": true, "objet": true, "asunto": true, "oggetto": true, "assunto": true, "主题": true, "主旨": true}
	pastedFromLabels    = map[string]bool{"from": true, "差出人": true, "送信者": true, "von": true, "de": true, "da": true, "发件人": true, "寄件者": true}
)

// receiptLabel matches the labels that mail programs put before the
// original subject of a read receipt (RFC 8098 disposition
// notification): Outlook's "Read:" and "Not read:", in Japanese "開封済み:"
// and "未開封:".
var receiptLabel = regexp.MustCompile(`(?i)^\s*(?:read|not read|read receipt|開封済み|未開封|開封確認)\s*[:：]`)

// pastedHeader returns the subject and the sender's address of the first
// subject and sender lines of pasted text, reading each line once, and
// whether the text holds a failing SMTP reply.
func pastedHeader(m *mime.Message) (subject, from string, failing bool) {
	text := m.BounceText()
	for _, r := range enhancedcode.Find(text) {
		if r.Temporary() || r.Permanent() {
			failing = true
			break
		}
	}
	for start := 0; start < len(text) && (subject == "" || from == ""); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := trimBlanks(text[start:end], true)
		start = end + 1
		k := strings.IndexAny(line, ":：")
		if k <= 0 {
			continue
		}
		label := strings.ToLower(trimBlanks(line[:k], false))
		value := strings.TrimLeft(line[k:], ":：")
		switch {
		case subject == "" && pastedSubjectLabels[label]:
			subject = strings.TrimSpace(value)
		case from == "" && pastedFromLabels[label]:
			from = mailaddr.CleanAddress(mailaddr.FirstAddress(value))
		}
	}
	return subject, from, failing
}

// IsPastedReceipt reports whether pasted text is a read receipt (a
// subject labelled "Read:", "未開封:" ...) with no failing reply: the
// message was delivered, which is no bounce.
func IsPastedReceipt(m *mime.Message) bool {
	if !m.Pasted {
		return false
	}
	subject, _, failing := pastedHeader(m)
	return !failing && receiptLabel.MatchString(subject)
}

// PastedAutoReply returns the recipient of pasted text that is an
// automatic reply (a subject labelled "Automatic reply:", "自動応答:" ...)
// with no failing reply: its sender, who replied, with the reason
// vacation. It reports false for anything else.
func PastedAutoReply(m *mime.Message) (record.Recipient, bool) {
	if !m.Pasted {
		return record.Recipient{}, false
	}
	subject, from, failing := pastedHeader(m)
	if failing || !autoReplyLabel.MatchString(subject) || bounceSubject.Matches(subject, strings.ToLower(subject)) {
		return record.Recipient{}, false
	}
	return record.Recipient{
		Recipient:  from,
		Reason:     record.ReasonVacation,
		Evidence:   "automatic reply (RFC 3834)",
		DecodedBy:  "rfc3834",
		Diagnostic: textutil.CollapseSpace(textutil.TruncateRunes(subject, 500)),
	}, true
}
