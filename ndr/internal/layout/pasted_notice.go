package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
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

// PastedHeader is what the header lines that a mail program shows above
// pasted text say: the zero value for text without them, or for a
// message that is not pasted text.
type PastedHeader struct {
	// Subject is the value of the first subject line.
	Subject string
	// From is the address of the first sender line.
	From string
	// Failing tells that the text holds a failing SMTP reply, which no
	// automatic reply or read receipt does.
	Failing bool
}

// ReadPastedHeader reads the first subject and sender lines of pasted
// text, each line once, and whether the text holds a failing SMTP reply.
func ReadPastedHeader(m *mime.Message) PastedHeader {
	var h PastedHeader
	if !m.Pasted {
		return h
	}
	text := m.BounceText()
	for r := range enhancedcode.Replies(text) {
		if dsn.FailingReply(r) {
			h.Failing = true
			break
		}
	}
	for start := 0; start < len(text) && (h.Subject == "" || h.From == ""); {
		end := textutil.LineEnd(text, start)
		line := trimBlanks(text[start:end], true)
		start = end + 1
		k := strings.IndexAny(line, ":：")
		if k <= 0 {
			continue
		}
		label := strings.ToLower(trimBlanks(line[:k], false))
		value := strings.TrimLeft(line[k:], ":：")
		switch {
		case h.Subject == "" && pastedSubjectLabels[label]:
			h.Subject = strings.TrimSpace(value)
		case h.From == "" && pastedFromLabels[label]:
			h.From = mailaddr.CleanAddress(mailaddr.FirstAddress(value))
		}
	}
	return h
}

// IsReceipt reports whether the pasted text is a read receipt (a subject
// labelled "Read:", "未開封:" ...) with no failing reply: the message was
// delivered, which is no bounce.
func (h PastedHeader) IsReceipt() bool {
	return !h.Failing && receiptLabel.MatchString(h.Subject)
}

// IsAutoReply reports whether the pasted text is an automatic reply (a
// subject labelled "Automatic reply:", "自動応答:" ...) with no failing
// reply.
func (h PastedHeader) IsAutoReply() bool {
	return !h.Failing && autoReplyLabel.MatchString(h.Subject) && !bounceSubject.Matches(h.Subject, strings.ToLower(h.Subject))
}

// AutoReplyRecipient returns the recipient of a pasted automatic reply:
// its sender, who replied, with the reason vacation.
func (h PastedHeader) AutoReplyRecipient() record.Recipient {
	return record.Recipient{
		Recipient:  h.From,
		Reason:     record.ReasonVacation,
		Evidence:   "automatic reply (RFC 3834)",
		DecodedBy:  "rfc3834",
		Diagnostic: textutil.CollapseSpace(textutil.TruncateRunes(h.Subject, 500)),
	}
}

// Reporter returns the sender line's address when it names a mail system
// (MAILER-DAEMON, postmaster): the writer of a pasted bounce, as a mail
// program shows it above the text; "" otherwise.
func (h PastedHeader) Reporter() string {
	if h.From != "" && isMailSystem(h.From) {
		return h.From
	}
	return ""
}

// LaterFailures marks failed the delayed recipients of pasted text that
// also holds the final failure that followed the delay notice: a user
// pastes the warning and the bounce of the same message together, in
// either order, and the failure is the news. at is the offset in m's
// bounce text of the first words of a final failure, -1 for none. A
// recipient counts when its address appears at least twice and at lies
// before its last appearance. The text is read once.
func LaterFailures(rs []record.Recipient, m *mime.Message, at int) {
	if at < 0 {
		return
	}
	// The first and last offsets of each delayed recipient's address.
	seen := map[string][2]int{}
	for i := range rs {
		if rs[i].Action == record.ActionDelayed && rs[i].Recipient != "" {
			seen[strings.ToLower(rs[i].Recipient)] = [2]int{-1, -1}
		}
	}
	if len(seen) == 0 {
		return
	}
	text := m.BounceText()
	for loc := range mailaddr.AddressesIn(text) {
		if loc = runInTrimmed(text, loc); loc == nil {
			continue
		}
		k := strings.ToLower(mailaddr.CleanAddress(text[loc[0]:loc[1]]))
		if p, ok := seen[k]; ok {
			if p[0] < 0 {
				p[0] = loc[0]
			}
			p[1] = loc[0]
			seen[k] = p
		}
	}
	for i := range rs {
		r := &rs[i]
		if p, ok := seen[strings.ToLower(r.Recipient)]; ok && r.Action == record.ActionDelayed && p[0] >= 0 && p[1] > p[0] && at < p[1] {
			r.Action = record.ActionFailed
			if r.Reason == record.ReasonExpired {
				r.Reason, r.Evidence = "", ""
			}
		}
	}
}
