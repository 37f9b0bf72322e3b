package mime

import (
	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Message is a bounce after the MIME walk: what the detectors look at.
type Message struct {
	// Header is the top-level header. Values are as written until value
	// unfolds and decodes them (ready[i] is then set): most are never read.
	Header []record.Field
	ready  []bool
	// Subject and From are decoded top-level fields.
	Subject string
	From    string
	// mediaType is the top-level media type, lower case; ReportType its
	// report-type parameter.
	mediaType  string
	ReportType string
	// Body is the human-readable text: every text part outside returned
	// messages, decoded to UTF-8 and joined; for a message without MIME
	// structure, the whole body.
	Body string
	// Raw is the whole input after newline normalisation.
	Raw string
	// DSN holds the parsed delivery-status parts.
	DSN *dsn.DeliveryStatus
	// Original is the returned message's header, when one was found.
	Original    record.Original
	HasOriginal bool // whether Original was found
	// OriginalCutPart names the part whose header Original was read
	// from when that header ran past MaxOriginalHeader bytes and the
	// rest of it was not read; "" otherwise.
	OriginalCutPart string
	// Enclosed is the whole of the first message/rfc822 or
	// message/global part, the one Original was read from, after its
	// transfer decoding; "" when there is none.
	Enclosed string
	// Feedback holds the fields of an ARF message/feedback-report part.
	Feedback []record.Field
	Warnings []Warning // problems met while reading, in order
	// Limit is the limit on parts or depth at which the walk stopped,
	// at the part LimitPart; nil when every part was read.
	Limit     *LimitError
	LimitPart string
	parts     int
	// Pasted is true for bounce text given without a message header.
	Pasted bool
	// lowerBody and LowerSubject are body and subject with ASCII letters
	// lower-cased (same length and offsets as the originals), so that
	// detectors can search for lower-case texts; lowerBody is made when
	// first asked for (see LowerBody).
	lowerBody    string
	hasLowerBody bool
	// collapsedBounce is LowerBounce with each run of white space made
	// one space (see CollapsedBounce), made when first asked for.
	collapsedBounce    string
	hasCollapsedBounce bool
	LowerSubject       string
	// bounce caches bounceText(body).
	bounce    string
	hasBounce bool
	// markEnd is the end of the copy-marker line that ends the bounce
	// text, or -1; set with bounce.
	markEnd int
	// replies caches enhancedcode.Find(BounceText()) when hasReplies.
	replies    []enhancedcode.Reply
	hasReplies bool
	// Delayed caches delayedText: 1 yes, -1 no, 0 not asked yet.
	Delayed int8
	// markers holds the first offset of every marker in the body, or -1;
	// nil until a detector first asks (see MarkerAt).
	markers []int32
}

// BounceText returns the part of the body before the returned copy of
// the original message, computed once per message.
func (m *Message) BounceText() string {
	if !m.hasBounce {
		m.bounce, m.markEnd = bounceSplit(m.Body)
		m.hasBounce = true
	}
	return m.bounce
}

// BounceReplies returns the SMTP replies of the bounce text
// (enhancedcode.Find of BounceText), found once per message. The slice
// is shared: callers must not modify it.
func (m *Message) BounceReplies() []enhancedcode.Reply {
	if !m.hasReplies {
		m.replies, m.hasReplies = enhancedcode.Find(m.BounceText()), true
	}
	return m.replies
}

// Prepare fills the derived fields once the body is known.
func (m *Message) Prepare() {
	m.LowerSubject = literal.LowerASCII(m.Subject)
}

// Get returns the first top-level header field named name, or "".
func (m *Message) Get(name string) string {
	for i, f := range m.Header {
		if textutil.EqualFold(f.Name, name) {
			return m.Value(i)
		}
	}
	return ""
}

// Value returns the value of the i-th top-level header field, unfolded and
// decoded when first asked for.
func (m *Message) Value(i int) string {
	if len(m.ready) != len(m.Header) {
		m.ready = make([]bool, len(m.Header))
	}
	if !m.ready[i] {
		m.Header[i].Value = DecodeHeader(unfoldValue(m.Header[i].Value))
		m.ready[i] = true
	}
	return m.Header[i].Value
}
