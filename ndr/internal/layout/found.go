package layout

import (
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// found collects the recipients that one detector reads, in the order it
// reads them. It keeps at most max recipients whose address is valid
// (and at most max others, which a later step may still complete) and
// only counts the rest, so that a report that lists a great many
// recipients costs memory for the ones reported, not for all of them.
//
// Beyond the cap it still keeps the first entry of each address in want:
// the recipients of the report's delivery-status part, which the text's
// entries complete (see Decode); and, for an address of want, as many
// entries that name it as the address they were expanded from as the
// part has recipients with that address, since those entries are the
// ones the part's recipients stand for.
type found struct {
	// max is the cap on the recipients of each kind kept; 0 means none.
	max int
	// maxDiag is Options.MaxDiagnostic.
	maxDiag int
	// valid says whether an address counts towards max; nil counts all.
	valid func(addr string) bool
	// want holds lower-cased addresses kept beyond the cap, each with
	// the number of the DSN's recipients that name it; nil for none.
	want map[string]int

	rs     []record.Recipient // the recipients kept
	n      int                // every recipient added, kept or not
	good   int                // kept recipients whose address is valid
	bad    int                // kept recipients whose address is not
	over   int                // recipients with a valid address not kept
	wanted map[string]bool    // the addresses of want kept beyond the cap
	// children counts, by address of want, the entries kept beyond the
	// cap that were expanded from it.
	children map[string]int
	spare    *record.Recipient // the last recipient added, when not kept; made when needed
	kept     bool              // whether the last recipient added was kept
	// checked, when ok, is the last address isValid judged and its
	// verdict: keeps and add ask about the same address in turn.
	checked struct {
		addr      string
		valid, ok bool
	}
}

// newFound returns an empty collection with the limits of opts.
func newFound(opts Options, want map[string]int) *found {
	return &found{max: opts.MaxRecipients, maxDiag: opts.MaxDiagnostic, valid: opts.Valid, want: want}
}

// isValid reports whether addr counts towards the cap.
func (f *found) isValid(addr string) bool {
	if f.valid == nil {
		return true
	}
	if c := &f.checked; !c.ok || c.addr != addr {
		c.addr, c.valid, c.ok = addr, f.valid(addr), true
	}
	return f.checked.valid
}

// keeps reports whether a recipient with address addr, added next, would
// be kept. A detector asks it to skip the work of building a recipient
// that would only be counted; it still adds the recipient (its address
// is enough) so that the count is right.
func (f *found) keeps(addr string) bool {
	if f.max <= 0 {
		return true
	}
	if f.isValid(addr) {
		if f.good < f.max {
			return true
		}
	} else if f.bad < f.max {
		return true
	}
	if f.want == nil {
		return false
	}
	k := strings.ToLower(addr)
	return f.want[k] > 0 && !f.wanted[k]
}

// add puts r at the end of the collection, or only counts it when the
// collection keeps no more recipients like it.
func (f *found) add(r record.Recipient) {
	f.n++
	f.kept = true
	switch {
	case f.max <= 0:
	case f.isValid(r.Recipient) || r.ListedName != "" || r.AsListed:
		// A recipient listed by name, or by an address the layout
		// vouches for, is reported as one with a valid address is.
		if f.good < f.max {
			f.good++
		} else if f.kept = f.keepWanted(r); !f.kept {
			f.over++
		}
	case f.bad < f.max:
		f.bad++
	default:
		f.kept = f.keepWanted(r)
	}
	if !f.kept {
		if f.spare == nil {
			f.spare = new(record.Recipient)
		}
		*f.spare = r
		return
	}
	f.rs = append(f.rs, r)
}

// keepWanted reports whether r, beyond the cap, is the first entry of
// an address of want, or one of the entries for the address it was
// expanded from that want still has room for, and notes it as kept.
func (f *found) keepWanted(r record.Recipient) bool {
	k := strings.ToLower(r.Recipient)
	if f.want[k] > 0 && !f.wanted[k] {
		if f.wanted == nil {
			f.wanted = map[string]bool{}
		}
		f.wanted[k] = true
		return true
	}
	o := strings.ToLower(r.OriginalRecipient)
	if o == "" || o == k || f.children[o] >= f.want[o] {
		return false
	}
	if f.children == nil {
		f.children = map[string]int{}
	}
	f.children[o]++
	return true
}

// last returns the recipient added last, for a detector that completes
// it from the lines that follow, or nil when none was added. When that
// recipient was not kept, the changes go to a spare copy.
func (f *found) last() *record.Recipient {
	switch {
	case f.n == 0:
		return nil
	case f.kept:
		return &f.rs[len(f.rs)-1]
	}
	return f.spare
}

// count returns the number of recipients added, kept or not.
func (f *found) count() int { return f.n }

// cutDiagnostics shortens each diagnostic kept to
// maxDiag+utf8.UTFMax bytes (see Options.MaxDiagnostic), so that what
// is done with each recipient's diagnostic from here on costs no more
// than the caller keeps of it, however many recipients share a long
// text. Control bytes, which the diagnostic does not keep (see
// capRecipients in package ndr and dsn.CleanText), are dropped first, so that the
// bytes kept are the same with the cap as without it (unless the text
// holds more control bytes than the limit within twice the limit).
func (f *found) cutDiagnostics() {
	if f.maxDiag <= 0 {
		return
	}
	limit := f.maxDiag + utf8.UTFMax
	for i := range f.rs {
		f.rs[i].Diagnostic = dsn.CleanTextCut(f.rs[i].Diagnostic, limit)
	}
}

// join returns the pieces joined, or only their first
// 2*(maxDiag+utf8.UTFMax) bytes when they are longer (see
// Options.MaxDiagnostic and cutDiagnostics, which cuts them to the
// half), for a diagnostic that each recipient builds from a text they
// share.
func (f *found) join(pieces ...string) string {
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	limit := f.maxDiag + utf8.UTFMax
	if f.maxDiag <= 0 || n <= limit {
		return strings.Join(pieces, "")
	}
	// Twice the limit, for cutDiagnostics to drop control bytes from.
	var b strings.Builder
	b.Grow(2 * limit)
	for _, p := range pieces {
		b.WriteString(p[:min(len(p), 2*limit-b.Len())])
	}
	return b.String()
}

// addDSN adds the recipients of the per-recipient blocks of ds, turned
// into recipients one block at a time, so that no list of them all is
// built. edit, when not nil, is applied to each recipient before it is
// added; it returns false to leave the recipient out.
func (f *found) addDSN(ds *dsn.DeliveryStatus, edit func(r *record.Recipient) bool) {
	one := dsn.DeliveryStatus{Message: ds.Message}
	for i := range ds.Recipients {
		one.Recipients = ds.Recipients[i : i+1]
		for _, r := range dsn.RecipientsOf(&one) {
			if edit == nil || edit(&r) {
				f.add(r)
			}
		}
	}
}
