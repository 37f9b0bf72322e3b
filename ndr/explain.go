package ndr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/ndr/internal/classify"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/layout"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
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
	n := mime.StripMboxLine(mime.NormalizeNewlines([]byte(text)))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	m := &mime.Message{Raw: string(n), Body: string(n), Pasted: true}
	return analyse(m, o)
}

// IsPastedText reports whether b looks like bounce text without a message
// header, which ExplainText reads, rather than a whole message.
func IsPastedText(b []byte) bool {
	n := mime.Normalize(b)
	return len(bytes.TrimSpace(n)) > 0 && !mime.LooksLikeHeader(mime.HeaderStart(n))
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
func read(b []byte, o *Options) (*mime.Message, error) {
	n := mime.StripMboxLine(mime.NormalizeNewlines(b))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	// The input is copied once; all that follows reads the copy.
	raw := string(n)
	if !mime.LooksLikeHeader(raw) {
		// Pasted text is read as it is, without mbox splitting.
		return &mime.Message{Raw: raw, Body: raw, Pasted: true}, nil
	}
	more := false
	if k := mime.NextMboxMessage(n); k >= 0 {
		raw, more = raw[:k], true
	}
	m, err := mime.Walk(raw, mime.Limits{
		MaxSize: o.MaxSize, MaxParts: o.MaxParts, MaxDepth: o.MaxDepth,
		ErrTruncated: ErrTruncated, ErrUnknownCharset: ErrUnknownCharset,
	})
	if err != nil {
		if le, ok := errors.AsType[*mime.LimitError](err); ok {
			return nil, &LimitError{What: le.What, Limit: le.Limit}
		}
		return nil, err
	}
	if more {
		m.Warnings = append(m.Warnings, mime.Warning{Err: fmt.Errorf("%w: the input holds more than one message; only the first was read (see SplitMbox)", ErrMbox)})
	}
	return m, nil
}

// analyse runs the detectors over a read message and builds the report.
func analyse(m *mime.Message, o *Options) (*Report, error) {
	m.Prepare()
	rep := &Report{
		Subject:  m.Subject,
		From:     m.From,
		Warnings: publicWarnings(m.Warnings),
	}
	original := m.Original
	if m.DSN != nil {
		rep.ReportingMTA = dsn.HostOf(dsn.FieldOf(m.DSN.Message, "Reporting-MTA"))
		if t, err := dsn.MailDate(dsn.FieldOf(m.DSN.Message, "Arrival-Date")); err == nil {
			rep.ArrivalDate = t
		}
	}
	var rs []record.Recipient
	switch {
	case layout.IsFeedback(m):
		rep.Kind = KindFeedback
		rep.FeedbackType = strings.ToLower(dsn.FieldOf(m.Feedback, "Feedback-Type"))
		rs = layout.FeedbackRecipients(m)
	case layout.IsAutoReply(m):
		rep.Kind = KindAutoReply
		rs = layout.AutoReplyRecipients(m)
	default:
		rs = layout.Decode(m)
		if len(rs) == 0 {
			return nil, ErrNotBounce
		}
		rep.Kind = kindOf(rs)
	}
	if !m.HasOriginal {
		if o, ok := mime.OriginalInBody(m); ok {
			original = o
		}
	}
	rep.Original = publicOriginal(original)
	for i := range rs {
		classify.Finish(&rs[i], m)
	}
	rep.Recipients = publicRecipients(rs)
	if !o.NoExplanations {
		explainRecipients(rep, m, o)
	}
	if len(rep.Recipients) == 0 {
		return nil, ErrNotBounce
	}
	return rep, nil
}

// kindOf derives the report's kind from its recipients' actions.
func kindOf(rs []record.Recipient) Kind {
	all := func(a record.Action) bool {
		for _, r := range rs {
			if r.Action != a {
				return false
			}
		}
		return true
	}
	switch {
	case all(record.ActionDelivered) || all(record.ActionRelayed) || all(record.ActionExpanded):
		return KindDelivery
	case all(record.ActionDelayed):
		return KindDelay
	}
	return KindFailure
}

// explainRecipients adds the remedy catalogue's explanations.
func explainRecipients(rep *Report, m *mime.Message, o *Options) {
	c := o.Catalogue
	if c == nil {
		c = remedy.Default()
	}
	tag := o.Language
	if tag == language.Und {
		tag = language.English
	}
	human := textutil.TruncateRunes(m.BounceText(), 4000)
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
		if !r.StatusInferred {
			f.Status = r.Status.String()
		}
		if r.Cause.Code != 0 && r.Cause.Code != r.ReplyCode {
			f.ReplyCode = r.Cause.Code
		}
		r.Explanations = c.Explain(f, tag)
	}
}
