package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// Amazon WorkMail sends its failure reports through SES, with "X-Mailer:
// Amazon WorkMail", in a text/plain part only:
//
//	An error occurred while trying to deliver the mail to the following recipients:
//	user@example.jp
//
//	Technical report:
//
//	Reporting-MTA: dsn; a27-80.smtp-out.us-west-2.amazonses.com
//
//	Action: failed
//	Final-Recipient: rfc822; user@example.jp
//	Diagnostic-Code: smtp; 550 5.1.1 <user@example.jp>... User Unknown
//	Status: 5.1.1
//
// The delivery-status fields are written into the text instead of a
// message/delivery-status part. The Diagnostic-Code may wrap the remote
// server's reply, which then gives the status and reply code.

// detectAmazonWorkMail reads the WorkMail layout.
func detectAmazonWorkMail(m *mime.Message, out *found) {
	if !strings.Contains(m.Get("X-Mailer"), "Amazon WorkMail") && !isSESMessage(m) {
		return
	}
	if !m.InBounce(sesNewMark) {
		return
	}
	text := m.BounceText()
	lead := sesNewLead.FindStringIndex(text)
	if lead == nil {
		return
	}
	k := strings.Index(text[lead[1]:], "Technical report:")
	if k < 0 {
		return
	}
	dsnInText(text[lead[1]+k:], out, func(r *record.Recipient) bool {
		r.DecodedBy = ""
		if code, status := deepestReply(r.Diagnostic); code != 0 || !status.IsZero() {
			r.ReplyCode = code
			if !status.IsZero() {
				r.Status = status
			}
		}
		if sesExpired.MatchString(r.Diagnostic) {
			r.Reason, r.Evidence = record.ReasonExpired, "Amazon WorkMail gave up: "+sesExpired.FindString(r.Diagnostic)
		}
		return true
	})
}
