package ndr

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// textRule classifies by the receiving server's own words.
type textRule struct {
	reason Reason
	re     *regexp.Regexp
}

// textRules are tried in order on the innermost reply's text and then on
// the whole diagnostic; the first match decides. More specific causes
// come before general ones.
var textRules = []textRule{
	{ReasonUserUnknown, regexp.MustCompile(`(?i)user unknown|unknown user|no such (?:user|mailbox|recipient|account)|mailbox (?:not found|unavailable|does not exist)|does not exist|recipient (?:address )?rejected: (?:user unknown|undeliverable address)|address rejected|invalid recipient|recipient not found|recipnotfound|not a valid mailbox|unknown recipient|user not found|no mailbox here|account (?:does not exist|not found)`)},
	{ReasonHostUnknown, regexp.MustCompile(`(?i)host (?:or domain name )?not found|unrouteable (?:mail )?domain|domain (?:not found|does not exist)|no such domain|unknown (?:host|domain)|name or service not known|nxdomain|host unknown`)},
	{ReasonMailboxFull, regexp.MustCompile(`(?i)mailbox (?:is )?full|over ?quota|quota exceeded|exceed(?:s|ed)? (?:the |its |their )?(?:storage|quota)|insufficient (?:disk )?space|mailbox size limit|disk quota`)},
	{ReasonMesgTooBig, regexp.MustCompile(`(?i)message (?:is )?too (?:big|large)|message size exceeds|size limit|exceeds? (?:the )?maximum (?:message )?size`)},
	{ReasonSuspend, regexp.MustCompile(`(?i)(?:account|mailbox|user) (?:is )?(?:disabled|suspended|inactive|deactivated|locked)|has been (?:disabled|suspended)`)},
	{ReasonAuthFailure, regexp.MustCompile(`(?i)\bspf\b|\bdkim\b|\bdmarc\b|sender policy framework|unauthenticated`)},
	{ReasonRequirePTR, regexp.MustCompile(`(?i)reverse (?:dns|lookup)|\bptr\b|rdns|no reverse|not have a reverse`)},
	{ReasonBadReputation, regexp.MustCompile(`(?i)reputation`)},
	{ReasonSpeeding, regexp.MustCompile(`(?i)rate limit|too quickly|too fast|throttl|unexpected volume`)},
	{ReasonTooManyConn, regexp.MustCompile(`(?i)too many (?:connections|sessions|concurrent)`)},
	{ReasonBlocked, regexp.MustCompile(`(?i)block ?list|black ?list|\bblocked\b|\blisted\b|spamhaus|dnsbl|\brbl\b|banned|refused to talk|access denied|connection refused`)},
	{ReasonSpamDetected, regexp.MustCompile(`(?i)spam|junk mail|unsolicited`)},
	{ReasonVirusDetected, regexp.MustCompile(`(?i)virus|malware|infected`)},
	{ReasonNoRelaying, regexp.MustCompile(`(?i)relay(?:ing)? (?:denied|not permitted|access denied)|not permitted to relay|unable to relay|relay not`)},
	{ReasonRejected, regexp.MustCompile(`(?i)sender (?:address )?(?:rejected|refused|denied|invalid|unknown)|domain of sender|bad sender`)},
	{ReasonExpired, regexp.MustCompile(`(?i)retry time(?:out)? (?:not reached|exceeded)|message expired|delivery time expired|could not be delivered for|gave up|too long in queue|expired`)},
	{ReasonNetworkError, regexp.MustCompile(`(?i)connection (?:timed out|reset|dropped|lost)|network is unreachable|no route to host|did not respond|lost connection|dns (?:error|failure)|temporary lookup failure`)},
	{ReasonSystemFull, regexp.MustCompile(`(?i)(?:disk|file ?system) (?:is )?full|out of disk|insufficient system storage`)},
	{ReasonFailedSTARTTLS, regexp.MustCompile(`(?i)starttls|must issue a starttls`)},
	{ReasonSyntaxError, regexp.MustCompile(`(?i)syntax error|command unrecognized|bad sequence`)},
	{ReasonContentError, regexp.MustCompile(`(?i)content (?:rejected|refused)|invalid content|illegal attachment|prohibited attachment`)},
	{ReasonSystemError, regexp.MustCompile(`(?i)system error|internal error|server error|local error|transaction failed|temporary failure`)},
}

// statusReasons maps subject.detail of an enhanced status to a reason.
var statusReasons = map[[2]int]Reason{
	{1, 1}: ReasonUserUnknown, {1, 2}: ReasonHostUnknown, {1, 3}: ReasonUserUnknown,
	{1, 4}: ReasonUserUnknown, {1, 6}: ReasonHasMoved, {1, 7}: ReasonRejected,
	{1, 8}: ReasonRejected, {1, 10}: ReasonNotAccept,
	{2, 1}: ReasonSuspend, {2, 2}: ReasonMailboxFull, {2, 3}: ReasonMesgTooBig,
	{3, 1}: ReasonSystemFull, {3, 2}: ReasonNotAccept, {3, 4}: ReasonMesgTooBig,
	{3, 5}: ReasonSystemError,
	{4, 1}: ReasonNetworkError, {4, 2}: ReasonNetworkError, {4, 3}: ReasonNetworkError,
	{4, 4}: ReasonHostUnknown, {4, 5}: ReasonTooManyConn, {4, 6}: ReasonNetworkError,
	{4, 7}: ReasonExpired,
	{5, 0}: ReasonSyntaxError, {5, 1}: ReasonSyntaxError, {5, 2}: ReasonSyntaxError,
	{5, 3}: ReasonExceedLimit, {5, 4}: ReasonSyntaxError,
	{6, 0}: ReasonContentError, {6, 1}: ReasonContentError, {6, 2}: ReasonContentError,
	{6, 3}: ReasonContentError, {6, 4}: ReasonContentError, {6, 5}: ReasonContentError,
	{7, 1}: ReasonBlocked, {7, 7}: ReasonSecurityError, {7, 8}: ReasonSecurityError,
	{7, 9}: ReasonSecurityError, {7, 10}: ReasonSecurityError, {7, 11}: ReasonFailedSTARTTLS,
	{7, 13}: ReasonSuspend, {7, 20}: ReasonAuthFailure, {7, 21}: ReasonAuthFailure,
	{7, 22}: ReasonAuthFailure, {7, 23}: ReasonAuthFailure, {7, 24}: ReasonAuthFailure,
	{7, 25}: ReasonRequirePTR, {7, 26}: ReasonAuthFailure, {7, 27}: ReasonNotAccept,
	{7, 28}: ReasonSpamDetected, {7, 29}: ReasonAuthFailure, {7, 30}: ReasonAuthFailure,
}

// classify decides a recipient's reason and says why.
func classify(r *Recipient, m *message) (Reason, string) {
	if r.Action == ActionDelivered || r.Action == ActionRelayed || r.Action == ActionExpanded {
		return ReasonDelivered, "action " + string(r.Action)
	}
	texts := []string{r.Cause.Text, r.Diagnostic}
	for _, t := range texts {
		if t == "" {
			continue
		}
		for _, rule := range textRules {
			if loc := rule.re.FindStringIndex(t); loc != nil {
				return rule.reason, fmt.Sprintf("text %q", t[loc[0]:loc[1]])
			}
		}
	}
	if c := statusFor(r); !c.IsZero() {
		if reason, ok := statusReasons[[2]int{c[1], c[2]}]; ok {
			return reason, "status " + c.String()
		}
		if c.Subject() == 6 {
			return ReasonContentError, "status " + c.String()
		}
	}
	if r.Action == ActionDelayed {
		return ReasonExpired, "action delayed"
	}
	if r.ReplyCode != 0 || !r.Status.IsZero() {
		return ReasonOnHold, "no rule matched the reply"
	}
	if strings.TrimSpace(r.Diagnostic) == "" {
		return ReasonUndefined, "no diagnostic text"
	}
	return ReasonOnHold, "no rule matched the text"
}

// statusFor returns the most telling enhanced status: the innermost
// reply's, else the recipient's.
func statusFor(r *Recipient) enhancedcode.Code {
	if !r.Cause.Enhanced.IsZero() && !isGeneric(r.Cause.Enhanced) {
		return r.Cause.Enhanced
	}
	return r.Status
}
