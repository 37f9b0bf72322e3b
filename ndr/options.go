package ndr

import (
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

// Options tune Explain. The zero value of a limit, or a negative one,
// means its default.
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
	// (DefaultMaxDepth), with the same treatment as MaxParts. The work
	// on a nested message grows with the square of its depth, so a
	// limit far above the default (hundreds) lets deeply nested input
	// cost much more than its size.
	MaxDepth int
	// MaxRecipients is the largest number of recipients reported
	// (DefaultMaxRecipients); the rest are left out with a warning that
	// counts them. They are counted as they are read, not kept, so that
	// the memory a report takes does not grow with their number.
	MaxRecipients int
	// MaxDiagnostic is the longest diagnostic text kept per recipient,
	// in bytes (DefaultMaxDiagnostic); a longer one is cut at a
	// character boundary, with a warning. The analysis of a recipient
	// reads no more than a few bytes of its diagnostic beyond the limit.
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
	// Phrases are the caller's additions to the phrasebook (LoadPhrases);
	// nil for none.
	Phrases *Phrases
}

// Option changes one setting of Explain.
type Option func(*Options)

// WithLimits sets the input limits; a zero or negative argument keeps
// its default.
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
		if opts.Phrases != nil {
			o.Phrases = opts.Phrases
		}
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
