package ndr

import (
	"errors"
	"io/fs"

	"github.com/ndrkit/ndrkit/ndr/internal/classify"
)

// Phrases are a caller's additions to the phrasebook that classifies
// reasons: the wordings of the servers a user meets that the built-in
// phrasebook does not know. Load them with LoadPhrases and pass them to
// Explain with WithPhrases; their phrases are tried before the built-in
// ones of the same tier.
type Phrases struct {
	pb *classify.Phrasebook
}

// PhraseError is an error in a phrasebook file: the file, the line (0
// for the file as a whole) and what is wrong there.
type PhraseError struct {
	// File is the file's name in the fs.FS.
	File string
	// Line is the line, counted from 1; 0 when the error is about the
	// file as a whole.
	Line int
	// Err is the error.
	Err error
}

func (e *PhraseError) Error() string {
	return (&classify.PhraseError{File: e.File, Line: e.Line, Err: e.Err}).Error()
}

func (e *PhraseError) Unwrap() error { return e.Err }

// LoadPhrases reads the phrasebook files of fsys that match the patterns
// (fs.Glob patterns; "*.txt" when none are given), in the order of their
// names. A file is read line by line:
//
//	# a comment
//	[phrase]                   the tier: override, phrase, general or fallback
//	@source where the wording comes from
//	mailboxfull casella (?:piena|satura)
//	suspend account sospeso ;; a source for this line only
//
// A phrase line is a reason of the vocabulary (see Reasons) and a
// regular expression in lower case, matched against the lower-cased
// diagnostic; it must hold a literal of two bytes or more. Every phrase
// needs a source. Errors are *PhraseError.
func LoadPhrases(fsys fs.FS, patterns ...string) (*Phrases, error) {
	pb, err := classify.ParsePhrases(fsys, patterns...)
	if err != nil {
		if pe, ok := errors.AsType[*classify.PhraseError](err); ok {
			return nil, &PhraseError{File: pe.File, Line: pe.Line, Err: pe.Err}
		}
		return nil, err
	}
	return &Phrases{pb: pb}, nil
}

// WithPhrases classifies with the caller's phrases besides the built-in
// phrasebook.
func WithPhrases(p *Phrases) Option {
	return func(o *Options) { o.Phrases = p }
}
