package ndr

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

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
	// DefaultMaxRecipients is the default largest number of recipients
	// in one report.
	DefaultMaxRecipients = 1000
	// DefaultMaxDiagnostic is the default longest diagnostic text kept
	// per recipient, in bytes.
	DefaultMaxDiagnostic = 8 << 10
	// DefaultMaxAddresses is the default largest number of address
	// mentions the text scanner reads in a bounce that no known layout
	// describes.
	DefaultMaxAddresses = 10000
	// DefaultMaxWarnings is the default largest number of warnings in
	// one report.
	DefaultMaxWarnings = 32
)

// Options tune Explain. The zero value of a field means its default.
type Options struct {
	// MaxSize is the largest input read, in bytes (DefaultMaxSize).
	// Larger input gives a *LimitError.
	MaxSize int
	// MaxParts is the largest number of MIME parts (DefaultMaxParts).
	// The walk stops at the limit: what was read before it is reported,
	// with a warning wrapping a *LimitError; a *LimitError is returned
	// only when nothing before the limit can be reported.
	MaxParts int
	// MaxDepth is the deepest nesting of multipart entities
	// (DefaultMaxDepth), with the same treatment as MaxParts.
	MaxDepth int
	// MaxRecipients is the largest number of recipients reported
	// (DefaultMaxRecipients); the rest are left out with a warning.
	MaxRecipients int
	// MaxDiagnostic is the longest diagnostic text kept per recipient,
	// in bytes (DefaultMaxDiagnostic); a longer one is cut at a
	// character boundary, with a warning.
	MaxDiagnostic int
	// MaxAddresses is the largest number of address mentions the text
	// scanner reads in a bounce of no known layout (DefaultMaxAddresses);
	// the rest of the text is not scanned, with a warning.
	MaxAddresses int
	// MaxWarnings is the largest number of warnings in a report
	// (DefaultMaxWarnings); the last one kept says how many were left
	// out. Each warning's text is at most a few hundred bytes.
	MaxWarnings int
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
		for _, l := range []struct {
			to *int
			v  int
		}{
			{&o.MaxRecipients, opts.MaxRecipients},
			{&o.MaxDiagnostic, opts.MaxDiagnostic},
			{&o.MaxAddresses, opts.MaxAddresses},
			{&o.MaxWarnings, opts.MaxWarnings},
		} {
			if l.v > 0 {
				*l.to = l.v
			}
		}
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
	o := &Options{
		MaxSize: DefaultMaxSize, MaxParts: DefaultMaxParts, MaxDepth: DefaultMaxDepth,
		MaxRecipients: DefaultMaxRecipients, MaxDiagnostic: DefaultMaxDiagnostic,
		MaxAddresses: DefaultMaxAddresses, MaxWarnings: DefaultMaxWarnings,
	}
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
	return ExplainContext(context.Background(), r, opts...)
}

// ExplainContext is Explain with a context: when ctx ends, it stops
// promptly and returns ctx's error (context.Canceled or
// context.DeadlineExceeded), so that a service can put a deadline on
// each bounce.
func ExplainContext(ctx context.Context, r io.Reader, opts ...Option) (*Report, error) {
	o := buildOptions(opts)
	b, err := io.ReadAll(io.LimitReader(r, int64(o.MaxSize)+1))
	if err != nil {
		return nil, fmt.Errorf("ndr: reading message: %w", err)
	}
	if len(b) > o.MaxSize {
		return nil, &LimitError{What: "size", Limit: o.MaxSize}
	}
	return explain(ctx, b, o)
}

// ExplainBytes is Explain for a message held in memory. b is not
// modified.
func ExplainBytes(b []byte, opts ...Option) (*Report, error) {
	return ExplainBytesContext(context.Background(), b, opts...)
}

// ExplainBytesContext is ExplainBytes with a context, as ExplainContext.
func ExplainBytesContext(ctx context.Context, b []byte, opts ...Option) (*Report, error) {
	o := buildOptions(opts)
	if len(b) > o.MaxSize {
		return nil, &LimitError{What: "size", Limit: o.MaxSize}
	}
	return explain(ctx, b, o)
}

// ExplainText explains the text of a bounce without its header, as a
// user copies it from a mail program or a forwarded message: "Delivery
// has failed to these recipients ...", "<a@b>: host x said: 550 ...".
// Hand-masked parts such as [×××.×××.×××.×××] are kept as they are.
func ExplainText(text string, opts ...Option) (*Report, error) {
	return ExplainTextContext(context.Background(), text, opts...)
}

// ExplainTextContext is ExplainText with a context, as ExplainContext.
func ExplainTextContext(ctx context.Context, text string, opts ...Option) (*Report, error) {
	o := buildOptions(opts)
	if len(text) > o.MaxSize {
		return nil, &LimitError{What: "size", Limit: o.MaxSize}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := stripMboxLine(normalizeNewlines([]byte(text)))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	m := &message{raw: string(n), body: string(n), pasted: true}
	return analyse(ctx, m, o)
}

// IsPastedText reports whether b looks like bounce text without a message
// header, which ExplainText reads, rather than a whole message.
func IsPastedText(b []byte) bool {
	n := normalize(b)
	return len(bytes.TrimSpace(n)) > 0 && !looksLikeHeader(headerStart(n))
}

func explain(ctx context.Context, b []byte, o *Options) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := read(b, o)
	if err != nil {
		return nil, err
	}
	return analyse(ctx, m, o)
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
func analyse(ctx context.Context, m *message, o *Options) (*Report, error) {
	m.ctx, m.maxAddresses = ctx, o.MaxAddresses
	if err := ctx.Err(); err != nil {
		return nil, err
	}
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
		rep.Recipients = validRecipients(decode(m))
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if m.addressesCut {
			rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: the rest of the text was not scanned for recipients", &LimitError{What: "addresses", Limit: o.MaxAddresses})})
		}
		if len(rep.Recipients) == 0 {
			if m.limit != nil {
				// The walk stopped at a limit before anything it could
				// report: the limit, not the message, is the answer.
				return nil, m.limit
			}
			return nil, ErrNotBounce
		}
		rep.Kind = kindOf(rep.Recipients)
	}
	if !m.hasOriginal {
		if o, ok := originalInBody(m); ok {
			rep.Original = o
		}
	}
	capRecipients(rep, o)
	for i := range rep.Recipients {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		finish(&rep.Recipients[i], m)
	}
	if !o.NoExplanations {
		explainRecipients(ctx, rep, m, o)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(rep.Recipients) == 0 {
		return nil, ErrNotBounce
	}
	rep.Warnings = capWarnings(rep.Warnings, o.MaxWarnings)
	return rep, nil
}

// validRecipients keeps the recipients whose address is a valid mailbox
// address (see validAddress), in place.
func validRecipients(rs []Recipient) []Recipient {
	out := rs[:0]
	for _, r := range rs {
		if validAddress(r.Recipient) {
			out = append(out, r)
		}
	}
	return out
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
func explainRecipients(ctx context.Context, rep *Report, m *message, o *Options) {
	c := o.Catalogue
	if c == nil {
		c = remedy.Default()
	}
	tag := o.Language
	if tag == language.Und {
		tag = language.English
	}
	human := truncateRunes(m.bounceText(), 4000)
	// The catalogue keeps nothing of the facts, so one list of texts
	// serves every recipient.
	texts := make([]string, 3)
	for i := range rep.Recipients {
		if i%64 == 0 && ctx.Err() != nil {
			return
		}
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
