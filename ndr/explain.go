package ndr

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/ndr/internal/classify"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/layout"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
	"github.com/ndrkit/ndrkit/remedy"
)

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
	return explain(ctx, b, true, o)
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
	return explain(ctx, b, false, o)
}

// ExplainText explains the text of a bounce without its header, as a
// user copies it from a mail program or a forwarded message: "Delivery
// has failed to these recipients ...", "<a@b>: host x said: 550 ...".
// Hand-masked parts such as [×××.×××.×××.×××] are kept as they are;
// text copied from an HTML view (tags, &lt; &gt;, <br>) is read as the
// text it shows, and quote marks ("> ") on every line are taken off.
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
	n := mime.StripMboxLine(mime.NormalizeNewlines([]byte(text)))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	// n is a copy of text that nothing else holds.
	return analyseForwarded(ctx, mime.Pasted(ownedString(n)), o)
}

// IsPastedText reports whether b looks like bounce text without a message
// header, which ExplainText reads, rather than a whole message.
func IsPastedText(b []byte) bool {
	n := mime.Normalize(b)
	return len(bytes.TrimSpace(n)) > 0 && !mime.LooksLikeHeader(mime.HeaderStart(n))
}

// explain reads and analyses b; owned says that b is ndr's own buffer,
// which nothing else holds or changes.
func explain(ctx context.Context, b []byte, owned bool, o *Options) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := read(b, owned, o)
	if err != nil {
		return nil, err
	}
	return analyseForwarded(ctx, m, o)
}

// onlyGeneric reports whether every recipient of rep was read by the
// generic reader of free text, none by a report's layout.
func onlyGeneric(rep *Report) bool {
	for _, r := range rep.Recipients {
		if r.DecodedBy != layout.GenericName {
			return false
		}
	}
	return len(rep.Recipients) > 0
}

// maxForwarded bounds the forwarding lines analyseForwarded reads past.
const maxForwarded = 4

// analyseForwarded is analyse that, when a message reports nothing,
// reads the bounce it forwards in its place: for pasted text, the text
// after a copy marker that ends its bounce text, the bounce that a user
// forwarded below a note of their own ("Please see the error below.
// -----Original Message----- ..."); for a message, the message it
// carries as an attachment (a mail program's "forward as attachment").
// Each step reads a shorter text, at most maxForwarded of them; a
// message forwarded deeper than that gives a *LimitError ("forwarded").
func analyseForwarded(ctx context.Context, m *mime.Message, o *Options) (*Report, error) {
	rep, err := analyse(ctx, m, o)
	var carriers []*mime.Message
	// A person's message that forwards a bounce as an attachment may name
	// addresses in its own note ("the mail to yamamoto@... came back, cc
	// manager@..."), which the generic reader takes for recipients; the
	// attached report's delivery-status fields say which recipients
	// failed and how, and are read instead.
	//
	// The same holds for a bounce forwarded below the note, pasted or in
	// the body of a person's message ("営業部 木村 (kimura@example.co.jp)
	// -----Original Message----- ..."): when a report's layout reads the
	// forwarded text, its recipients are taken instead of the note's
	// addresses. A mail system's own message is not a note: the text
	// after its marker is the message it returns, which may itself be a
	// bounce (a bounce of a bounce), and is not read in its place.
	var inline *mime.Message // the message that forwarded the bounce in its body
	if err == nil && onlyGeneric(rep) {
		if next, ok := m.Attached(walkLimits(o)); ok && next.DSN != nil {
			if inner, ierr := analyse(ctx, next, o); ierr == nil && len(inner.Recipients) > 0 {
				carriers = append(carriers, m)
				m, rep = next, inner
			}
		} else if next, ok := m.Forwarded(); ok && (m.Pasted || layout.IsPersonal(m)) {
			if inner, ierr := analyse(ctx, next, o); ierr == nil && len(inner.Recipients) > 0 && !onlyGeneric(inner) {
				if !m.Pasted {
					inline = m
				}
				m, rep = next, inner
			}
		}
	}
	for step := 0; errors.Is(err, ErrNotBounce); step++ {
		if step == 0 && !m.Pasted && (layout.IsMemberNotice(m) || layout.IsDigest(m)) {
			// A mailing list's notice to a member carries a bounce
			// of its delivery to the member (a probe's sample), and
			// its digest carries its members' posts: never a bounce
			// that someone forwarded. (A notice to the list's owner
			// may carry a bounce that the list could not read, which
			// is read.)
			break
		}
		next, ok := m.Forwarded()
		if ok && !m.Pasted && inline == nil {
			inline = m
		}
		attached := false
		if !ok {
			next, ok = m.Attached(walkLimits(o))
			attached = ok
		}
		if !ok {
			break
		}
		if step == maxForwarded {
			return nil, &LimitError{What: "forwarded", Limit: maxForwarded}
		}
		if attached {
			carriers = append(carriers, m)
		}
		m = next
		rep, err = analyse(ctx, m, o)
	}
	if err != nil {
		return nil, err
	}
	if len(carriers) > 0 {
		rep.Warnings = append(rep.Warnings, attachedWarnings(rep.Warnings, carriers)...)
	}
	if inline != nil && layout.IsPersonal(inline) && !slices.ContainsFunc(rep.Warnings, func(w Warning) bool { return errors.Is(w, ErrQuoted) }) {
		rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w (subject %q)", ErrQuoted, inline.Subject)})
	}
	rep.Warnings = capWarnings(rep.Warnings, o.MaxWarnings)
	return rep, nil
}

// attachedWarnings returns the warnings for a bounce read from a message
// attached to the carriers, outermost first: ErrAttached always, and
// ErrQuoted, unless have holds it, when a carrier is a message a person
// wrote.
func attachedWarnings(have []Warning, carriers []*mime.Message) []Warning {
	ws := []Warning{{Err: fmt.Errorf("%w (subject %q)", ErrAttached, carriers[0].Subject)}}
	for _, w := range have {
		if errors.Is(w, ErrQuoted) {
			return ws
		}
	}
	for _, c := range carriers {
		if layout.IsPersonal(c) {
			return append(ws, Warning{Err: fmt.Errorf("%w (subject %q)", ErrQuoted, c.Subject)})
		}
	}
	return ws
}

// walkLimits returns the MIME walk's limits from o.
func walkLimits(o *Options) mime.Limits {
	return mime.Limits{
		MaxSize: o.MaxSize, MaxParts: o.MaxParts, MaxDepth: o.MaxDepth,
		ErrTruncated: ErrTruncated, ErrUnknownCharset: ErrUnknownCharset, ErrMalformed: ErrMalformed,
	}
}

// ownedString returns b as a string without copying it. The caller must
// hold the only reference to b and never change it afterwards: the
// string, and every part of the report cut from it, shares b's memory.
func ownedString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// read turns the input into a message: the newline normalisation, the
// mbox handling and the MIME walk, everything before the analysis.
func read(b []byte, owned bool, o *Options) (*mime.Message, error) {
	// NormalizeNewlines copies b when it holds a CR.
	owned = owned || bytes.IndexByte(b, '\r') >= 0
	n := mime.StripMboxLine(mime.NormalizeNewlines(b))
	if len(bytes.TrimSpace(n)) == 0 {
		return nil, ErrEmpty
	}
	// The input is copied at most once (not at all when n is ndr's own
	// buffer); all that follows reads the copy.
	raw := string(n)
	if owned {
		raw = ownedString(n)
	}
	if !mime.LooksLikeHeader(raw) {
		// Pasted text is read as it is, without mbox splitting.
		return mime.Pasted(raw), nil
	}
	more := false
	if k := mime.NextMboxMessage(n); k >= 0 {
		raw, more = raw[:k], true
	}
	m, err := mime.Walk(raw, walkLimits(o))
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

// warnListAddress warns in rep when the one recipient of a mailing
// list's notice about a post, rs, names no list address.
func warnListAddress(rep *Report, rs []record.Recipient) {
	if rs[0].Recipient == "" {
		rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: the list is reported without an address", ErrNoAddress)})
	}
}

// analyse runs the detectors over a read message and builds the report.
func analyse(ctx context.Context, m *mime.Message, o *Options) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.Prepare()
	rep := &Report{
		Subject:  m.Subject,
		From:     m.From,
		Warnings: publicWarnings(m.Warnings),
	}
	if m.Limit != nil {
		rep.Warnings = append(rep.Warnings, Warning{Part: m.LimitPart, Err: fmt.Errorf("%w: the parts after it were not read", &LimitError{What: m.Limit.What, Limit: m.Limit.Limit})})
	}
	if m.OriginalCutPart != "" {
		rep.Warnings = append(rep.Warnings, Warning{Part: m.OriginalCutPart, Err: fmt.Errorf("%w: the rest of the returned message's header was not read", &LimitError{What: "returned header", Limit: mime.MaxOriginalHeader})})
	}
	original := m.Original
	if m.DSN != nil {
		rep.ReportingMTA = dsn.HostOf(dsn.FieldOf(m.DSN.Message, "Reporting-MTA"))
		if t, err := dsn.MailDate(dsn.FieldOf(m.DSN.Message, "Arrival-Date")); err == nil {
			rep.ArrivalDate = t
		}
	}
	var rs []record.Recipient
	var cuts layout.Cuts
	valid := validAddress
	if m.Pasted {
		// A user who pastes an NDR may have masked its addresses.
		valid = validPastedAddress
	}
	lo := layout.Options{
		MaxAddresses:  o.MaxAddresses,
		MaxRecipients: o.MaxRecipients,
		Valid:         valid,
		MaxDiagnostic: o.MaxDiagnostic,
	}
	ph := layout.ReadPastedHeader(m)
	challenge := layout.ChallengeSystem(m)
	switch {
	case layout.IsDigest(m):
		// Before the notices of a list, whose words a post in the
		// digest may quote.
		return nil, ErrNotBounce
	case layout.IsHeldPost(m):
		// A list's moderator holds the post: not delivered yet, not
		// refused either (Mailman marks the notice as list
		// administrivia too).
		rep.Kind = KindDelay
		rs = layout.HeldPostRecipients(m)
		warnListAddress(rep, rs)
	case layout.IsRefusedPost(m):
		// A list refused the post: its moderator or its policy, not a
		// mail server, decided.
		rs = layout.RefusedPostRecipients(m)
		warnListAddress(rep, rs)
	case layout.IsDispositionNotification(m), layout.IsListNotice(m), layout.IsMemberNotice(m), ph.IsReceipt(), layout.IsGatewayNotice(m, ph.Subject, ph.Failing):
		return nil, ErrNotBounce
	case layout.IsFeedback(m):
		rep.Kind = KindFeedback
		rep.FeedbackType = strings.ToLower(dsn.FieldOf(m.Feedback, "Feedback-Type"))
		// A feedback report's recipients are all reported, whatever
		// their addresses: every one counts towards the cap.
		fo := lo
		fo.Valid = nil
		rs, cuts = layout.FeedbackRecipients(m, fo)
	case layout.IsSieveReject(m):
		rs = layout.SieveRejectRecipients(m, lo)
		if rs[0].Recipient == "" {
			rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: the one recipient is reported without an address", ErrNoAddress)})
		}
	case challenge != "":
		// A challenge-response filter holds the message until the
		// sender confirms it: not delivered, not refused either.
		rep.Kind = KindDelay
		rs = layout.ChallengeRecipients(m, challenge)
	case layout.IsAutoReply(m):
		rep.Kind = KindAutoReply
		rs = layout.AutoReplyRecipients(m)
	case ph.IsAutoReply():
		rep.Kind = KindAutoReply
		rs = []record.Recipient{ph.AutoReplyRecipient()}
	default:
		rs, cuts = layout.Decode(ctx, m, lo)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var bad int
		var named []string
		rs, bad, named = validRecipients(rs, m.Pasted)
		if bad > 0 {
			rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: %d recipients are named by an address that is not a valid mailbox address and are reported without one: %q", ErrNoAddress, bad, named)})
		}
		if len(rs) == 0 && m.Pasted {
			// A pasted reply without the address it was about.
			r, ok := layout.ReplyOnly(m, lo)
			if !ok {
				// A mail program that could not reach its outgoing
				// server: nothing was sent to anyone.
				r, ok = layout.ClientDialog(m, lo)
			}
			if !ok {
				// An NDR whose list shows a name but no address.
				r, ok = layout.HeadingOnly(m, lo)
			}
			if ok {
				rs = append(rs, r)
				if r.ListedName == "" {
					// A named one is warned about below.
					rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: the one recipient is reported without an address", ErrNoAddress)})
				}
			}
		}
		if len(rs) > 0 && layout.IsPersonal(m) {
			rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w (subject %q)", ErrQuoted, m.Subject)})
		}
		if cuts.Addresses {
			rep.Warnings = append(rep.Warnings, Warning{Err: fmt.Errorf("%w: the rest of the text was not scanned for recipients", &LimitError{What: "addresses", Limit: o.MaxAddresses})})
		}
		if len(rs) == 0 {
			if m.Limit != nil {
				// The walk stopped at a limit before anything it could
				// report: the limit, not the message, is the answer.
				return nil, &LimitError{What: m.Limit.What, Limit: m.Limit.Limit}
			}
			return nil, ErrNotBounce
		}
	}
	if !m.HasOriginal {
		if o, ok := mime.OriginalInBody(m); ok {
			original = o
		}
	}
	rep.Original = publicOriginal(original)
	rs = capRecipients(rep, rs, cuts.Recipients, o)
	for i := range rs {
		if rs[i].Recipient == "" && rs[i].ListedName != "" {
			rep.Warnings = append(rep.Warnings, Warning{Err: &NameOnlyError{Index: i, Name: rs[i].ListedName}})
		}
	}
	if m.Pasted {
		layout.LaterFailures(rs, m, classify.FinalAt(m))
	}
	for i := range rs {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var extra *classify.Phrasebook
		if o.Phrases != nil {
			extra = o.Phrases.pb
		}
		classify.FinishWith(&rs[i], m, extra)
	}
	submission := layout.SubmissionRefusal(m)
	if submission {
		// The sender's own outgoing server refused the message while
		// the mail program submitted it: a size limit it names is the
		// sending side's, not the recipient's.
		for i := range rs {
			if rs[i].Reason == record.ReasonMesgTooBig {
				rs[i].Reason = record.ReasonExceedLimit
				rs[i].Evidence += "; refused by the sender's own outgoing server at submission"
			}
		}
	}
	if rep.Kind == "" {
		// After FinishWith, which gives an action to the recipients of
		// a layout that states none (a pasted delay notice).
		rep.Kind = kindOf(rs)
	}
	rep.Recipients = publicRecipients(rs)
	if !o.NoExplanations {
		explainRecipients(ctx, rep, m, o, reporterOf(rep, ph), submission)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
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
	case !slices.ContainsFunc(rs, func(r record.Recipient) bool {
		return r.Action != record.ActionDelivered && r.Action != record.ActionRelayed && r.Action != record.ActionExpanded
	}):
		// Every recipient delivered, relayed or expanded (RFC 3464
		// section 2.3.3), in any mix: nothing failed.
		return KindDelivery
	case all(record.ActionDelayed):
		return KindDelay
	}
	return KindFailure
}

// explainRecipients adds the remedy catalogue's explanations; reportedBy
// and submission are the facts of the whole report (remedy.Facts
// ReportedBy and Submission).
func explainRecipients(ctx context.Context, rep *Report, m *mime.Message, o *Options, reportedBy string, submission bool) {
	c := o.Catalogue
	if c == nil {
		c = remedy.Default()
	}
	tag := o.Language
	if tag == language.Und {
		tag = language.English
	}
	addrs, originals := reportAddresses(rep.Recipients)
	human := splitHuman(m.BounceText(), addrs)
	// When each recipient's sending server gives up (Will-Retry-Until of
	// a delay DSN), by the recipient's address.
	var until map[string]time.Time
	setUntil := func(final, when string) {
		t, err := dsn.MailDate(when)
		if err != nil {
			return
		}
		_, final = dsn.TypedValue(final)
		if a := mailaddr.CleanAddress(final); a != "" {
			if until == nil {
				until = map[string]time.Time{}
			}
			until[a] = t
		}
	}
	if m.DSN != nil {
		for _, fs := range m.DSN.Recipients {
			setUntil(dsn.FieldOf(fs, "Final-Recipient"), dsn.FieldOf(fs, "Will-Retry-Until"))
		}
	} else if m.Pasted {
		// A pasted delay notice with its DSN fields copied as text.
		for final, when := range dsn.RetryUntilLines(m.BounceText(), len(rep.Recipients)) {
			setUntil(final, when)
		}
	}
	// How long the sending server keeps trying, when the notice says so
	// in words ("It will be retried until it is 5 day(s) old").
	var limit dsn.RetryLimit
	if slices.ContainsFunc(rep.Recipients, func(r Recipient) bool { return r.Action == ActionDelayed }) {
		limit, _ = dsn.RetryLimitOf(m.BounceText())
	}
	sender := senderOf(rep, m)
	unreachable := noServerReached(rep.Recipients, rep.Original)
	autoResponse, listMessage := rep.Original.AutoResponse(), rep.Original.ListMessage()
	// The catalogue keeps nothing of the facts, so one list of texts
	// serves every recipient.
	texts := make([]string, 4)
	for i := range rep.Recipients {
		if i%64 == 0 && ctx.Err() != nil {
			return
		}
		r := &rep.Recipients[i]
		texts[0], texts[1] = r.Cause.Text, r.Diagnostic
		texts[2], texts[3] = human.For(r.Recipient, originals[i])
		if layout.IsLog(r.DecodedBy) {
			// The other lines of a pasted log are about other
			// recipients and messages.
			texts[2], texts[3] = "", ""
		}
		cause := ""
		if wrapped(r) {
			cause, texts[0] = r.Cause.Text, ""
		}
		switch r.DecodedBy {
		case record.DecodedByChallenge:
			// The filter's own words are its user's to choose; the
			// evidence names the filter.
			texts[0] = r.Evidence
		case record.DecodedBySieve:
			// So are a Sieve script's ("mailbox full" may be a
			// pretext): the recipient's filter refused, whatever it
			// says.
			texts[0], texts[1] = r.Evidence, ""
		}
		f := remedy.Facts{
			Reason:    string(r.Reason),
			ReplyCode: r.ReplyCode,
			Texts:     texts,
			Cause:     cause,
			Recipient: r.Recipient,
			RemoteMTA: r.RemoteMTA,
			Temporary: r.Temporary,
			Action:    string(r.Action),

			Sender:            sender,
			OriginalRecipient: originalRecipient(r),
			Local:             decidedLocally(r),
			Unreachable:       unreachable,
			ReportedBy:        reportedBy,
			ReportingMTA:      cmp.Or(r.ReportingMTA, rep.ReportingMTA),
			Submission:        submission,
			AutoResponse:      autoResponse,
			ListMessage:       listMessage,
		}
		if r.Action == ActionDelayed {
			f.RetryUntil = until[r.Recipient]
			if f.RetryUntil.IsZero() && limit.For > 0 {
				f.RetryUntil, f.RetryFor, f.RetryFromArrival = retryEnd(limit, noticeDate(m), r.ArrivalDate, rep.ArrivalDate)
			}
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

// reportAddresses returns the addresses by which the report's text may
// name its recipients: each final address, and each address the sender
// wrote that belongs to that recipient alone (an alias expanded to
// several addresses names none of them alone). originals holds, by
// recipient index, the address the sender wrote when it is one of those,
// else "".
func reportAddresses(rs []Recipient) (addrs, originals []string) {
	seen := make(map[string]int, len(rs))
	addrs = make([]string, 0, len(rs))
	for i := range rs {
		addrs = append(addrs, rs[i].Recipient)
		seen[strings.ToLower(rs[i].Recipient)]++
	}
	for i := range rs {
		if o := originalRecipient(&rs[i]); o != "" {
			seen[strings.ToLower(o)]++
		}
	}
	originals = make([]string, len(rs))
	for i := range rs {
		if o := originalRecipient(&rs[i]); o != "" && seen[strings.ToLower(o)] == 1 {
			originals[i] = o
			addrs = append(addrs, o)
		}
	}
	return addrs, originals
}

// senderOf returns the address the returned message was sent from: its
// From address, else its envelope sender (the returned header's
// Return-Path, or Postfix's X-Postfix-Sender, in the delivery-status
// part or in the fields of a report given as text); "" when the report
// does not say. The work is linear in the bounce text.
func senderOf(rep *Report, m *mime.Message) string {
	if a := mailaddr.FirstAddress(rep.Original.From); mailaddr.IsAddress(a) {
		return a
	}
	if a := mailaddr.CleanAddress(rep.Original.Get("Return-Path")); mailaddr.IsAddress(a) {
		return a
	}
	if m.DSN != nil {
		_, v := dsn.TypedValue(dsn.FieldOf(m.DSN.Message, "X-Postfix-Sender"))
		if a := mailaddr.CleanAddress(v); mailaddr.IsAddress(a) {
			return a
		}
		return ""
	}
	// Delivery-status fields written as text (a pasted Postfix report):
	// the first X-Postfix-Sender line.
	if loc := textmatch.LineMatch(postfixSenderLine, m.BounceText(), mime.LowerBounce(m), "x-postfix-sender:"); loc != nil {
		_, v := dsn.TypedValue(strings.TrimSpace(m.BounceText()[loc[2]:loc[3]]))
		if a := mailaddr.CleanAddress(v); mailaddr.IsAddress(a) {
			return a
		}
	}
	return ""
}

// postfixSenderLine is Postfix's X-Postfix-Sender field on a line of
// text.
var postfixSenderLine = regexp.MustCompile(`(?i)^[ \t]*X-Postfix-Sender:(.*)$`)

// reporterOf returns who wrote the report (see remedy.Facts.ReportedBy):
// the address of its From field, else its Reporting-MTA; for pasted
// text, which has neither, the mail system that a sender line above the
// text names (ph.Reporter).
func reporterOf(rep *Report, ph layout.PastedHeader) string {
	if a := mailaddr.FirstAddress(rep.From); mailaddr.IsAddress(a) {
		return a
	}
	if rep.ReportingMTA != "" {
		return rep.ReportingMTA
	}
	return ph.Reporter()
}

// originalRecipient returns the address the sender wrote for r when the
// report names one other than r's (the DSN's Original-Recipient, or the
// address Postfix notes that r was expanded from); "" otherwise.
func originalRecipient(r *Recipient) string {
	if strings.EqualFold(r.OriginalRecipient, r.Recipient) {
		return ""
	}
	return r.OriginalRecipient
}

// decidedLocally reports whether the host that wrote the report decided
// r's failure itself: no other mail server answered. That is so when the
// remote server is on a loopback address, which is the same host, and
// when the report names no remote server and either gives a
// Diagnostic-Code of the reporting MTA's own type (X-Postfix, X-Unix:
// its delivery agents, not an SMTP reply) or, without one, shows no SMTP
// conversation (no reply, no command), as for a delivery to a mailbox on
// that host. A Sieve reject never is: the recipient's filter decided.
func decidedLocally(r *Recipient) bool {
	switch {
	case r.DecodedBy == record.DecodedBySieve:
		// The recipient's own filter refused, on the recipient's
		// server, which wrote the notice without an SMTP reply.
		return false
	case r.RemoteMTA != "":
		return isLoopback(r.RemoteMTA)
	case r.DiagnosticType != "":
		return !strings.EqualFold(r.DiagnosticType, "smtp")
	}
	return r.ReplyCode == 0 && r.Cause.Code == 0 && len(r.Replies) == 0 && r.Command == ""
}

// isLoopback reports whether a remote MTA as the report names it
// ("127.0.0.1", "localhost[127.0.0.1]", "[::1]") is on a loopback
// address.
func isLoopback(host string) bool {
	// A loopback address in text holds "127." (IPv4) or a colon (IPv6);
	// most hosts hold neither, nor "localhost".
	if textutil.IsASCII(host) && strings.IndexByte(host, ':') < 0 && !strings.Contains(host, "127.") && !textutil.ContainsLower(host, "localhost") {
		return false
	}
	for f := range strings.FieldsFuncSeq(host, func(r rune) bool { return r == ' ' || r == '[' || r == ']' || r == '(' || r == ')' }) {
		if strings.EqualFold(strings.TrimSuffix(f, "."), "localhost") {
			return true
		}
		if ip, err := netip.ParseAddr(strings.TrimPrefix(strings.ToLower(f), "ipv6:")); err == nil && ip.IsLoopback() {
			return true
		}
	}
	return false
}

// noServerReached reports whether the sending server reached the mail
// server of none of rs (see remedy.Facts.Unreachable): every recipient
// failed or was delayed at the connection, with no reply code, for a
// network failure or after retrying one; the recipients are at two or
// more registrable domains served by remote hosts at two or more
// registrable domains (not one shared server that is down); and the
// returned message o was addressed (To, Cc) to no domain outside them,
// since a bounce lists only the recipients that failed and others that
// the message did reach prove that the sending side could connect. A
// connection that was made and then lost (Postfix's "lost connection
// with ... while receiving the initial server greeting", a reset or a
// connection the remote host closed) reached the server. The work is
// linear in the recipients and the returned header.
func noServerReached(rs []Recipient, o Original) bool {
	domains := map[string]bool{}
	hosts := map[string]bool{}
	for i := range rs {
		r := &rs[i]
		if r.ReplyCode != 0 || r.Cause.Code != 0 || r.Command != "CONN" ||
			r.Reason != ReasonNetworkError && r.Reason != ReasonExpired || connectionMade(r.Diagnostic) {
			return false
		}
		d, h := registrableDomain(r.Recipient), registrable(r.RemoteMTA)
		if d == "" || h == "" {
			return false
		}
		domains[d], hosts[h] = true, true
	}
	if len(domains) < 2 || len(hosts) < 2 {
		return false
	}
	for _, f := range []string{o.To, o.Get("Cc")} {
		for _, a := range mailaddr.FindAddresses(f) {
			if d := registrableDomain(a); d != "" && !domains[d] {
				return false
			}
		}
	}
	return true
}

// connectionMade reports whether a diagnostic says that the connection
// to the remote server was made before it failed: Postfix's "lost
// connection with H while ..." (smtp_proto.c), a connection reset by
// the peer, or Exim's "Remote host closed connection".
func connectionMade(diag string) bool {
	return textutil.ContainsFold(diag, "lost connection") || textutil.ContainsFold(diag, "connection reset") ||
		textutil.ContainsFold(diag, "closed connection")
}

// wrapped reports whether r's cause is a remote reply that the
// diagnostic quotes inside an outer reply with other codes, such as
// Exchange's "550 4.4.7 QUEUE.Expired; message expired -> 451 4.7.1 ...",
// and r's status is not the cause's but the outer reply's.
func wrapped(r *Recipient) bool {
	if len(r.Replies) < 2 || r.Cause.Text == "" {
		return false
	}
	outer := r.Replies[0]
	return r.Cause.Start > outer.Start && (r.Cause.Code != outer.Code || r.Cause.Enhanced != outer.Enhanced) &&
		r.Status != r.Cause.Enhanced
}

// registrableDomain returns the registrable domain of addr's domain, or
// "" when addr has none.
func registrableDomain(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	return registrable(addr[at+1:])
}

// registrable returns the registrable domain of the domain or host name
// d (one label below its public suffix), lower case, or "" when there is
// none.
func registrable(d string) string {
	r, err := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(strings.TrimSuffix(d, ".")))
	if err != nil {
		return ""
	}
	return r
}

// retryEnd turns the length of time a delay notice gives for its retries
// into when they end: the notice's date plus the length, or, for a
// length counted from the message's arrival, the recipient's or the
// report's arrival date plus the length. Without the date to count from
// it returns the length to be told as it is.
func retryEnd(l dsn.RetryLimit, notice, arrival, reportArrival time.Time) (time.Time, time.Duration, bool) {
	from := notice
	if l.FromArrival {
		from = arrival
		if from.IsZero() {
			from = reportArrival
		}
	}
	if from.IsZero() {
		return time.Time{}, l.For, l.FromArrival
	}
	return from.Add(l.For), 0, false
}

// noticeDate is the date of the bounce message itself, the zero time for
// pasted text or a message without a valid Date field.
func noticeDate(m *mime.Message) time.Time {
	t, err := dsn.MailDate(dsn.FieldOf(m.Header, "Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}
