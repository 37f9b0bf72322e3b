package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// A challenge is the answer of a challenge-response filter at the
// recipient's side: the filter keeps a message from an unknown sender and
// asks the sender to confirm that a person sent it. The message is held,
// neither delivered nor refused, until the sender answers.
//
// TMDA marks its answers "X-Delivery-Agent: TMDA/<version>"; its
// request for confirmation ("Auto-Submitted: auto-replied", unlike its
// failure notices) names the confirmation address, the recipient's
// address with the tag "confirm" and a cookie (TMDA's Cookie.py and
// Defaults.TAGS_CONFIRM). cPanel's BoxTrapper requires its verification
// request to keep "verify#<message id>" in its subject (cPanel's
// BoxTrapper API documentation, save_email_template).

// tmdaConfirmAddress is TMDA's confirmation address: a local part with
// the tag "confirm" between recipient delimiters, then the cookie.
var tmdaConfirmAddress = regexp.MustCompile(`(?i)[-+=]confirm[-+=][0-9a-z.]+@`)

// boxTrapperSubject is the tag that BoxTrapper keeps in the subject of
// its verification request.
var boxTrapperSubject = regexp.MustCompile(`(?i)(^|[^a-z0-9])verify#[^ \t]`)

// forwardSubject is the label a mail program puts before the subject of
// a forward: a person passing a request on, whose sender is not the
// filter's user.
var forwardSubject = regexp.MustCompile(`(?i)^\s*(?:fwd?|wg|tr|i|転送)\s*[:：]`)

// ChallengeSystem names the challenge-response filter that wrote m, or
// returns "" when m is no request for confirmation from one.
func ChallengeSystem(m *mime.Message) string {
	if m.DSN != nil || m.Pasted || !mailaddr.IsAddress(mailaddr.FirstAddress(m.From)) {
		// The request names its filter's user as its sender; without
		// that address there is no recipient to report.
		return ""
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(m.Get("X-Delivery-Agent"))), "tmda") &&
		strings.HasPrefix(strings.ToLower(strings.TrimSpace(m.Get("Auto-Submitted"))), "auto-replied") &&
		tmdaConfirmAddress.MatchString(m.Body) {
		return "TMDA"
	}
	if boxTrapperSubject.MatchString(m.Subject) && !forwardSubject.MatchString(m.Subject) && !isMailSystem(m.From) {
		return "BoxTrapper"
	}
	return ""
}

// ChallengeRecipients names the recipient whose filter asks for
// confirmation: the request's sender, the mailbox the filter guards. The
// message waits for the sender's answer, not for a server's retry: it
// has no DSN action, and the reason is the recipient's policy.
func ChallengeRecipients(m *mime.Message, system string) []record.Recipient {
	from := mailaddr.FirstAddress(m.From)
	if loc := tmdaConfirmAddress.FindStringIndex(from); loc != nil {
		// TMDA's own confirmation address: the recipient's address is
		// the part before the tag.
		from = from[:loc[0]] + from[loc[1]-1:]
	}
	r := record.Recipient{
		Recipient: from,
		Reason:    record.ReasonPolicyViolation,
		Evidence:  system + challengeEvidence,
		DecodedBy: record.DecodedByChallenge,
	}
	r.Diagnostic = textutil.CollapseSpace(textutil.TruncateRunes(m.Body, 500))
	return []record.Recipient{r}
}

// challengeEvidence ends the evidence of a challenge's recipient, after
// the name of the filter.
const challengeEvidence = ": the recipient's challenge-response filter holds the message until the sender confirms it"
