package ndr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/layout"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// maxWarningText is the longest text of one warning, in bytes.
const maxWarningText = 300

// capRecipients keeps the first o.MaxRecipients of rs and cuts each
// diagnostic to o.MaxDiagnostic bytes, with a warning in rep for each
// limit reached, and returns what it kept. leftOut counts the recipients
// that the layouts already left out, after rs.
func capRecipients(rep *Report, rs []record.Recipient, leftOut int, o *Options) []record.Recipient {
	if n := len(rs) + leftOut; n > o.MaxRecipients {
		rs = rs[:min(len(rs), o.MaxRecipients):min(len(rs), o.MaxRecipients)]
		rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: %d recipients were left out", &LimitError{What: "recipients", Limit: o.MaxRecipients}, n-len(rs))})
	}
	cut := 0
	for i := range rs {
		r := &rs[i]
		// A NUL or other control byte that a broken or hostile report
		// puts in its text has no meaning in a reply and no place in
		// the output (JSON, a database's text column); a carriage
		// return, vertical tab or form feed parts words and becomes a
		// space (dsn.CleanText). It goes before the cut, so that the
		// diagnostic keeps as many of the other bytes (the layouts
		// have cut it to a few bytes beyond the limit).
		r.Diagnostic = dsn.CleanText(r.Diagnostic)
		if len(r.Diagnostic) > o.MaxDiagnostic {
			r.Diagnostic = textutil.CutUTF8(r.Diagnostic, o.MaxDiagnostic)
			cut++
		}
	}
	if cut > 0 {
		rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: the diagnostic text of %d recipients was cut", &LimitError{What: "diagnostic", Limit: o.MaxDiagnostic}, cut)})
	}
	return rs
}

// validRecipients keeps the recipients whose address is a valid mailbox
// address (see validAddress), in place, and those that the report lists
// by name or by an address whose dots break its syntax (see
// record.Recipient ListedName and AsListed); for pasted text also those
// whose domain the user masked (see maskedAddress), marked Masked. A
// recipient that a report's own structure names (a layout other than the
// generic text reader's: a DSN's Final-Recipient, an MTA's list of
// failed addresses) by an address whose domain is valid but whose local
// part is not (bytes that are not UTF-8, more than maxLocalPart octets)
// is kept without its address, so that its failure is not lost; bad
// counts those and named holds the first maxNamedBad of their addresses. Candidates of the
// generic reader that are not addresses are dropped.
func validRecipients(rs []record.Recipient, pasted bool) (out []record.Recipient, bad int, named []string) {
	out = rs[:0]
	for _, r := range rs {
		switch {
		case validAddress(r.Recipient):
		case r.Recipient == "" && r.ListedName != "", r.AsListed:
			// Listed by name, or by an address that its layout vouches
			// for although it breaks RFC 5321's syntax.
		case pasted && maskedAddress(r.Recipient):
			r.Masked = true
		case r.DecodedBy != layout.GenericName && badLocalPart(r.Recipient):
			if len(named) < maxNamedBad {
				named = append(named, textutil.CutUTF8(strings.ToValidUTF8(r.Recipient, "\uFFFD"), 48))
			}
			bad++
			r.Recipient, r.OriginalRecipient = "", ""
		default:
			continue
		}
		out = append(out, r)
	}
	return out, bad, named
}

// maxNamedBad is how many of the invalid addresses that validRecipients
// keeps the recipients of without them are quoted in the warning.
const maxNamedBad = 3

// badLocalPart reports whether a is an address with a valid domain and
// a local part that is not valid.
func badLocalPart(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || len(a)-at-1 > 255 {
		return false
	}
	d := a[at+1:]
	if textutil.IsASCII(d) {
		return validASCIIDomain(d)
	}
	return utf8.ValidString(d) && validDomain(d)
}

// capWarnings keeps at most max warnings, the last of them saying how
// many were left out, and shortens the text of each to maxWarningText
// bytes. The warnings that change what the report means (a limit that
// cut recipients or text, a quoted or attached bounce, a recipient
// without an address, an mbox) are kept before the others, which are
// left out first; the order of those kept is unchanged.
func capWarnings(ws []Warning, limit int) []Warning {
	if len(ws) > limit {
		keep := limit - 1
		key := 0
		for _, w := range ws {
			if keyWarning(w) {
				key++
			}
		}
		// Of the other warnings, the first room ones are kept.
		room := max(keep-key, 0)
		out := make([]Warning, 0, limit)
		for _, w := range ws {
			switch {
			case len(out) == keep:
			case keyWarning(w):
				out = append(out, w)
			case room > 0:
				room--
				out = append(out, w)
			}
		}
		ws = append(out, Warning{Err: fmt.Errorf("%w: %d more warnings were left out", &LimitError{What: "warnings", Limit: limit}, len(ws)-len(out))})
	}
	for i := range ws {
		if ws[i].Err != nil && len(ws[i].Err.Error()) > maxWarningText {
			ws[i].Err = shortError{ws[i].Err}
		}
	}
	return ws
}

// keyWarning reports whether w changes what a report means, and so is
// kept first when warnings are left out.
func keyWarning(w Warning) bool {
	for _, e := range []error{ErrLimit, ErrQuoted, ErrAttached, ErrNoAddress, ErrMbox} {
		if errors.Is(w, e) {
			return true
		}
	}
	return false
}

// shortError is an error whose text is cut to maxWarningText bytes; it
// still unwraps to the error it shortens.
type shortError struct{ err error }

func (e shortError) Error() string { return textutil.CutUTF8(e.err.Error(), maxWarningText-3) + "..." }
func (e shortError) Unwrap() error { return e.err }
