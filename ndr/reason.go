package ndr

import (
	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/classify"
)

// Reason is the classification of a bounce, in the vocabulary shared by
// bounce processors (userunknown, mailboxfull, blocked, ...), so that
// results can be stored next to those of other tools.
type Reason string

// The reasons. HardBounce is true only for ReasonUserUnknown,
// ReasonHostUnknown, ReasonHasMoved, and ReasonNotAccept with a permanent
// failure.
const (
	ReasonUserUnknown     Reason = "userunknown"     // the mailbox does not exist
	ReasonHostUnknown     Reason = "hostunknown"     // the domain does not exist
	ReasonHasMoved        Reason = "hasmoved"        // the address moved, no forwarding
	ReasonNotAccept       Reason = "notaccept"       // the domain accepts no mail (null MX)
	ReasonMailboxFull     Reason = "mailboxfull"     // the mailbox is full
	ReasonMesgTooBig      Reason = "mesgtoobig"      // over the recipient's size limit
	ReasonExceedLimit     Reason = "exceedlimit"     // over a size limit of the sender's side
	ReasonSuspend         Reason = "suspend"         // the account is suspended or disabled
	ReasonExpired         Reason = "expired"         // delivery time expired after retries
	ReasonNetworkError    Reason = "networkerror"    // DNS or network failure
	ReasonTooManyConn     Reason = "toomanyconn"     // too many connections
	ReasonSpeeding        Reason = "speeding"        // rate limited
	ReasonBlocked         Reason = "blocked"         // the client IP or host name was refused
	ReasonBadReputation   Reason = "badreputation"   // the IP's reputation is low
	ReasonRequirePTR      Reason = "requireptr"      // no or bad reverse DNS
	ReasonRejected        Reason = "rejected"        // the envelope sender was refused
	ReasonAuthFailure     Reason = "authfailure"     // SPF, DKIM or DMARC failure
	ReasonPolicyViolation Reason = "policyviolation" // a local policy refused the message
	ReasonSpamDetected    Reason = "spamdetected"    // the content was judged spam
	ReasonVirusDetected   Reason = "virusdetected"   // a virus was found
	ReasonFiltered        Reason = "filtered"        // a header, content or recipient filter refused it
	ReasonContentError    Reason = "contenterror"    // malformed content
	ReasonNotCompliantRFC Reason = "notcompliantrfc" // the message breaks RFC 5322
	ReasonSecurityError   Reason = "securityerror"   // TLS, authentication or other security reasons
	ReasonFailedSTARTTLS  Reason = "failedstarttls"  // STARTTLS failed or was required
	ReasonNoRelaying      Reason = "norelaying"      // relaying denied
	ReasonSyntaxError     Reason = "syntaxerror"     // SMTP syntax error
	ReasonSystemError     Reason = "systemerror"     // the remote system failed
	ReasonSystemFull      Reason = "systemfull"      // the remote disk is full
	ReasonMailerError     Reason = "mailererror"     // a local mailer program failed
	ReasonOnHold          Reason = "onhold"          // not enough information to decide
	ReasonUndefined       Reason = "undefined"       // no reason could be determined
	ReasonVacation        Reason = "vacation"        // an automatic reply
	ReasonFeedback        Reason = "feedback"        // an ARF feedback report
	ReasonDelivered       Reason = "delivered"       // a successful delivery
	ReasonSuppressed      Reason = "suppressed"      // on the sender's own suppression list
)

// Reasons lists every reason, in the order of the constants.
func Reasons() []Reason {
	return []Reason{
		ReasonUserUnknown, ReasonHostUnknown, ReasonHasMoved, ReasonNotAccept,
		ReasonMailboxFull, ReasonMesgTooBig, ReasonExceedLimit, ReasonSuspend,
		ReasonExpired, ReasonNetworkError, ReasonTooManyConn, ReasonSpeeding,
		ReasonBlocked, ReasonBadReputation, ReasonRequirePTR, ReasonRejected,
		ReasonAuthFailure, ReasonPolicyViolation, ReasonSpamDetected,
		ReasonVirusDetected, ReasonFiltered, ReasonContentError,
		ReasonNotCompliantRFC, ReasonSecurityError, ReasonFailedSTARTTLS,
		ReasonNoRelaying, ReasonSyntaxError, ReasonSystemError, ReasonSystemFull,
		ReasonMailerError, ReasonOnHold, ReasonUndefined, ReasonVacation,
		ReasonFeedback, ReasonDelivered, ReasonSuppressed,
	}
}

// IsHard reports whether a failure for this reason means that the address
// itself is dead. permanent says whether the failure was permanent; it
// matters for ReasonNotAccept only. A suppressed address is not one: the
// sender's own service refused to try it, and the bounce says nothing of
// the address now.
func (r Reason) IsHard(permanent bool) bool {
	switch r {
	case ReasonUserUnknown, ReasonHostUnknown, ReasonHasMoved:
		return true
	case ReasonNotAccept:
		return permanent
	}
	return false
}

// ReasonOfStatus returns the reason that the IANA registry's meaning of
// a failure status gives by itself (5.1.1 userunknown, 5.2.2
// mailboxfull, 4.4.1 expired), as Explain falls back on when a report
// says nothing more specific; "" for a success or for a status with no
// such meaning (X.0.0, a code outside the registry). A Recipient whose
// Reason differs from it was decided by something other than its
// status: the reply's words, or a mail service's own use of the code.
func ReasonOfStatus(c enhancedcode.Code) Reason {
	return Reason(classify.StatusReason(c))
}
