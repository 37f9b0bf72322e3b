package classify

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Finish completes a recipient read by a detector: the replies in its
// diagnostic and the innermost one, the remote server's status behind a
// generic one, the SMTP command, the receiver's tokens, the reason,
// temporary and hard-bounce flags, and an inferred status.
func Finish(r *record.Recipient, m *mime.Message) {
	FinishWith(r, m, nil)
}

// FinishWith is Finish with the caller's phrasebook, whose phrases are
// tried before the built-in ones of each tier; nil for none.
func FinishWith(r *record.Recipient, m *mime.Message, extra *Phrasebook) {
	if !r.AsListed {
		// An address kept as the report lists it keeps its dots.
		r.Recipient = mailaddr.CleanAddress(r.Recipient)
	}
	r.Diagnostic = textutil.CollapseSpace(r.Diagnostic)
	r.Replies = enhancedcode.Find(r.Diagnostic)
	r.Cause = innermost(r.Diagnostic, r.Replies)
	if r.ReplyCode == 0 {
		r.ReplyCode = dsn.FirstReplyCode(r.Replies)
	}
	// The remote server's own status, when its reply gives one, tells
	// more than a summary of it that names no condition (X.0.0 or X.Y.0,
	// "other or undefined", or none), as in Exchange's "554 5.7.0 < #5.7.133
	// smtp;550 5.7.133 ...>". A specific status of the report stays: the
	// status and the reply code then come from the same reply, and the
	// inner one stays in Cause. So does an inner status that names no
	// condition (X.Y.0) of another class than a specific one of the
	// report: the reporting MTA gave its own verdict on that reply, as
	// Postfix's "5.7.10 ... refused to start TLS: 454 4.7.0 ...".
	if c := r.Cause.Enhanced; !c.IsZero() && !dsn.IsGeneric(c) && !c.IsSuccess() && (r.Status.IsZero() || r.Status.Detail() == 0 && c.Detail() != 0 ||
		!outerHas(r.Replies, r.Status) && (c.Detail() != 0 || r.Status.Detail() == 0 || c.Class() == r.Status.Class())) {
		r.Status = c
	}
	if r.Status.IsZero() || dsn.IsGeneric(r.Status) {
		for _, rp := range r.Replies {
			if !rp.Enhanced.IsZero() && !dsn.IsGeneric(rp.Enhanced) {
				r.Status = rp.Enhanced
				break
			}
		}
	}
	ldiag := literal.LowerASCII(r.Diagnostic)
	if r.Command == "" {
		r.Command = dsn.CommandOfLower(ldiag)
	}
	r.Command = dsn.NormalizeCommand(r.Command)
	if r.RemoteMTA == "" {
		r.RemoteMTA = remoteOf(ldiag)
	}
	r.Tokens = tokensOf(r.Diagnostic)
	defaulted := r.Action == ""
	// An automatic reply, a feedback report, a post that a mailing list
	// holds for its moderator and a message that a challenge-response
	// filter holds for the sender's confirmation report no delivery
	// attempt: they keep no action.
	if r.Action == "" && r.Reason != record.ReasonVacation && r.Reason != record.ReasonFeedback &&
		!r.IsHeldPost() && r.DecodedBy != record.DecodedByChallenge {
		r.Action = record.ActionFailed
		if (r.Status.IsZero() || r.Status.Temporary()) && delayedText(m) {
			r.Action = record.ActionDelayed
		}
	}
	// A layout that says the sending server's time for the message ran
	// out reports a condition it kept retrying, so a temporary one,
	// whatever code the server then gave the failure; the status that
	// is inferred for it still follows the reply and the status read.
	replyTemporary := isTemporary(r)
	r.Temporary = replyTemporary || r.Reason == record.ReasonExpired && r.IsFailure()
	switch {
	case r.Reason == "" && defaulted && onlySuccess(r):
		// The layout stated no action and the only reply accepted the
		// message, as in a delivery log line "status=sent (250 2.0.0
		// Ok: queued as ...)": it was delivered, not failed. A report
		// that states its action keeps it.
		r.Reason, r.Evidence = record.ReasonDelivered, fmt.Sprintf("reply %d %s", r.Cause.Code, r.Cause.Enhanced)
		r.Action, r.Temporary = record.ActionDelivered, false
	case r.Reason == "":
		r.Reason, r.Evidence = classify(r, ldiag, extra)
	case r.Reason == record.ReasonExpired:
		// A layout that says only that time ran out may still quote
		// the reply that kept the message from being delivered; that
		// reply is the cause to act on.
		if reason, ev := classify(r, ldiag, extra); causeBehindExpiry(reason, ev, r.Status) {
			r.Reason, r.Evidence = reason, ev+"; "+r.Evidence
		}
	}
	r.HardBounce = isHard(r)
	if r.Status.IsZero() && r.IsFailure() {
		r.Status = inferStatus(r.Reason, replyTemporary)
		r.StatusInferred = !r.Status.IsZero()
	}
}

// onlySuccess reports whether r's reply accepted the message: a 2xx
// reply code with a success status or none, and no failing reply
// besides.
func onlySuccess(r *record.Recipient) bool {
	if r.Cause.Code/100 != 2 || !r.Cause.Enhanced.IsZero() && r.Cause.Enhanced.Class() != enhancedcode.Success {
		return false
	}
	for _, rp := range r.Replies {
		if dsn.FailingReply(rp) {
			return false
		}
	}
	return true
}

// isHard decides whether a failure shows that the address is dead: a
// reason about the address itself (userunknown, hostunknown, hasmoved,
// notaccept) on a permanent failure. A temporary failure leaves the
// address alive however it is worded (a greylisting, a deferral, a
// domain that did not resolve this time), with one exception: a final
// report (action failed) whose status is X.1.1, the mailbox does not
// exist, which some servers send with a 4xx reply (Postfix's
// unknown_local_recipient_reject_code = 450 and the like) and which the
// sending MTA has given up on.
func isHard(r *record.Recipient) bool {
	if !r.IsFailure() || !r.Reason.IsHard(!r.Temporary) {
		return false
	}
	if !r.Temporary {
		return true
	}
	return r.Action == record.ActionFailed && r.Reason == record.ReasonUserUnknown && r.Status.Subject() == 1 && r.Status.Detail() == 1
}

// causeBehindExpiry reports whether a classification names a cause of
// its own, read from the reply's words, a status or a receiver's code,
// rather than a fallback on the stage, the reply code or the action.
func causeBehindExpiry(reason record.Reason, ev string, st enhancedcode.Code) bool {
	switch reason {
	case record.ReasonExpired, record.ReasonOnHold, record.ReasonUndefined, record.ReasonDelivered:
		return false
	}
	// A temporary status that says no more than "try again later"
	// (4.X.0, or 4.7.1 as greylisting servers give it: "451 4.7.1
	// Please try again later") decided by itself: the expiry is the
	// news, not a cause.
	if ev == "status "+st.String() && st.Class() == enhancedcode.Transient && (st.Detail() == 0 || st.Subject() == 7 && st.Detail() == 1) {
		return false
	}
	return strings.HasPrefix(ev, "text ") || strings.HasPrefix(ev, "status ") || strings.HasPrefix(ev, "vendor ")
}

// innermost returns the reply that the others wrap: starting from the
// first reply, it follows replies that begin inside the current one's
// text, as "554 4.4.7 ... <451 4.4.0 ... "421 4.7.0 ..."">" nests them.
func innermost(text string, rs []enhancedcode.Reply) enhancedcode.Reply {
	if len(rs) == 0 {
		return enhancedcode.Reply{}
	}
	// In a session transcript the replies before the failure accepted
	// the commands; the first failing reply is the one to follow.
	start := 0
	for i, r := range rs {
		if dsn.FailingReply(r) {
			start = i
			break
		}
	}
	cur := rs[start]
	// q carries the brackets and quotes opened since cur began, so that
	// the text is read once however many replies follow.
	q := quoteScan{text: text, from: cur.Start, pos: cur.Start}
	for _, r := range rs[start+1:] {
		if (r.Code != 0 || quotedStatus(text, cur, r)) && r.Start >= cur.Start && r.Start < cur.End && (dsn.FailingReply(r) || !dsn.FailingReply(cur)) && q.quoted(cur, r) {
			cur = r
			q = quoteScan{text: text, from: cur.Start, pos: cur.Start}
		}
	}
	return cur
}

// quoteScan answers quotedIn for one outer reply and inner replies in
// increasing order of their start, reading the text between them once.
type quoteScan struct {
	text   string
	from   int // the start of the outer reply
	pos    int // the text in [from, pos) is counted in depth and quotes
	depth  int
	quotes int
}

// quoted is quotedIn(q.text, outer, inner), where outer starts at q.from.
func (q *quoteScan) quoted(outer, inner enhancedcode.Reply) bool {
	if outer.Start < 0 || inner.Start > len(q.text) || outer.Start > inner.Start || inner.Start <= q.pos {
		return quotedIn(q.text, outer, inner)
	}
	// The last byte before inner is counted apart: an apostrophe there
	// opens a quote whatever follows it (see quotedIn).
	end := inner.Start - 1
	for ; q.pos < end; q.pos++ {
		q.count(q.pos, false)
	}
	// A colon introduces a quoted reply, and so does Exchange's arrow
	// (see quotedIn).
	if t := strings.TrimRight(q.text[q.from:inner.Start], " \t"); strings.HasSuffix(t, ":") || strings.HasSuffix(t, "->") {
		return true
	}
	depth, quotes := q.depth, q.quotes
	q.count(end, true)
	q.depth, q.quotes, depth, quotes = depth, quotes, q.depth, q.quotes
	return depth > 0 || quotes%2 == 1
}

// count adds the byte at i to the open brackets and quotes; last says
// that i is the last byte before the inner reply.
func (q *quoteScan) count(i int, last bool) {
	switch q.text[i] {
	case '<', '(', '[':
		q.depth++
	case '>', ')', ']':
		if q.depth > 0 {
			q.depth--
		}
	case '"':
		q.quotes++
	case '\'':
		if i == q.from || last || !textutil.IsLetter(q.text[i-1]) || !textutil.IsLetter(q.text[i+1]) {
			q.quotes++
		}
	}
}

// outerHas reports whether the first reply of the diagnostic that
// carries an enhanced status carries st: the report's status is then the
// outer reply's own.
func outerHas(replies []enhancedcode.Reply, st enhancedcode.Code) bool {
	for _, rp := range replies {
		if !rp.Enhanced.IsZero() {
			return rp.Enhanced == st
		}
	}
	return false
}

// quotedStatus reports whether inner is a failing status without a
// reply code that stands right after an opening quote inside outer, as
// in "5.1.0 - Unknown address error '5.7.1 ... Access denied'": the
// quoted server's own status.
func quotedStatus(text string, outer, inner enhancedcode.Reply) bool {
	if inner.Code != 0 || !dsn.FailingReply(inner) || inner.Start <= outer.Start || inner.Start > len(text) {
		return false
	}
	switch text[inner.Start-1] {
	case '\'', '"':
		return true
	}
	return false
}

// quotedIn reports whether inner is quoted inside outer: between the
// start of outer and the start of inner a bracket or quote is left open,
// or the text right before inner ends with a colon ("responded with:",
// "said:") or Exchange's arrow ("... -> 554 5.7.1 ..."). Replies that
// merely follow each other on one unfolded line are not nested.
//
// Exchange Online reports a reply it relays after an arrow: "550 5.7.367
// Remote server returned not permitted to relay -> 554 5.7.1 Relaying
// denied" (learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/
// ndr/forwarded-message-rejected-5-7-367-ndr).
func quotedIn(text string, outer, inner enhancedcode.Reply) bool {
	if outer.Start < 0 || inner.Start > len(text) || outer.Start > inner.Start {
		return false
	}
	between := text[outer.Start:inner.Start]
	if t := strings.TrimRight(between, " \t"); strings.HasSuffix(t, ":") || strings.HasSuffix(t, "->") {
		return true
	}
	depth := 0
	quotes := 0
	for i := 0; i < len(between); i++ {
		switch between[i] {
		case '<', '(', '[':
			depth++
		case '>', ')', ']':
			if depth > 0 {
				depth--
			}
		case '"':
			quotes++
		case '\'':
			// An apostrophe inside a word ("can't") opens nothing.
			if i == 0 || i+1 == len(between) || !textutil.IsLetter(between[i-1]) || !textutil.IsLetter(between[i+1]) {
				quotes++
			}
		}
	}
	return depth > 0 || quotes%2 == 1
}

// isTemporary decides whether the failure as a whole is temporary: the
// sending MTA still retries (delayed), or the condition behind it, as
// the innermost reply or the status tells, is transient.
func isTemporary(r *record.Recipient) bool {
	switch r.Action {
	case record.ActionDelayed:
		return true
	case record.ActionDelivered, record.ActionRelayed, record.ActionExpanded:
		return false
	}
	// A reporting MTA's own permanent verdict on a temporary reply, as
	// Postfix gives "5.7.10" when a server it required TLS of would
	// not start it (src/smtp/smtp_proto.c), ends delivery at once: no
	// retry ran out. Its type is the MTA's own (X-Postfix), not smtp,
	// and the status names a condition other than the delivery time
	// (X.4.7).
	if st := r.ReportedStatus; st.Permanent() && st.Detail() != 0 && !(st.Subject() == enhancedcode.SubjectNetwork && st.Detail() == 7) &&
		r.DiagnosticType != "" && !strings.EqualFold(r.DiagnosticType, "smtp") {
		return false
	}
	if r.Cause.Code != 0 || !r.Cause.Enhanced.IsZero() {
		if r.Cause.Temporary() {
			return true
		}
		if r.Cause.Permanent() {
			return false
		}
	}
	// Exim appends "retry timeout exceeded" to the last error of an
	// address whose temporary failures went on past its retry rules
	// (src/retry.c): the condition was temporary whatever status the
	// final report gives.
	if textutil.ContainsFold(r.Diagnostic, "retry timeout exceeded") {
		return true
	}
	if !r.Status.IsZero() {
		return r.Status.Temporary()
	}
	return r.ReplyCode/100 == 4
}

// delayedText reports whether a report without a DSN says that delivery
// is only delayed and still being tried.
func delayedText(m *mime.Message) bool {
	if m.Delayed == 0 {
		subject := m.LowerSubject
		if len(subject) != len(m.Subject) {
			subject = literal.LowerASCII(m.Subject)
		}
		m.Delayed = -1
		lower := mime.LowerBounce(m)
		if (delayedPattern.Matches(subject) || delayedPattern.Matches(lower)) && !finalPattern.Matches(lower) {
			m.Delayed = 1
		}
	}
	return m.Delayed > 0
}

// delayedPattern matches the lower-cased words of a delay notice.
// Stalwart's (queue/dsn.rs) delay notice is headed "There was a temporary
// problem delivering your message to the following recipients" under the
// subject "Warning: Delay in message delivery"; its notice of delays and
// failures together says "delivering to these addresses" instead, and is
// not matched. Mox's (queue/dsn.go) says "Delivery has been delayed of
// your email to:" under the subject "mail delivery delayed". The
// Japanese words say the same things: the delivery is late (配信が遅れて
// います, 配送が遅延), the server goes on retrying (再送を続けます,
// 再試行を続けます), there is no need to resend (送り直す必要はありません,
// Postfix's "YOU DO NOT NEED TO RESEND YOUR MESSAGE" in a translated
// template), a temporary problem arose while delivering and the sender
// will be told if it fails (Gmail's "There was a temporary problem
// delivering your message ... You'll be notified if the delivery fails
// permanently"; in Japanese, the server will retry, 再試行されます or
// 再試行します, and the sender is told if it fails, 失敗した場合は通知が
// 届きます). A sending service's event record pasted as it shows it
// gives the state as a field, "Status: Deferred" (Twilio SendGrid's
// deferred event, twilio.com/docs/sendgrid/for-developers/tracking-events/event
// and twilio.com/docs/email/concepts/deliverability/deferrals: the
// receiving server refused for now and later attempts may succeed).
var delayedPattern = textmatch.Pat(`\bstatus: +deferred\b|delivery (?:status notification \(delay\)|delayed)|has not yet been delivered|will (?:continue to )?(?:retry|try again)|is delayed|warning: message .* still undelivered|temporary problem delivering your message|delivery has been delayed|warning: delay in message delivery|配[信送]が遅延|配[信送]が遅れてい|(?:再送|再試行|再配送)を続け(?:ます|ています)|(?:送り直す|再送する|再送信する)必要はありません|配信(?:中に|で)一時的な問題が発生しました|配信できなかった場合は(?:お知らせ|通知)します|失敗した場合は、?通知が届きます|再試行(?:されます|します)`)

// finalPattern matches the lower-cased words of a final failure, which
// win over a delay notice's when a user pasted the delay notice and the
// failure that followed it together: Exim's "This is a permanent error"
// and "retry timeout exceeded" (deliver.c, retry.c), Exchange's
// "QUEUE.Expired" and Japanese subject 配信不能 ("Undeliverable"),
// Sendmail's "Message could not be delivered for 5 days".
var finalPattern = textmatch.Pat(`this is a permanent error|retry timeout exceeded|queue\.expired|message could not be delivered for \d+ days?|配信不能`)

// FinalAt returns the offset in m's bounce text of the first words of a
// final failure (finalPattern), or -1.
func FinalAt(m *mime.Message) int {
	if loc := finalPattern.Search(mime.LowerBounce(m)); loc != nil {
		return loc[0]
	}
	return -1
}

// remotePatterns find the remote host in a lower-cased diagnostic. The
// brackets after a host name may hold an address masked by hand
// ("[xxx.xxx.xxx.xxx]", "[×××.×××.×××.×××]").
var remotePatterns = []*textmatch.Pattern{
	textmatch.Pat(`\bhost ([a-z0-9][a-z0-9.-]*[a-z0-9])\s*\[[^\]\s]{1,64}\] said`),
	textmatch.Pat(`\bhost ([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\s*\[[^\]\s]{1,64}\]`),
	textmatch.Pat(`remote server (?:at )?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})`),
	textmatch.Pat(`while talking to ([a-z0-9][a-z0-9.-]*\.[a-z]{2,})`),
	textmatch.Pat(`\bby ([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.? \[[^\]\s]{1,64}\]`),
}

// remoteOf finds the remote host named in a lower-cased diagnostic.
func remoteOf(ldiag string) string {
	for _, p := range remotePatterns {
		if m := p.Submatch(ldiag); m != nil {
			return m[1]
		}
	}
	return ""
}

// tokenPattern matches receivers' own codes: Microsoft's (S775),
// (S3150) and AS(201806281), Yahoo's [TSS04] and [BL21], Orange's OFR_506,
// Comcast's and others' bracketed codes.
var tokenPattern = regexp.MustCompile(`\((S\d{3,5})\)|\b(AS\(\d{3,}\))|\[((?:TSS|TS|BL|PH|CS|SC|RL|DY|TH|HM|HME)\d{1,3})\]|\b((?:OFR|LPN)\d{0,3}_\d{3})\b|\b((?:CXBL|CXDNS|CXSNDR|CXTHRT|CXCNCT|CXMJ|IPBL|RDNS|URLBL|ES|HL|RL|BL)\d{2,8})\b|\b(AUP#[A-Za-z]+(?:-?\d{3,5})?)|\b((?:SC|RP)-\d{3}(?:-\d{3})?)\b`)

// The kinds of byte that tokensOf tells apart in one table lookup.
const (
	tokenSpace uint8 = 1 << iota // ASCII white space, which ends a word
	tokenUpper                   // an upper-case ASCII letter
	tokenDigit                   // a digit or "#"
)

// tokenKinds gives each byte its kind for tokensOf.
var tokenKinds = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case textutil.ASCIISpace[c] != 0:
			t[c] = tokenSpace
		case textutil.IsUpper(byte(c)):
			t[c] = tokenUpper
		case textutil.IsDigit(byte(c)) || c == '#':
			t[c] = tokenDigit
		}
	}
	return t
}()

// tokensOf lists the receiver codes in a diagnostic, each once. No match
// of tokenPattern holds white space, and every match holds an upper-case
// letter and a digit or "#"; so the expression runs only on the words
// that have both, which gives the matches it finds in the whole text (a
// word's ends are word boundaries, as the white space around it is).
func tokensOf(diag string) []string {
	var out []string
	for i := 0; i < len(diag); {
		for i < len(diag) && textutil.ASCIISpace[diag[i]] != 0 {
			i++
		}
		j := i
		var seen uint8
		for ; j < len(diag); j++ {
			k := tokenKinds[diag[j]]
			if k == tokenSpace {
				break
			}
			seen |= k
		}
		if seen == tokenUpper|tokenDigit {
			for _, m := range tokenPattern.FindAllStringSubmatch(diag[i:j], -1) {
				for _, g := range m[1:] {
					if g != "" && !slices.Contains(out, g) {
						out = append(out, g)
					}
				}
			}
		}
		i = j
	}
	return out
}

// pseudoDetail gives the X.0.9NN detail of an inferred status for each
// reason, the convention of the reason vocabulary for "status inferred
// from the text"; reasons without one get a registered code.
var pseudoDetail = map[record.Reason]enhancedcode.Code{
	record.ReasonUndefined:       {5, 0, 900},
	record.ReasonOnHold:          {5, 0, 901},
	record.ReasonNoRelaying:      {5, 0, 909},
	record.ReasonFiltered:        {5, 0, 910},
	record.ReasonUserUnknown:     {5, 0, 911},
	record.ReasonHostUnknown:     {5, 0, 912},
	record.ReasonRejected:        {5, 0, 918},
	record.ReasonSuspend:         {5, 0, 921},
	record.ReasonMailboxFull:     {5, 0, 922},
	record.ReasonSystemError:     {5, 0, 930},
	record.ReasonNotAccept:       {5, 0, 932},
	record.ReasonMesgTooBig:      {5, 0, 934},
	record.ReasonMailerError:     {5, 0, 939},
	record.ReasonNetworkError:    {5, 0, 944},
	record.ReasonExpired:         {5, 0, 947},
	record.ReasonBlocked:         {5, 0, 971},
	record.ReasonRequirePTR:      {5, 0, 973},
	record.ReasonFailedSTARTTLS:  {5, 0, 976},
	record.ReasonSpamDetected:    {5, 0, 980},
	record.ReasonHasMoved:        {5, 1, 6},
	record.ReasonExceedLimit:     {5, 2, 3},
	record.ReasonSystemFull:      {5, 3, 1},
	record.ReasonTooManyConn:     {5, 4, 0},
	record.ReasonSpeeding:        {5, 7, 0},
	record.ReasonBadReputation:   {5, 7, 0},
	record.ReasonAuthFailure:     {5, 7, 0},
	record.ReasonPolicyViolation: {5, 7, 0},
	record.ReasonVirusDetected:   {5, 7, 0},
	record.ReasonSecurityError:   {5, 7, 0},
	record.ReasonSyntaxError:     {5, 5, 2},
	record.ReasonContentError:    {5, 6, 0},
	record.ReasonNotCompliantRFC: {5, 6, 0},
	record.ReasonSuppressed:      {5, 0, 0},
}

// inferStatus returns a status that fits the reason, with class 4 for a
// temporary failure.
func inferStatus(reason record.Reason, temporary bool) enhancedcode.Code {
	c, ok := pseudoDetail[reason]
	if !ok {
		return enhancedcode.Code{}
	}
	if temporary {
		c = c.WithClass(enhancedcode.Transient)
	}
	return c
}
