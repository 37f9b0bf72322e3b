package ndr

import (
	"regexp"
	"strings"
)

// isFeedback reports whether m is an RFC 5965 feedback report.
func isFeedback(m *message) bool {
	return m.feedback != nil || m.reportType == "feedback-report"
}

// feedbackRecipients names the recipient a feedback report is about: the
// Original-Rcpt-To or Removal-Recipient field, else the returned
// message's To.
func feedbackRecipients(m *message) []Recipient {
	r := Recipient{
		Action:    "",
		Reason:    ReasonFeedback,
		Evidence:  "message/feedback-report part",
		DecodedBy: "arf",
	}
	if m.feedback == nil {
		r.Evidence = "report-type=feedback-report"
	}
	for _, name := range []string{"Original-Rcpt-To", "Removal-Recipient"} {
		if v := cleanAddress(fieldOf(m.feedback, name)); v != "" {
			r.Recipient = v
			break
		}
	}
	if r.Recipient == "" {
		if m.hasOriginal {
			r.Recipient = firstAddress(m.original.To)
		} else if o, ok := originalInText(m.body); ok {
			r.Recipient = firstAddress(o.To)
		}
	}
	r.RemoteMTA = strings.TrimSpace(fieldOf(m.feedback, "Source-IP"))
	r.Diagnostic = collapseSpace(bounceText(m.body))
	return []Recipient{r}
}

// firstAddress returns the first address in an address list.
func firstAddress(list string) string {
	if a := addrPattern.FindString(list); a != "" {
		return a
	}
	return cleanAddress(list)
}

// autoReplySubject matches the subjects that mail programs give automatic
// replies.
var autoReplySubject = regexp.MustCompile(`(?i)^\s*(?:auto(?:matic)?[ -]?(?:reply|response|answer)|auto:|out of (?:the )?office|autoreply|autorespon|abwesenheit|absence|vacation|away from|i am away|i'm away|自動応答|自動返信|不在)`)

// isAutoReply reports whether m is an automatic reply (RFC 3834) rather
// than a delivery report.
func isAutoReply(m *message) bool {
	if m.dsn != nil || m.pasted {
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

// autoReplyRecipients names the recipient who replied automatically: the
// reply's sender.
func autoReplyRecipients(m *message) []Recipient {
	r := Recipient{
		Recipient: firstAddress(m.from),
		Reason:    ReasonVacation,
		Evidence:  "automatic reply (RFC 3834)",
		DecodedBy: "rfc3834",
	}
	if as := m.get("Auto-Submitted"); as != "" {
		r.Evidence = "Auto-Submitted: " + as
	}
	r.Diagnostic = collapseSpace(truncateRunes(m.body, 500))
	return []Recipient{r}
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}
