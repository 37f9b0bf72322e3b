package record

import (
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
	"github.com/ndrkit/ndrkit/remedy"
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

// Action is the DSN action for one recipient (RFC 3464, section 2.3.3).
type Action string

// The actions of RFC 3464.
const (
	ActionFailed    Action = "failed"
	ActionDelayed   Action = "delayed"
	ActionDelivered Action = "delivered"
	ActionRelayed   Action = "relayed"
	ActionExpanded  Action = "expanded"
)

// DecodedByHeldPost is the DecodedBy name of GNU Mailman's notices to a
// poster: a post held for the moderator and a post refused. A held post
// (see IsHeldPost, whichever list manager reported it) waits for a
// person, not for a server: no delivery was attempted, and the recipient
// keeps no DSN action.
const DecodedByHeldPost = "mailman"

// HeldPostEvidence ends the evidence of a post that a mailing list holds
// for its moderator, whichever list manager reported it.
const HeldPostEvidence = "the post is held for the list moderator"

// IsHeldPost reports whether r is a post that a mailing list holds for
// its moderator.
func (r *Recipient) IsHeldPost() bool {
	return strings.HasSuffix(r.Evidence, HeldPostEvidence)
}

// DecodedByChallenge is the DecodedBy name of a challenge-response
// filter's request that the sender confirm a held message.
const DecodedByChallenge = "challenge"

// DecodedBySieve is the DecodedBy name of a Sieve reject: the
// recipient's own mail filter refused the message with words its owner
// chose.
const DecodedBySieve = "sieve"

// Original holds the header fields of the message that bounced, as the
// report returned them (in a message/rfc822 or text/rfc822-headers part,
// or quoted in the text).
type Original struct {
	MessageID string // the Message-ID field, angle brackets kept
	From      string // the From field, decoded
	To        string // the To field, decoded
	Subject   string // the Subject field, decoded
	// Date is the original Date field; the zero time when absent or
	// unreadable.
	Date time.Time
	// Header holds every field of the returned header in order, values
	// decoded to UTF-8, so that X- fields can be used for correlation.
	Header []Field
}

// Field is one header field.
type Field struct {
	// Name is the field name as written; compare it without regard to
	// case (Original.Get does).
	Name string
	// Value is the value unfolded onto one line, decoded to UTF-8.
	Value string
}

// Get returns the value of the first field named name (case-insensitive),
// or "".
func (o Original) Get(name string) string {
	for _, f := range o.Header {
		if textutil.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Recipient is what the report says about one recipient.
type Recipient struct {
	// Recipient is the final recipient address, as the report gives it.
	Recipient string
	// Masked is true when Recipient's domain was masked by the user who
	// pasted the text (see ndr.Recipient.Masked).
	Masked bool
	// ListedName is the name by which the report lists a recipient it
	// gives no address for, as an Exchange or Outlook report lists a
	// contact ("Kato, Ryo"); Recipient is then empty.
	ListedName string
	// AsListed is true when Recipient is an address that breaks RFC
	// 5321's syntax only in where its local part has dots (a dot first or
	// last, two in a row, as old Japanese mobile addresses do), kept as
	// the report lists it: the layout that read it knows it for the
	// recipient's address.
	AsListed bool
	// OriginalRecipient is the address as the sender wrote it, when the
	// report gives one (Original-Recipient).
	OriginalRecipient string
	// Action is failed, delayed, delivered, relayed or expanded.
	Action Action
	// Status is the enhanced status code. When the remote server's reply
	// in the diagnostic carries a specific code, Status is that code, as it
	// tells more than the reporting MTA's summary; ReportedStatus keeps the
	// report's own Status field. See also StatusInferred.
	Status enhancedcode.Code
	// ReportedStatus is the Status field of the DSN as the report gives
	// it, the zero Code when the report has no DSN part.
	ReportedStatus enhancedcode.Code
	// StatusInferred is true when the report carried no enhanced status
	// and Status was inferred from the reason. Inferred codes of the form
	// X.0.9NN follow the convention of the reason vocabulary.
	StatusInferred bool
	// ReplyCode is the SMTP reply code, 0 when none is known.
	ReplyCode int
	// Diagnostic is the diagnostic text, unfolded onto one line.
	Diagnostic string
	// DiagnosticType is the type of the Diagnostic-Code field ("smtp",
	// "x-unix", ...), "" when the text came from elsewhere.
	DiagnosticType string
	// Replies are the SMTP replies found in the diagnostic, outermost
	// first. A wrapping MTA may quote the remote server's reply inside its
	// own; Cause is the one the classification relied on.
	Replies []enhancedcode.Reply
	// Cause is the reply that best explains the failure: the innermost
	// remote reply when the diagnostic nests several. Its Code is 0 when
	// no reply was found.
	Cause enhancedcode.Reply
	// Tokens are the receiver's own codes found in the diagnostic, such as
	// S775, TSS04, AS(201806281) or OFR_506.
	Tokens []string
	// RemoteMTA is the remote host that gave the reply, without a type
	// prefix.
	RemoteMTA string
	// ReportingMTA is the host that wrote the report.
	ReportingMTA string
	// Command is the SMTP command in progress when the failure happened
	// (CONN, HELO for HELO or EHLO, STARTTLS, MAIL, RCPT, DATA), when known.
	Command string
	// ArrivalDate and LastAttempt come from the DSN when it gives them.
	ArrivalDate time.Time
	LastAttempt time.Time // the recipient's Last-Attempt-Date
	// Temporary is true when the failure is temporary: the sending MTA
	// will retry, or a retry later may succeed, as for a message it gave
	// up on after temporary failures (Action failed, Reason expired).
	Temporary bool
	// HardBounce is true only when the address itself is dead: user
	// unknown, host unknown, moved, or a domain that accepts no mail
	// (with a permanent failure).
	HardBounce bool
	// Reason is the classification of the failure.
	Reason Reason
	// DecodedBy names the detector that read this recipient.
	DecodedBy string
	// Evidence says which rule decided the reason, with the text or code
	// it matched.
	Evidence string
	// Explanations are filled by the public package from the remedy
	// catalogue; the stages leave them empty.
	Explanations []remedy.Explanation
}

// IsFailure reports whether the recipient's delivery failed or is delayed,
// as opposed to an automatic reply, a feedback report or a delivery.
func (r Recipient) IsFailure() bool {
	switch r.Reason {
	case ReasonVacation, ReasonFeedback, ReasonDelivered:
		return false
	}
	return r.Action != ActionDelivered && r.Action != ActionRelayed && r.Action != ActionExpanded
}
