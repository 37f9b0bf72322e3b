package ndr

import (
	"fmt"

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
// address (see validAddress), in place; for pasted text also those whose
// domain the user masked (see maskedAddress), marked Masked.
func validRecipients(rs []record.Recipient, pasted bool) []record.Recipient {
	out := rs[:0]
	for _, r := range rs {
		switch {
		case validAddress(r.Recipient):
		case pasted && maskedAddress(r.Recipient):
			r.Masked = true
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}

// capWarnings keeps at most max warnings, the last of them saying how
// many were left out, and shortens the text of each to maxWarningText
// bytes.
func capWarnings(ws []Warning, max int) []Warning {
	if len(ws) > max {
		left := len(ws) - max + 1
		ws = append(ws[:max-1:max-1], Warning{Err: fmt.Errorf("%w: %d more warnings were left out", &LimitError{What: "warnings", Limit: max}, left)})
	}
	for i := range ws {
		if ws[i].Err != nil && len(ws[i].Err.Error()) > maxWarningText {
			ws[i].Err = shortError{ws[i].Err}
		}
	}
	return ws
}

// shortError is an error whose text is cut to maxWarningText bytes; it
// still unwraps to the error it shortens.
type shortError struct{ err error }

func (e shortError) Error() string { return textutil.CutUTF8(e.err.Error(), maxWarningText-3) + "..." }
func (e shortError) Unwrap() error { return e.err }
