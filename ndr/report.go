package ndr

import (
	"mime"
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
	"github.com/ndrkit/ndrkit/remedy"
)

// Kind says what sort of report a message is.
type Kind string

// The kinds of report that Explain recognises.
const (
	// KindFailure is a non-delivery report: at least one recipient failed.
	KindFailure Kind = "failure"
	// KindDelay is a warning that delivery is delayed and still being
	// tried, or a mailing list's notice that it holds the post for its
	// moderator (GNU Mailman's "awaits moderator approval"), whose one
	// recipient, the list, has no Action and the reason policyviolation.
	KindDelay Kind = "delay"
	// KindDelivery is a positive delivery status notification.
	KindDelivery Kind = "delivery"
	// KindAutoReply is an automatic reply such as a vacation notice (RFC 3834).
	KindAutoReply Kind = "autoreply"
	// KindFeedback is an abuse or authentication feedback report (RFC 5965 ARF).
	KindFeedback Kind = "feedback"
)

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

// Report is what Explain found in one message.
type Report struct {
	// Kind says whether the message reports failures, a delay, a
	// successful delivery, an automatic reply or a feedback report.
	Kind Kind
	// Subject is the report's own Subject field, decoded.
	Subject string
	// From is the report's own From field, decoded.
	From string
	// ReportingMTA is the per-message Reporting-MTA of a DSN, without
	// its type prefix.
	ReportingMTA string
	// ArrivalDate is the per-message Arrival-Date of a DSN.
	ArrivalDate time.Time
	// Recipients holds one entry per recipient the report is about, in
	// the order the report gives them.
	Recipients []Recipient
	// Original describes the returned message, so that callers can match
	// the report to what they sent.
	Original Original
	// FeedbackType is the ARF Feedback-Type (abuse, fraud, auth-failure,
	// ...) of a feedback report.
	FeedbackType string
	// Warnings lists the parts of the message that could not be read
	// completely. The rest of the report is still usable.
	Warnings []Warning
}

// Failed returns the recipients whose delivery failed for good or is
// still being retried; vacation replies, feedback reports and successful
// deliveries are left out.
func (r *Report) Failed() []Recipient {
	var out []Recipient
	for _, rc := range r.Recipients {
		if rc.IsFailure() {
			out = append(out, rc)
		}
	}
	return out
}

// Original holds the header fields of the message that bounced, as the
// report returned them (in a message/rfc822 or text/rfc822-headers part,
// or quoted in the text).
type Original struct {
	// MessageID is the original Message-ID field, angle brackets kept.
	MessageID string
	// From is the original From field, decoded.
	From string
	// To is the original To field, decoded.
	To string
	// Subject is the original Subject field, decoded.
	Subject string
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

// AutoResponse reports whether the returned message was itself an
// automatic response to an earlier message, sent back to that message's
// sender: a delivery status notification or a read receipt (Content-Type
// multipart/report with report-type delivery-status or
// disposition-notification: RFC 6522, RFC 3464, RFC 8098), a message
// marked "Auto-Submitted: auto-replied" such as a vacation notice
// (RFC 3834 §5), or one with the null reverse-path "Return-Path: <>" that
// notifications are sent with (RFC 5321 §4.5.5), which Sendmail's local
// delivery writes as "<MAILER-DAEMON>" (cf/mailer/local.m4). When it
// failed, no person's message was lost: the address it answered did not
// take it, and that address is often a forged sender. A bounce of a
// bounce ("double bounce") goes to the postmaster of the server that
// wrote the first; explanations then start with the catalogue's entry for
// a failed automatic response (remedy.Facts.AutoResponse).
func (o Original) AutoResponse() bool {
	if rp := strings.TrimSpace(o.Get("Return-Path")); rp == "<>" || textutil.EqualFold(rp, "<MAILER-DAEMON>") {
		return true
	}
	v := strings.TrimLeft(o.Get("Auto-Submitted"), " \t")
	if i := strings.IndexAny(v, " \t(;"); i >= 0 {
		v = v[:i]
	}
	if textutil.EqualFold(v, "auto-replied") {
		return true
	}
	mt, params, err := mime.ParseMediaType(o.Get("Content-Type"))
	if err != nil || mt != "multipart/report" {
		return false
	}
	rt := strings.ToLower(params["report-type"])
	return rt == "delivery-status" || rt == "disposition-notification"
}

// ListMessage reports whether the returned message was a mailing list's
// copy of a post: it carries the List-Id field that a list adds to the
// messages it distributes (RFC 2919 §2), or a List-Post field (RFC 2369
// §3.4). A list that adds a subject tag or a footer changes the message
// after its author's server signed it, so the author's DKIM signature
// fails at the list's subscribers and their DMARC checks may refuse it.
func (o Original) ListMessage() bool {
	return o.Get("List-Id") != "" || o.Get("List-Post") != ""
}

// Recipient is what the report says about one recipient.
type Recipient struct {
	// Recipient is the final recipient address, as the report gives it
	// (in pasted text, also with a domain the user masked, "xxx@xxx":
	// see Masked). It is empty when pasted text holds a server's reply
	// but no address that could be read (a Warning wrapping ErrNoAddress
	// says so), and when the report lists the recipient by a name only
	// (see ListedName).
	Recipient string
	// Masked is true when Recipient is an address whose domain the user
	// who pasted the text masked ("xxx@xxx", "***@***.***"): it names no
	// real mailbox, so it belongs on no suppression list and its domain
	// cannot be looked up.
	Masked bool
	// ListedName is the name by which the report lists a recipient it
	// gives no address for: Exchange and Outlook list a contact from the
	// sender's address book by its name ("'Kato, Ryo' on 6/10/24 5:00
	// PM", "'山本 花子 (山本 花子 FAX)' 2024/06/03 11:02"). Recipient is
	// then empty, and a Warning whose *NameOnlyError names it says so.
	ListedName string
	// AsListed is true when Recipient is kept as the report lists it
	// although its dots break RFC 5321's syntax (a dot first or last
	// before the "@", two dots in a row), as in addresses that Japanese
	// mobile carriers once gave out ("taro..yamada.@example.ne.jp"):
	// Outlook refuses to send to them (Microsoft KB 940620), and the
	// recipient's reason is then syntaxerror.
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
	// ArrivalDate is the DSN's Arrival-Date: when the sending MTA
	// received the message. The zero time when absent.
	ArrivalDate time.Time
	// LastAttempt is the DSN's Last-Attempt-Date for this recipient. The
	// zero time when absent.
	LastAttempt time.Time
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
	// Explanations are the remedy catalogue's entries that match this
	// recipient, most specific first, rendered in the language chosen
	// with WithLanguage (English by default). Each says which facts
	// triggered it.
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
