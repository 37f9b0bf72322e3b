package layout

import (
	"context"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// A detector reads one bounce layout. It recognises the layout by its own
// markers (subject, sender, header fields, body text) and adds the
// recipients it finds to out, or none when the message is not in its
// layout. Detectors see the message after the MIME walk; they never
// modify it.
type detector struct {
	// name is reported in Recipient.DecodedBy.
	name string
	// detect reads the message.
	detect func(m *mime.Message, out *found)
	// authoritative says that the layout's own text is more precise than
	// its delivery-status part (a provider that puts its wrapper code in
	// Status and the remote reply in the text): the status, reply code and
	// diagnostic it reads replace the DSN's instead of only filling gaps.
	authoritative bool
}

// detectors lists the layout detectors in the order they are tried: the
// sending MTAs' layouts, then those of mail providers and receivers, the
// generic text scanner last. The first one that finds recipients wins.
// There is no registration at run time: a new layout is one more entry in
// mtaDetectors or providerDetectors.
var detectors = concatDetectors(mtaDetectors, providerDetectors)

// GenericName is the name of the generic text scanner, which Decode runs
// after the detectors with the limits of Options.
const GenericName = "text"

func concatDetectors(lists ...[]detector) []detector {
	var out []detector
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Options bound the work of Decode.
type Options struct {
	// MaxAddresses caps the address mentions the generic text scanner
	// reads; 0 means no cap.
	MaxAddresses int
	// MaxRecipients caps the recipients Decode keeps: the first
	// MaxRecipients whose address Valid accepts (and as many others),
	// in the report's order; the rest are only counted. 0 means no cap.
	MaxRecipients int
	// Valid says which addresses count towards MaxRecipients, as the
	// caller keeps only those; nil counts every address.
	Valid func(addr string) bool
	// MaxDiagnostic is the longest diagnostic the caller keeps, in bytes;
	// 0 means no limit. Decode reads and returns no more of a diagnostic
	// than a few bytes (utf8.UTFMax) beyond it, so that the caller's cut
	// at a character boundary and its test of the length come out the
	// same, while what is done with each recipient's diagnostic costs no
	// more than the caller keeps of it.
	MaxDiagnostic int
}

// Cuts says which limits of Options Decode reached.
type Cuts struct {
	// Addresses is true when the generic text scanner stopped at
	// Options.MaxAddresses.
	Addresses bool
	// Recipients counts the recipients with a valid address that were
	// left out beyond Options.MaxRecipients.
	Recipients int
}

// Decode finds the recipients of a failure, delay or delivery report. The
// DSN part, when there is one, gives the recipients and their fields; the
// text detectors add what the DSN lacks (the remote server's own code
// behind a generic X.0.0 status, an empty diagnostic), and give the
// recipients by themselves when there is no DSN.
//
// Decode stops early, returning nil, when ctx ends; the caller reports
// ctx's error. Beyond opts.MaxRecipients the recipients are counted, not
// kept, so that its memory does not grow with their number.
func Decode(ctx context.Context, m *mime.Message, opts Options) (rs []record.Recipient, cuts Cuts) {
	fromDSN := newFound(opts, nil)
	if m.DSN != nil {
		fromDSN.addDSN(m.DSN, nil)
	}
	// The text's entries complete those of the DSN: beyond the cap, the
	// entries of the DSN's recipients are kept too.
	var want map[string]int
	if fromDSN.count() > 0 {
		want = make(map[string]int, len(fromDSN.rs))
		for _, r := range fromDSN.rs {
			want[strings.ToLower(r.Recipient)]++
		}
	}
	var fromText *found
	var by string
	var auth bool
	// One collection serves every detector in turn: only add changes
	// it, so a detector that adds nothing leaves it as it was made.
	f := newFound(opts, want)
	for _, d := range detectors {
		if ctx.Err() != nil {
			return nil, Cuts{}
		}
		if d.detect(m, f); f.count() > 0 {
			fromText, by, auth = f, d.name, d.authoritative
			break
		}
	}
	if fromText == nil && ctx.Err() == nil {
		fromText = f
		cuts.Addresses = detectGeneric(m, opts.MaxAddresses, fromText)
		by = GenericName
	} else if fromText != nil && m.Pasted && m.DSN == nil && ctx.Err() == nil {
		pastedBeside(m, opts, fromText, by)
	}
	if fromText == nil {
		return nil, Cuts{}
	}
	fromText.cutDiagnostics()
	fromDSN.cutDiagnostics()
	text := fromText.rs
	for i := range text {
		if text[i].DecodedBy == "" {
			text[i].DecodedBy = by
		}
	}
	if fromDSN.count() == 0 {
		cuts.Recipients = fromText.over
		return text, cuts
	}
	byAddr := make(map[string]int, len(text))
	for i := len(text) - 1; i >= 0; i-- {
		byAddr[strings.ToLower(text[i].Recipient)] = i
	}
	children := expandedEntries(text, want)
	for i := range fromDSN.rs {
		r := &fromDSN.rs[i]
		t, ok := children.next(r.Recipient, byAddr)
		if ok {
			// The DSN names the address the sender wrote where the
			// text names the one it was expanded to, which failed.
			r.Recipient = t.Recipient
		} else if t, ok = matchRecipient(text, fromText.count(), byAddr, r.Recipient, fromDSN.count()); !ok {
			continue
		}
		if auth {
			overrideText(r, t)
		}
		mergeText(r, t)
	}
	cuts.Recipients = fromDSN.over
	return fromDSN.rs, cuts
}

// pastedBeside adds to the recipients that the layout by read from
// pasted text those that the generic scanner finds followed by a failing
// reply of their own and that the layout did not name: a user may paste
// two bounces of different formats together, and a layout reads only
// its own. A layout's collection that the cap already cut is left as it
// is, since the addresses it left out are not known.
func pastedBeside(m *mime.Message, opts Options, f *found, by string) {
	if f.count() != len(f.rs) {
		return
	}
	have := make(map[string]bool, len(f.rs))
	for i := range f.rs {
		if f.rs[i].DecodedBy == "" {
			f.rs[i].DecodedBy = by
		}
		have[strings.ToLower(f.rs[i].Recipient)] = true
	}
	n := len(f.rs)
	detectOwners(m, opts.MaxAddresses, f, have)
	for i := n; i < len(f.rs); i++ {
		f.rs[i].DecodedBy = GenericName
	}
}

// matchRecipient finds the text detector's entry for a DSN recipient: by
// address (byAddr maps each lower-cased address of rs to its first
// entry), or the only entry when both name one recipient. nText and nDSN
// are the numbers of recipients the text and the DSN name, kept or not.
func matchRecipient(rs []record.Recipient, nText int, byAddr map[string]int, addr string, nDSN int) (record.Recipient, bool) {
	if i, ok := byAddr[strings.ToLower(addr)]; ok {
		return rs[i], true
	}
	if nText == 1 && nDSN == 1 {
		return rs[0], true
	}
	return record.Recipient{}, false
}

// expanded holds the text's entries for addresses that an alias or a
// forward made, by the lower-cased address they were expanded from, in
// the text's order, for the DSN recipients that name that address
// instead of theirs: Exim writes the top address of the redirection as
// every such block's Final-Recipient (src/src/deliver.c,
// print_dsn_addr_action), Sendmail the one given in the RCPT command,
// which its alias children inherit (sendmail/recipient.c, q_finalrcpt),
// while their texts name the failed address with "(generated from
// alias)" or "(expanded from: alias)" under it.
type expanded map[string][]record.Recipient

// expandedEntries returns the entries of text that name the address
// they were expanded from, other than their own, for the DSN recipients
// whose lower-cased addresses dsn counts: an entry whose own address a
// DSN recipient names is that one's.
func expandedEntries(text []record.Recipient, dsn map[string]int) expanded {
	var e expanded
	for _, t := range text {
		if t.OriginalRecipient == "" || strings.EqualFold(t.OriginalRecipient, t.Recipient) || !mailaddr.IsAddress(t.Recipient) {
			continue
		}
		if dsn[strings.ToLower(t.Recipient)] > 0 {
			continue
		}
		if e == nil {
			e = expanded{}
		}
		k := strings.ToLower(t.OriginalRecipient)
		e[k] = append(e[k], t)
	}
	return e
}

// next returns the first entry not yet taken that was expanded from
// addr, a DSN recipient's address that no entry of the text names as
// its own (byAddr), and takes it.
func (e expanded) next(addr string, byAddr map[string]int) (record.Recipient, bool) {
	k := strings.ToLower(addr)
	if len(e[k]) == 0 {
		return record.Recipient{}, false
	}
	if _, ok := byAddr[k]; ok {
		return record.Recipient{}, false
	}
	t := e[k][0]
	e[k] = e[k][1:]
	return t, true
}

// overrideText puts what an authoritative detector read in place of the
// DSN's fields; mergeText then fills the rest.
func overrideText(r *record.Recipient, t record.Recipient) {
	if !t.Status.IsZero() {
		r.Status = t.Status
	}
	if t.ReplyCode != 0 {
		r.ReplyCode = t.ReplyCode
	}
	if t.Diagnostic != "" {
		r.Diagnostic = t.Diagnostic
	}
}

// hasReplyCode reports whether text carries an SMTP reply code.
func hasReplyCode(text string) bool {
	for r := range enhancedcode.Replies(text) {
		if r.Code != 0 {
			return true
		}
	}
	return false
}

// hasReply reports whether text carries an SMTP reply or enhanced status
// code.
func hasReply(text string) bool {
	for range enhancedcode.Replies(text) {
		return true
	}
	return false
}

// mergeText completes a DSN recipient with what a text detector read.
func mergeText(r *record.Recipient, t record.Recipient) {
	if t.DecodedBy != "" && t.DecodedBy != GenericName {
		r.DecodedBy = t.DecodedBy
	}
	// A DSN may name a pipe or a file as the final recipient; the text
	// names the address it was delivered for.
	if !mailaddr.IsAddress(r.Recipient) && mailaddr.IsAddress(t.Recipient) {
		r.Recipient = t.Recipient
	}
	if r.Diagnostic == "" || (!hasReply(r.Diagnostic) && hasReply(t.Diagnostic)) {
		if t.Diagnostic != "" {
			r.Diagnostic = t.Diagnostic
		}
	} else if d := dsn.UnfoldLines([]string{r.Diagnostic}); len(t.Diagnostic) > len(d) && strings.HasPrefix(t.Diagnostic, d) {
		// The DSN kept only the first line of a multi-line reply.
		r.Diagnostic = t.Diagnostic
	} else if t.Diagnostic != d && textutil.EqualWithoutSpace(t.Diagnostic, d) {
		// The DSN's field was folded inside a word ("Ma\n ximum").
		r.Diagnostic = t.Diagnostic
	}
	if r.ReplyCode == 0 && !hasReplyCode(r.Diagnostic) {
		// The reply code of the DSN's own diagnostic wins; classify.Finish reads it.
		r.ReplyCode = t.ReplyCode
	}
	if (r.Status.IsZero() || r.Status.Subject() == 0 && r.Status.Detail() == 0) && !t.Status.IsZero() {
		r.Status = t.Status
	}
	if r.Command == "" {
		r.Command = t.Command
	}
	if r.Command == "" {
		r.Command = dsn.CommandOf(t.Diagnostic)
	}
	if r.RemoteMTA == "" {
		r.RemoteMTA = t.RemoteMTA
	}
	// A DSN that repeats the final recipient as the original one says
	// less than a text that names the alias it was expanded from.
	if t.OriginalRecipient != "" && (r.OriginalRecipient == "" || strings.EqualFold(r.OriginalRecipient, r.Recipient)) {
		r.OriginalRecipient = t.OriginalRecipient
	}
	if r.Reason == "" {
		r.Reason, r.Evidence = t.Reason, t.Evidence
	}
}
