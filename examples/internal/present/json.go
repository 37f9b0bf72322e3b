package present

import (
	"time"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
	"github.com/ndrkit/ndrkit/remedy"
)

// Line is one JSON object: one recipient of one report. The keys are
// stable; the README documents them.
type Line struct {
	File              string       `json:"file"`                    // the file (or request) the message came from
	Kind              ndr.Kind     `json:"kind"`                    // what sort of report the whole message is; action is this recipient's
	Recipient         string       `json:"recipient"`               // final recipient address
	OriginalRecipient string       `json:"original_recipient"`      // the address as the sender wrote it
	Action            ndr.Action   `json:"action"`                  // the DSN action
	Status            string       `json:"status"`                  // enhanced status code, "" when none
	StatusInferred    bool         `json:"status_inferred"`         // Status was inferred from the reason
	ReplyCode         int          `json:"reply_code"`              // SMTP reply code, 0 when none
	Diagnostic        string       `json:"diagnostic"`              // the diagnostic text
	Cause             Cause        `json:"cause"`                   // the innermost remote reply
	Tokens            []string     `json:"tokens"`                  // the receiver's own codes
	RemoteMTA         string       `json:"remote_mta"`              // the server that answered
	ReportingMTA      string       `json:"reporting_mta"`           // the server that wrote the report
	Command           string       `json:"command"`                 // the SMTP command in progress
	ArrivalDate       string       `json:"arrival_date"`            // RFC 3339, "" when unknown
	LastAttempt       string       `json:"last_attempt"`            // RFC 3339, "" when unknown
	Temporary         bool         `json:"temporary"`               // the condition is transient
	HardBounce        bool         `json:"hard_bounce"`             // the address itself is dead
	Reason            ndr.Reason   `json:"reason"`                  // the reason in the common vocabulary
	DecodedBy         string       `json:"decoded_by"`              // the detector that read the recipient
	Evidence          string       `json:"evidence"`                // the rule that decided the reason
	FeedbackType      string       `json:"feedback_type,omitempty"` // ARF feedback type of a feedback report
	Masked            bool         `json:"masked,omitempty"`        // the user masked the address's domain
	ListedName        string       `json:"listed_name,omitempty"`   // the name the report lists a recipient by, when it gives no address
	Original          Original     `json:"original"`                // the returned message's header
	Warnings          []string     `json:"warnings"`                // parts that could not be read completely
	Explanation       *Explanation `json:"explanation"`             // the most specific remedy, nil when none
	SeeAlso           []string     `json:"see_also"`                // IDs of the other matching entries
	// DNSFindings are the findings of the sender's DNS check, in the
	// explanation's language; absent unless the DNS was checked.
	DNSFindings []dnscheck.Localized `json:"dns_findings,omitzero"`
}

// Explanation is the most specific catalogue entry for the recipient.
type Explanation struct {
	Language   string   `json:"language"`   // "en" or "ja"
	ID         string   `json:"id"`         // the catalogue entry
	Title      string   `json:"title"`      // one line
	Summary    string   `json:"summary"`    // what happened
	Actions    []Action `json:"actions"`    // what to do, in order
	Retry      string   `json:"retry"`      // wait, resend-after-fix or do-not-resend
	RetryText  string   `json:"retry_text"` // advice about resending
	Urgency    string   `json:"urgency"`    // high, medium or low
	References []string `json:"references"` // source URLs
	Checked    string   `json:"checked"`    // date last checked
	Triggers   []string `json:"triggers"`   // the facts that selected it
	Gist       string   `json:"gist"`       // the cause and who acts, in one line
	RetryCase  string   `json:"retry_case"` // delayed, expired, permanent or none: what decided Retry
	// RetryUntil is when the sending server gives up (RFC 3339), when
	// the bounce says.
	RetryUntil string `json:"retry_until,omitempty"`
	// SentBy names the mail service that sent the message (a catalogue
	// receiver such as "google"); the steps for a server of the sender's
	// own are then left out of Actions.
	SentBy string `json:"sent_by,omitempty"`
}

// Action is one step: who acts and what they do.
type Action struct {
	Actor string `json:"actor"` // remedy.Actor
	Text  string `json:"text"`  // the step
}

// Cause is the innermost remote reply.
type Cause struct {
	ReplyCode int    `json:"reply_code"` // 0 when none
	Status    string `json:"status"`     // enhanced status code
	Text      string `json:"text"`       // the reply text
}

// Original is the header of the returned message.
type Original struct {
	MessageID string `json:"message_id"` // Message-ID
	From      string `json:"from"`       // From
	To        string `json:"to"`         // To
	Subject   string `json:"subject"`    // Subject
	Date      string `json:"date"`       // Date, RFC 3339
}

// Problem is the object written for a message that gives no recipient
// lines: one that could not be read (Error) or an ordinary message
// (NotBounce). Message is the position in an mbox, 0 otherwise.
type Problem struct {
	File      string `json:"file"`                 // where the message came from
	Message   int    `json:"message,omitempty"`    // position in an mbox
	NotBounce bool   `json:"not_bounce,omitempty"` // an ordinary message
	Error     string `json:"error,omitempty"`      // why it could not be read
}

// NewExplanation converts a rendered catalogue entry.
func NewExplanation(x remedy.Explanation) *Explanation {
	e := &Explanation{
		Language:   x.Language,
		ID:         x.ID,
		Title:      x.Title,
		Summary:    x.Summary,
		Actions:    []Action{},
		Retry:      string(x.Retry),
		RetryText:  x.RetryText,
		Urgency:    string(x.Urgency),
		References: x.References,
		Checked:    x.Checked,
		Triggers:   x.Triggers,
		Gist:       x.Gist,
		RetryCase:  string(x.RetryCase),
		RetryUntil: TimeString(x.RetryUntil),
		SentBy:     x.SentBy,
	}
	for _, a := range x.Actions {
		e.Actions = append(e.Actions, Action{Actor: string(a.Actor), Text: a.Text})
	}
	if e.References == nil {
		e.References = []string{}
	}
	if e.Triggers == nil {
		e.Triggers = []string{}
	}
	return e
}

// TimeString formats t as RFC 3339, "" for the zero time.
func TimeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// NewLine builds the object for recipient r of rep, read from file.
func NewLine(file string, rep *ndr.Report, r ndr.Recipient) Line {
	warnings := []string{}
	for _, wn := range rep.Warnings {
		warnings = append(warnings, WarningText(wn))
	}
	tokens := r.Tokens
	if tokens == nil {
		tokens = []string{}
	}
	l := Line{
		File:              file,
		Kind:              rep.Kind,
		Recipient:         r.Recipient,
		Masked:            r.Masked,
		ListedName:        r.ListedName,
		OriginalRecipient: r.OriginalRecipient,
		Action:            r.Action,
		Status:            r.Status.String(),
		StatusInferred:    r.StatusInferred,
		ReplyCode:         r.ReplyCode,
		Diagnostic:        r.Diagnostic,
		Cause:             Cause{ReplyCode: r.Cause.Code, Status: r.Cause.Enhanced.String(), Text: r.Cause.Text},
		Tokens:            tokens,
		RemoteMTA:         r.RemoteMTA,
		ReportingMTA:      r.ReportingMTA,
		Command:           r.Command,
		ArrivalDate:       TimeString(r.ArrivalDate),
		LastAttempt:       TimeString(r.LastAttempt),
		Temporary:         r.Temporary,
		HardBounce:        r.HardBounce,
		Reason:            r.Reason,
		DecodedBy:         r.DecodedBy,
		Evidence:          r.Evidence,
		FeedbackType:      rep.FeedbackType,
		Original: Original{
			MessageID: rep.Original.MessageID,
			From:      rep.Original.From,
			To:        rep.Original.To,
			Subject:   rep.Original.Subject,
			Date:      TimeString(rep.Original.Date),
		},
		Warnings: warnings,
		SeeAlso:  []string{},
	}
	if len(r.Explanations) > 0 {
		l.Explanation = NewExplanation(r.Explanations[0])
		for _, x := range SeeAlso(r.Explanations) {
			l.SeeAlso = append(l.SeeAlso, x.ID)
		}
	}
	return l
}

// Lines builds one object per recipient of rep.
func Lines(file string, rep *ndr.Report) []Line {
	lines := make([]Line, 0, len(rep.Recipients))
	for _, r := range rep.Recipients {
		lines = append(lines, NewLine(file, rep, r))
	}
	return lines
}
