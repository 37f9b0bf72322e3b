package ndr

import (
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/record"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// isFeedback reports whether m is an RFC 5965 feedback report.
func isFeedback(m *message) bool {
	return m.feedback != nil || m.reportType == "feedback-report"
}

// feedbackRecipients names the recipients a feedback report is about:
// every Original-Rcpt-To (or Removal-Recipient) field, else the returned
// message's To.
func feedbackRecipients(m *message) []record.Recipient {
	base := record.Recipient{
		Reason:    record.ReasonFeedback,
		Evidence:  "message/feedback-report part",
		DecodedBy: "arf",
	}
	if m.feedback == nil {
		base.Evidence = "report-type=feedback-report"
	}
	base.RemoteMTA = strings.TrimSpace(dsn.FieldOf(m.feedback, "Source-IP"))
	base.Diagnostic = textutil.CollapseSpace(m.bounceText())
	var addrs []string
	seen := map[string]bool{}
	for _, name := range []string{"Original-Rcpt-To", "Removal-Recipient"} {
		for _, f := range m.feedback {
			if !textutil.EqualFold(f.Name, name) {
				continue
			}
			for a := range strings.SplitSeq(f.Value, ",") {
				a = mailaddr.CleanAddress(a)
				if strings.Contains(a, "@") && !seen[strings.ToLower(a)] {
					seen[strings.ToLower(a)] = true
					addrs = append(addrs, a)
				}
			}
		}
		if len(addrs) > 0 {
			break
		}
	}
	if len(addrs) == 0 {
		to := ""
		if m.hasOriginal {
			to = m.original.To
		} else if o, ok := originalInBody(m); ok {
			to = o.To
		}
		// When no recipient is named (a returned header such as
		// "To: <Undisclosed Recipients>"), the one entry has an empty
		// Recipient rather than an invented address.
		addrs = append(addrs, mailaddr.FindAddress(to))
	}
	out := make([]record.Recipient, len(addrs))
	for i, a := range addrs {
		out[i] = base
		out[i].Recipient = a
	}
	return out
}

// autoReplySubject matches the subjects that mail programs give automatic
// replies.
var autoReplySubject = regexp.MustCompile(`(?i)^\s*(?:auto(?:matic)?[ -]?(?:reply|response|answer)|auto:|out of (?:the )?office|autoreply|autorespon|abwesenheit|absence|vacation|away from|i am away|i'm away|自動応答|自動返信|不在)`)

// isAutoReply reports whether m is an automatic reply (RFC 3834) rather
// than a delivery report.
func isAutoReply(m *message) bool {
	if m.dsn != nil || m.pasted || looksLikeBounce(m) {
		return false
	}
	// Exim and others mark their bounces "Auto-Submitted: auto-replied";
	// a report naming failed recipients or sent by the mail system is
	// not a reply.
	if m.get("X-Failed-Recipients") != "" || isMailSystem(m.from) {
		return false
	}
	as := strings.ToLower(m.get("Auto-Submitted"))
	if strings.HasPrefix(as, "auto-replied") {
		return true
	}
	if m.get("X-Autoreply") != "" || m.get("X-Autorespond") != "" || strings.EqualFold(m.get("Precedence"), "auto_reply") {
		return true
	}
	return autoReplySubject.MatchString(m.subject) && !strings.HasPrefix(as, "auto-generated")
}

// bounceSubject matches the subjects of delivery reports, which some mail
// systems send with "Auto-Submitted: auto-replied".
var bounceSubject = textmatch.FoldPat(`delivery status notification|undeliver|undelivered|returned mail|mail delivery (?:failed|failure|system)|delivery (?:failure|failed|has failed|problem|notification)|failure notice|mail failure|non[- ]?delivery|nondeliverable|could not be delivered|配信(?:不能|エラー|失敗)|送信エラー|エラーメール`)

// looksLikeBounce reports whether m, whatever its Auto-Submitted field
// says, is a delivery report: a delivery-status report type, a mail
// system sender (MAILER-DAEMON, postmaster), an X-Failed-Recipients field
// or a delivery-report subject.
func looksLikeBounce(m *message) bool {
	if m.reportType == "delivery-status" || m.get("X-Failed-Recipients") != "" {
		return true
	}
	local, _, _ := strings.Cut(strings.ToLower(mailaddr.FirstAddress(m.from)), "@")
	if ignoredLocalParts[local] && local != "noreply" && local != "no-reply" {
		return true
	}
	return bounceSubject.Matches(m.subject, m.lowerSubject)
}

// autoReplyRecipients names the recipient who replied automatically: the
// reply's sender.
func autoReplyRecipients(m *message) []record.Recipient {
	r := record.Recipient{
		Recipient: mailaddr.FirstAddress(m.from),
		Reason:    record.ReasonVacation,
		Evidence:  "automatic reply (RFC 3834)",
		DecodedBy: "rfc3834",
	}
	if as := m.get("Auto-Submitted"); as != "" {
		r.Evidence = "Auto-Submitted: " + as
	}
	r.Diagnostic = textutil.CollapseSpace(textutil.TruncateRunes(m.body, 500))
	return []record.Recipient{r}
}
