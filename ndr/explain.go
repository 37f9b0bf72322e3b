package ndr

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/remedy"
)

// Default limits of Options.
const (
	// DefaultMaxSize is the default largest input, in bytes: 16 MiB.
	DefaultMaxSize = 16 << 20
	// DefaultMaxParts is the default largest number of MIME parts.
	DefaultMaxParts = 512
	// DefaultMaxDepth is the default deepest nesting of multiparts.
	DefaultMaxDepth = 16
)

// Options tune Explain. The zero value of a field means its default.
type Options struct {
	// MaxSize is the largest input read, in bytes (DefaultMaxSize).
	// Larger input gives a *LimitError.
	MaxSize int
	// MaxParts is the largest number of MIME parts (DefaultMaxParts).
	MaxParts int
	// MaxDepth is the deepest nesting of multipart entities
	// (DefaultMaxDepth).
	MaxDepth int
	// Language is the language of the explanations; the catalogue serves
	// the supported language closest to it (English by default).
	Language language.Tag
	// Catalogue is the remedy catalogue (remedy.Default() when nil).
	Catalogue *remedy.Catalogue
	// NoExplanations leaves Recipient.Explanations empty, for callers who
	// need only the facts.
	NoExplanations bool
}

// Option changes one setting of Explain.
type Option func(*Options)

// WithLimits sets the input limits; a zero argument keeps its default.
func WithLimits(maxSize, maxParts, maxDepth int) Option {
	return func(o *Options) {
		if maxSize > 0 {
			o.MaxSize = maxSize
		}
		if maxParts > 0 {
			o.MaxParts = maxParts
		}
		if maxDepth > 0 {
			o.MaxDepth = maxDepth
		}
	}
}

// WithOptions sets every field of Options at once; zero fields keep
// their defaults.
func WithOptions(opts Options) Option {
	return func(o *Options) {
		WithLimits(opts.MaxSize, opts.MaxParts, opts.MaxDepth)(o)
		if opts.Language != language.Und {
			o.Language = opts.Language
		}
		if opts.Catalogue != nil {
			o.Catalogue = opts.Catalogue
		}
		o.NoExplanations = opts.NoExplanations
	}
}

// WithLanguage chooses the language of the explanations. Use
// remedy.MatchLanguage to turn an Accept-Language string or a user's
// setting into a tag.
func WithLanguage(tag language.Tag) Option {
	return func(o *Options) { o.Language = tag }
}

// WithCatalogue explains with c instead of the default catalogue, for
// example one extended with remedy.Catalogue.Extend.
func WithCatalogue(c *remedy.Catalogue) Option {
	return func(o *Options) { o.Catalogue = c }
}

// WithoutExplanations skips the remedy catalogue: the report holds the
// facts and the classification only.
func WithoutExplanations() Option {
	return func(o *Options) { o.NoExplanations = true }
}

func buildOptions(opts []Option) *Options {
	o := &Options{MaxSize: DefaultMaxSize, MaxParts: DefaultMaxParts, MaxDepth: DefaultMaxDepth}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	return o
}

// Explain reads one message (RFC 5322, with or without MIME structure)
// and reports what it says about each recipient. A leading mbox "From "
// line is skipped and LF, CRLF and CR line ends are all accepted.
//
// It returns ErrNotBounce for a readable message that reports nothing,
// a *LimitError for input beyond the limits, and ErrEmpty for empty
// input. Parts that cannot be read completely give warnings in
// Report.Warnings next to a usable report.
func Explain(r io.Reader, opts ...Option) (*Report, error) {
	o := buildOptions(opts)
	b, err := io.ReadAll(io.LimitReader(r, int64(o.MaxSize)+1))
	if err != nil {
		return nil, fmt.Errorf("ndr: reading message: %w", err)
	}
	if len(b) > o.MaxSize {
		return nil, &LimitError{What: "size", Limit: o.MaxSize}
	}
	return explain(b, o)
}

// ExplainBytes is Explain for a message held in memory. b is not
// modified.
func ExplainBytes(b []byte, opts ...Option) (*Report, error) {
	o := buildOptions(opts)
	if len(b) > o.MaxSize {
		return nil, &LimitError{What: "size", Limit: o.MaxSize}
	}
	return explain(b, o)
}

// ExplainText explains the text of a bounce without its header, as a
// user copies it from a mail program or a forwarded message: "Delivery
// has failed to these recipients ...", "<a@b>: host x said: 550 ...".
// Hand-masked parts such as [×××.×××.×××.×××] are kept as they are.
func ExplainText(text string, opts ...Option) (*Report, error) {
	o := buildOptions(opts)
	if len(text) > o.MaxSize {
		return nil, &LimitError{What: "size", Limit: o.MaxSize}
	}
	n := stripMboxLine(normalizeNewlines([]byte(text)))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	m := &message{raw: string(n), body: string(n), pasted: true}
	return analyse(m, o)
}

// IsPastedText reports whether b looks like bounce text without a message
// header, which ExplainText reads, rather than a whole message.
func IsPastedText(b []byte) bool {
	n := normalize(b)
	return len(bytes.TrimSpace(n)) > 0 && !looksLikeHeader(headerStart(n))
}

func explain(b []byte, o *Options) (*Report, error) {
	m, err := read(b, o)
	if err != nil {
		return nil, err
	}
	return analyse(m, o)
}

// read turns the input into a message: the newline normalisation, the
// mbox handling and the MIME walk, everything before the analysis.
func read(b []byte, o *Options) (*message, error) {
	n := stripMboxLine(normalizeNewlines(b))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	// The input is copied once; all that follows reads the copy.
	raw := string(n)
	if !looksLikeHeader(raw) {
		// Pasted text is read as it is, without mbox splitting.
		return &message{raw: raw, body: raw, pasted: true}, nil
	}
	more := false
	if k := nextMboxMessage(n); k >= 0 {
		raw, more = raw[:k], true
	}
	m, err := readMessage(raw, o)
	if err != nil {
		return nil, err
	}
	if more {
		m.warnings = append(m.warnings, Warning{Err: fmt.Errorf("%w: the input holds more than one message; only the first was read (see SplitMbox)", ErrMbox)})
	}
	return m, nil
}

// analyse runs the detectors over a read message and builds the report.
func analyse(m *message, o *Options) (*Report, error) {
	m.prepare()
	rep := &Report{
		Subject:  m.subject,
		From:     m.from,
		Warnings: m.warnings,
		Original: m.original,
	}
	if m.dsn != nil {
		rep.ReportingMTA = hostOf(fieldOf(m.dsn.Message, "Reporting-MTA"))
		if t, err := mailDate(fieldOf(m.dsn.Message, "Arrival-Date")); err == nil {
			rep.ArrivalDate = t
		}
	}
	switch {
	case isFeedback(m):
		rep.Kind = KindFeedback
		rep.FeedbackType = strings.ToLower(fieldOf(m.feedback, "Feedback-Type"))
		rep.Recipients = feedbackRecipients(m)
	case isAutoReply(m):
		rep.Kind = KindAutoReply
		rep.Recipients = autoReplyRecipients(m)
	default:
		rep.Recipients = decode(m)
		if len(rep.Recipients) == 0 {
			return nil, ErrNotBounce
		}
		rep.Kind = kindOf(rep.Recipients)
	}
	if !m.hasOriginal {
		if o, ok := originalInBody(m); ok {
			rep.Original = o
		}
	}
	for i := range rep.Recipients {
		finish(&rep.Recipients[i], m)
	}
	if !o.NoExplanations {
		explainRecipients(rep, m, o)
	}
	if len(rep.Recipients) == 0 {
		return nil, ErrNotBounce
	}
	return rep, nil
}

// kindOf derives the report's kind from its recipients' actions.
func kindOf(rs []Recipient) Kind {
	all := func(a Action) bool {
		for _, r := range rs {
			if r.Action != a {
				return false
			}
		}
		return true
	}
	switch {
	case all(ActionDelivered) || all(ActionRelayed) || all(ActionExpanded):
		return KindDelivery
	case all(ActionDelayed):
		return KindDelay
	}
	return KindFailure
}

// hostOf strips an RFC 3464 type prefix ("dns; mx.example.com") and
// brackets from a host value.
func hostOf(v string) string {
	_, h := typedValue(v)
	h = strings.TrimSpace(h)
	if k := strings.IndexAny(h, " \t"); k > 0 {
		h = h[:k]
	}
	return strings.Trim(h, "[]<>;")
}

// explainRecipients adds the remedy catalogue's explanations.
func explainRecipients(rep *Report, m *message, o *Options) {
	c := o.Catalogue
	if c == nil {
		c = remedy.Default()
	}
	tag := o.Language
	if tag == language.Und {
		tag = language.English
	}
	human := truncateRunes(m.bounceText(), 4000)
	// When each recipient's sending server gives up (Will-Retry-Until of
	// a delay DSN), by the recipient's address.
	var until map[string]time.Time
	if m.dsn != nil {
		for _, fs := range m.dsn.Recipients {
			t, err := mailDate(fieldOf(fs, "Will-Retry-Until"))
			if err != nil {
				continue
			}
			_, final := typedValue(fieldOf(fs, "Final-Recipient"))
			if a := cleanAddress(final); a != "" {
				if until == nil {
					until = map[string]time.Time{}
				}
				until[a] = t
			}
		}
	}
	// The catalogue keeps nothing of the facts, so one list of texts
	// serves every recipient.
	texts := make([]string, 3)
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		texts[0], texts[1], texts[2] = r.Cause.Text, r.Diagnostic, human
		f := remedy.Facts{
			Reason:    string(r.Reason),
			ReplyCode: r.ReplyCode,
			Texts:     texts,
			Recipient: r.Recipient,
			RemoteMTA: r.RemoteMTA,
			Temporary: r.Temporary,
			Action:    string(r.Action),
		}
		if r.Action == ActionDelayed {
			f.RetryUntil = until[r.Recipient]
		}
		if !r.StatusInferred {
			f.Status = r.Status.String()
		}
		if r.Cause.Code != 0 && r.Cause.Code != r.ReplyCode {
			f.ReplyCode = r.Cause.Code
		}
		r.Explanations = c.Explain(f, tag)
	}
}
