package remedy

import (
	"errors"
	"fmt"
	"strings"
)

// Errors wrapped by LoadError. Test for them with errors.Is.
var (
	// ErrNoFiles: a pattern given to Load or Extend matched no file.
	ErrNoFiles = errors.New("no files match")
	// ErrSyntax: a file is not valid JSON or a value has the wrong JSON type.
	ErrSyntax = errors.New("bad JSON")
	// ErrUnknownField: a file contains a field the format does not define.
	ErrUnknownField = errors.New("unknown field")
	// ErrMissing: a required field is absent or empty.
	ErrMissing = errors.New("missing value")
	// ErrInvalid: a field has a value outside its allowed set or syntax.
	ErrInvalid = errors.New("invalid value")
	// ErrDuplicate: an entry ID or receiver name occurs twice in one load.
	ErrDuplicate = errors.New("duplicate")
)

// LoadError reports a problem in a catalogue data file. Use errors.As to
// get it and errors.Is to test Err against ErrMissing, ErrInvalid, ...
type LoadError struct {
	File  string // file name within the fs.FS, or the pattern for ErrNoFiles
	Entry string // entry ID, "" when the problem is outside an entry or the ID is missing
	Index int    // position of the entry (or receiver) in its file, -1 when not applicable
	Field string // JSON path of the field inside the entry, e.g. "text.ja.title"
	Err   error  // the kind of problem (ErrMissing, ErrInvalid, ...), possibly wrapping a cause
}

// Error returns a message naming the file, the entry and the field.
func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("remedy: ")
	b.WriteString(e.File)
	switch {
	case e.Entry != "":
		fmt.Fprintf(&b, ": entry %q", e.Entry)
	case e.Index >= 0:
		fmt.Fprintf(&b, ": item %d", e.Index)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %q", e.Field)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("error")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }
