package classify

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// clue gathers what classification looks at for one recipient, computed
// once: the innermost reply's text and the whole diagnostic (both also in
// lower case), the most telling status and reply code, the SMTP stage,
// and who the receiver is.
type clue struct {
	cause, diag   string
	lcause, ldiag string
	status        enhancedcode.Code
	code          int
	cmd           string
	action        record.Action
	temporary     bool
	diagType      string
	domain        string // recipient domain, lower case
	remote        string // remote MTA, lower case
	tokens        []string
	// found caches, per text of texts(), what the pass of ruleLiterals
	// over it found, and extraFound that of the caller's phrasebook
	// (see scan).
	found   [2]textmatch.Found
	scanned [2]bool
	// causeAt is where the innermost reply's text lies in the whole
	// lower-cased diagnostic, lowDiag, when it is a part of it (-1
	// when not): one pass over lowDiag then serves both texts.
	causeAt      int
	lowDiag      string
	extraFound   *[2]textmatch.Found
	extraScanned [2]bool
	// marks caches receiverMarks, names receiverNames.
	marks        uint64
	marksScanned bool
	names        uint64
	namesFound   bool
	// expiring tells that the layout read an expiry: the MTA gave up.
	expiring bool
	// extra is the caller's phrasebook, tried before the built-in one
	// in each tier; nil for none.
	extra *Phrasebook
}

// cluePool keeps the clues of finished classifications for the next
// ones: a clue is large (it holds what the passes over its texts found)
// and made for every recipient.
var cluePool = sync.Pool{New: func() any { return new(clue) }}

// newClue returns the clue of a recipient, from cluePool; release gives
// it back once the classification is done.
func newClue(r *record.Recipient, ldiag string) *clue {
	c := cluePool.Get().(*clue)
	*c = clue{
		cause:     r.Cause.Text,
		diag:      r.Diagnostic,
		status:    statusFor(r),
		code:      r.Cause.Code,
		cmd:       r.Command,
		action:    r.Action,
		temporary: r.Temporary,
		diagType:  strings.ToLower(r.DiagnosticType),
		remote:    strings.ToLower(strings.TrimSuffix(r.RemoteMTA, ".")),
		tokens:    r.Tokens,
		expiring:  r.Reason == record.ReasonExpired,
	}
	if c.code == 0 {
		c.code = r.ReplyCode
	}
	c.ldiag, c.lowDiag = ldiag, ldiag
	c.lcause = ldiag
	c.causeAt = -1
	if c.cause != c.diag {
		// The innermost reply's text is most often a part of the
		// diagnostic, whose lower-cased form is at hand.
		if i := strings.Index(c.diag, c.cause); i >= 0 && len(ldiag) == len(c.diag) {
			c.lcause = ldiag[i : i+len(c.cause)]
			c.causeAt = i
		} else {
			c.lcause = literal.LowerASCII(c.cause)
		}
	}
	if at := strings.LastIndexByte(r.Recipient, '@'); at >= 0 {
		c.domain = strings.ToLower(strings.TrimRight(r.Recipient[at+1:], ">. "))
	}
	return c
}

// release clears c, which the caller no longer uses, and returns it to
// cluePool.
func (c *clue) release() {
	*c = clue{}
	cluePool.Put(c)
}

// texts returns the lower-cased texts that text rules read: the innermost
// reply's first, then the whole diagnostic.
func (c *clue) texts() [][2]string {
	if c.lcause == "" || c.lcause == c.ldiag {
		return [][2]string{{c.ldiag, c.diag}}
	}
	return [][2]string{{c.lcause, c.cause}, {c.ldiag, c.diag}}
}

// quoteSpan quotes the matched part of lower as the server wrote it in
// orig, when lower-casing kept the offsets.
func quoteSpan(lower, orig string, loc []int) string {
	if len(lower) == len(orig) {
		return textutil.Quote(strings.TrimSpace(orig[loc[0]:loc[1]]))
	}
	return textutil.Quote(strings.TrimSpace(lower[loc[0]:loc[1]]))
}

// textRule classifies by the receiving server's own words. re is matched
// against lower-cased text.
type textRule struct {
	reason record.Reason
	Re     *textmatch.Pattern
	// refine, when set, decides the reason from the matched text.
	refine func(c *clue, span string) record.Reason
}

// missingDomainPattern matches "example.net does not exist", capturing
// the domain.
var missingDomainPattern = textmatch.Pat(`[\s<]([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|edu|gov|info|biz|[a-z]{2}))>? does not exist`)

// missingDomainOwner decides whose domain a "does not exist" reply names:
// the recipient's domain (or one above or below it) makes the recipient
// unknown; any other domain is the sender's, whose refusal is a rejected
// sender.
func missingDomainOwner(c *clue, span string) record.Reason {
	m := missingDomainPattern.Submatch(span)
	if m == nil || c.domain == "" || hasDomainSuffix(c.domain, m[1]) || hasDomainSuffix(m[1], c.domain) {
		return record.ReasonHostUnknown
	}
	return record.ReasonRejected
}

// overrideSet and textSet index the rules for matchText, microsoftSet
// those of microsoftCodes.
var (
	overrideSet  = builtin.sets[tierOverride]
	phraseSet    = builtin.sets[tierPhrase]
	textSet      = builtin.sets[tierGeneral]
	fallbackSet  = builtin.sets[tierFallback]
	microsoftSet = newRuleSet(microsoftTexts)
	// ruleLiterals finds the literals of the tiers and of microsoftSet
	// in one pass.
	ruleLiterals = newRuleIndex(overrideSet, phraseSet, textSet, fallbackSet, microsoftSet)
)

// strongStatus maps the details whose meaning is specific enough to win
// over most words of the reply.
var strongStatus = map[[2]int]record.Reason{
	{1, 1}: record.ReasonUserUnknown, {1, 2}: record.ReasonHostUnknown,
	{1, 6}: record.ReasonHasMoved, {1, 8}: record.ReasonRejected, {1, 7}: record.ReasonRejected,
	{2, 2}: record.ReasonMailboxFull, {2, 3}: record.ReasonExceedLimit, {3, 4}: record.ReasonMesgTooBig,
	{7, 13}: record.ReasonSuspend, {7, 25}: record.ReasonRequirePTR,
	{7, 26}: record.ReasonAuthFailure, {7, 23}: record.ReasonAuthFailure, {7, 20}: record.ReasonAuthFailure,
	{7, 21}: record.ReasonAuthFailure, {7, 22}: record.ReasonAuthFailure,
}

// weakStatus maps the remaining details; the words of the reply decide
// first, and these are the fallback. X.4.5 is "Mail system congestion"
// (RFC 3463), a busy system rather than a full one (X.3.1).
var weakStatus = map[[2]int]record.Reason{
	{1, 0}: record.ReasonUserUnknown, {1, 3}: record.ReasonUserUnknown, {1, 4}: record.ReasonUserUnknown, {1, 10}: record.ReasonNotAccept,
	{2, 1}: record.ReasonSuspend, {2, 4}: record.ReasonSystemError,
	{3, 0}: record.ReasonSystemError, {3, 1}: record.ReasonSystemFull, {3, 2}: record.ReasonNotAccept, {3, 5}: record.ReasonSystemError,
	{4, 0}: record.ReasonNetworkError, {4, 1}: record.ReasonExpired, {4, 2}: record.ReasonNetworkError,
	{4, 3}: record.ReasonSystemError, {4, 4}: record.ReasonHostUnknown, {4, 5}: record.ReasonSystemError,
	{4, 6}: record.ReasonNetworkError, {4, 7}: record.ReasonExpired, {4, 14}: record.ReasonNetworkError,
	{5, 0}: record.ReasonSyntaxError, {5, 1}: record.ReasonSyntaxError, {5, 2}: record.ReasonSyntaxError,
	{5, 3}: record.ReasonTooManyConn, {5, 4}: record.ReasonSyntaxError, {5, 5}: record.ReasonSyntaxError,
	{6, 0}: record.ReasonContentError, {6, 1}: record.ReasonContentError, {6, 2}: record.ReasonContentError,
	{6, 3}: record.ReasonContentError, {6, 4}: record.ReasonContentError, {6, 5}: record.ReasonContentError,
	{6, 6}: record.ReasonContentError, {6, 7}: record.ReasonContentError, {6, 8}: record.ReasonContentError,
	{7, 0}: record.ReasonSecurityError, {7, 1}: record.ReasonSecurityError, {7, 2}: record.ReasonRejected,
	{7, 3}: record.ReasonSecurityError, {7, 4}: record.ReasonSecurityError, {7, 5}: record.ReasonSecurityError,
	{7, 6}: record.ReasonSecurityError, {7, 7}: record.ReasonSecurityError, {7, 8}: record.ReasonSecurityError,
	{7, 9}: record.ReasonSecurityError, {7, 10}: record.ReasonFailedSTARTTLS, {7, 11}: record.ReasonFailedSTARTTLS,
	{7, 12}: record.ReasonSecurityError, {7, 14}: record.ReasonSecurityError, {7, 15}: record.ReasonSecurityError,
	{7, 16}: record.ReasonSecurityError, {7, 17}: record.ReasonSecurityError, {7, 18}: record.ReasonSecurityError,
	{7, 19}: record.ReasonSecurityError, {7, 24}: record.ReasonAuthFailure, {7, 27}: record.ReasonRejected,
	{7, 28}: record.ReasonSpeeding, {7, 29}: record.ReasonAuthFailure, {7, 30}: record.ReasonSecurityError,
}

// classify decides a recipient's reason and says why, by the precedence
// of evidence: the strongest kind of evidence that the report holds
// decides, and a weaker kind is read only when no stronger one says
// anything.
//
//  1. A delivery (the action or a success status).
//  2. The receiver's own documented codes and texts (vendor.go): Gmail's
//     4.7.28 is a rate limit, Yahoo's [TSS04] a deferral for volume,
//     Microsoft's 5.7.606 a blocked IP, whatever the IANA registry says
//     of the same status.
//  3. A failure without any reply from the remote server: the report
//     names the remote host, or the layout read that the session ended
//     at the connection, and gives no reply text at all (or only a
//     sending MTA's own stand-in for one, see noReplyTexts). The server
//     dropped the connection, hung or refused it before answering: a
//     network failure, or expired when the layout read that the MTA
//     retried it until the message expired. Never a hard bounce.
//  4. A specific phrase (the override and phrase tiers of the
//     phrasebook): "Mailbox is full" behind 5.1.1 is mailboxfull,
//     "User unknown" behind 5.7.1 is userunknown, "Relay access denied"
//     behind 5.1.1 is norelaying. A phrase read from the reply is
//     adjusted by the SMTP stage (an unknown user refused at MAIL FROM
//     is the sender's; a refusal at the greeting is a blocked client).
//     The innermost reply is read first; the words around it count
//     only when it states no cause of its own (matchCauseFirst).
//  5. A specific enhanced status (X.1.1, X.1.2, X.2.2, X.2.3, X.3.4,
//     X.7.13, the authentication details): "550 5.1.1 Recipient address
//     rejected" is userunknown.
//  6. A general phrase ("blocked", "transaction failed", "syntax
//     error"), then the SMTP stage: any refusal at the greeting or HELO
//     is blocked, one at MAIL FROM is about the sender.
//  7. A generic status, whose detail is all there is (X.7.1 for "not
//     authorized", X.4.0, X.5.0 ...), then the fallback phrases (a bare
//     "Recipient address rejected"), then the reply code with the stage
//     (552 at RCPT is mailboxfull, after DATA mesgtoobig). A delay
//     notice is expired before these unless the remote server's reply
//     states a cause (statesCause): the message is then merely still
//     being retried. A reply that states one is read as it is in the
//     final report that follows when the sending MTA gives up, so that
//     a delay and its failure have the same reason ("421 4.7.1 ...
//     deferred due to excessive volume" has not been given up).
//  8. onhold when a code or a status was there but said nothing more,
//     undefined when there was no diagnostic at all.
//
// When a phrase and a status agree, the evidence names both:
// `text "User unknown" and status 5.1.1`.
func classify(r *record.Recipient, ldiag string, extra *Phrasebook) (record.Reason, string) {
	if r.Action == record.ActionDelivered || r.Action == record.ActionRelayed || r.Action == record.ActionExpanded || r.Action == "deliverable" {
		return record.ReasonDelivered, "action " + string(r.Action)
	}
	c := newClue(r, ldiag)
	defer c.release()
	c.extra = extra
	if c.status.IsSuccess() && (c.code == 0 || c.code/100 == 2) {
		return record.ReasonDelivered, "status " + c.status.String()
	}
	if reason, ev, ok := vendorReason(c); ok {
		return reason, ev
	}
	if reason, ev, ok := c.clientTask(); ok {
		return reason, ev
	}
	if reason, ev, ok := c.noReply(); ok {
		return reason, ev
	}
	if reason, ev, ok := c.matchCauseFirst(tierOverride, tierPhrase, tierGeneral); ok {
		return reason, c.agreeing(reason, ev)
	}
	if reason, ev, ok := c.matchCauseFirst(tierPhrase, tierGeneral); ok {
		reason, ev = c.byStage(reason, ev)
		return reason, c.agreeing(reason, ev)
	}
	if reason, ok := strongStatus[[2]int{int(c.status.Subject()), c.status.Detail()}]; ok && c.status.Class() != enhancedcode.Success {
		return reason, "status " + c.status.String()
	}
	if reason, ev, ok := c.matchTier(tierGeneral); ok {
		return c.byStage(reason, ev)
	}
	if c.diagType == "x-unix" {
		return record.ReasonMailerError, "diagnostic type x-unix"
	}
	if c.atConnection() && c.failing() {
		return record.ReasonBlocked, fmt.Sprintf("stage %s: reply %s", c.cmd, c.replyString())
	}
	if r.Action == record.ActionDelayed && !statesCause(r.Cause) {
		return record.ReasonExpired, "action delayed"
	}
	if c.cmd == "MAIL" && c.failing() {
		return record.ReasonRejected, fmt.Sprintf("stage MAIL: reply %s", c.replyString())
	}
	if !c.status.IsZero() {
		if reason, ok := weakReason(c.status); ok {
			if reason == record.ReasonNotAccept && c.status.Subject() == 1 && c.code == 550 {
				// X.1.10 is a null MX with reply 556 (RFC 7505,
				// RFC 7504; the IANA registry pairs the two);
				// Exchange Online gives it with 550 to an
				// address its directory does not have: "5.1.10
				// Recipient not found ... wasn't found by SMTP
				// address lookup" (learn.microsoft.com/en-us/
				// troubleshoot/exchange/email-delivery/ndr/
				// non-delivery-reports-in-exchange-online).
				// The evidence names whose meaning was read.
				return c.unknownByStage("vendor microsoft: status " + c.status.String())
			}
			if reason == record.ReasonUserUnknown {
				return c.unknownByStage("status " + c.status.String())
			}
			return reason, "status " + c.status.String()
		}
	}
	if reason, ev, ok := c.matchTier(tierFallback); ok {
		return c.byStage(reason, ev)
	}
	if reason, ev, ok := c.replyReason(); ok {
		return reason, ev
	}
	if c.code != 0 || !c.status.IsZero() {
		return record.ReasonOnHold, "no rule matched the reply"
	}
	if strings.TrimSpace(r.Diagnostic) == "" {
		return record.ReasonUndefined, "no diagnostic text"
	}
	return record.ReasonOnHold, "no rule matched the text"
}

// byStage adjusts a reason read from the words of the reply by the SMTP
// stage: a refusal before the envelope cannot be about the recipient, an
// unknown address refused at MAIL FROM is the sender's, and an unknown
// user is decided by the stage (unknownByStage).
func (c *clue) byStage(reason record.Reason, ev string) (record.Reason, string) {
	if c.atConnection() && aboutRecipient(reason) && reason != record.ReasonNotAccept {
		// A host that accepts no mail says so in its greeting (RFC
		// 7504, "521 Host does not accept mail"): that is about the
		// recipient's domain, whose server it is.
		return record.ReasonBlocked, fmt.Sprintf("stage %s: %s", c.cmd, ev)
	}
	if c.cmd == "MAIL" && (reason == record.ReasonHostUnknown || reason == record.ReasonUserUnknown) {
		// Refused at MAIL FROM, the unknown address or domain is
		// the sender's.
		return record.ReasonRejected, "stage MAIL: " + ev
	}
	if reason == record.ReasonUserUnknown {
		return c.unknownByStage(ev)
	}
	if reason == record.ReasonHostUnknown && c.temporary && c.status.Subject() != 1 {
		return record.ReasonNetworkError, ev + " with a temporary failure"
	}
	return reason, ev
}

// agreeing adds the status to a phrase's evidence when the status means
// the same reason.
func (c *clue) agreeing(reason record.Reason, ev string) string {
	if c.status.IsZero() || c.status.Class() == enhancedcode.Success || strings.Contains(ev, "status ") {
		return ev
	}
	k := [2]int{int(c.status.Subject()), c.status.Detail()}
	s, ok := strongStatus[k]
	if !ok {
		s, ok = weakStatus[k]
	}
	if ok && s == reason {
		return ev + " and status " + c.status.String()
	}
	return ev
}

// unrouteable decides Exim's "Unrouteable address": in a receiving
// server's reply (with a code) its recipient verification found no route
// for the address; as the sending MTA's own text the domain did not
// route.
func unrouteable(c *clue, _ string) record.Reason {
	if c.code == 0 {
		return record.ReasonHostUnknown
	}
	return record.ReasonUserUnknown
}

// clientTask decides the failure that a mail program's dialog reports
// for its own sending task by the code of its error (see
// dsn.ClientTaskReason), when the dialog quotes no reply: Outlook's
// "Task '<account> - Sending' reported error (0x800CCC0F)". The code is
// the same in every language the dialog is shown in. A reply that the
// dialog quotes ("The server responded: 550 ...") is the outgoing
// server's, and speaks for the failure instead.
func (c *clue) clientTask() (record.Reason, string, bool) {
	if c.code != 0 {
		return "", "", false
	}
	return dsn.ClientTaskReason(c.ldiag)
}

// retriedNetwork decides a network failure: one that the sending MTA met
// itself (no reply code) in a final report is expired, as the MTA
// retried until the message expired; in a delay notice, quoted in a
// server's reply, or in an application's log of its own attempt (see
// dsn.ClientFailure), it is networkerror.
func retriedNetwork(c *clue, _ string) record.Reason {
	// Sendmail prefixes its own account of a failed connection with
	// "Deferred:" (sendmail/mci.c), whatever code it puts before it,
	// and reports it when the queue time ran out; in a delay notice
	// (Action: delayed) it is still retrying.
	if c.expiring || strings.Contains(c.ldiag, "deferred: ") && c.action != record.ActionDelayed {
		return record.ReasonExpired
	}
	if c.code == 0 && c.action != record.ActionDelayed && !dsn.ClientFailure(c.ldiag) {
		return record.ReasonExpired
	}
	return record.ReasonNetworkError
}

// matchTier tries the phrases of a tier: the caller's, then the
// built-in ones.
func (c *clue) matchTier(t tier) (record.Reason, string, bool) {
	if c.extra != nil && c.extra.sets[t] != nil {
		if reason, ev, ok := c.matchText(c.extra.sets[t]); ok {
			return reason, ev, true
		}
	}
	return c.matchText(builtin.sets[t])
}

// matchCauseFirst tries the phrases of tier t on the innermost reply's
// text, then on the whole diagnostic unless the innermost reply has
// words of its own (a phrase of one of the tiers own), which then speak
// for the failure. The override tier yields to any phrase of the reply,
// specific or general (the words around a quoted reply are the sending
// MTA's account of the stage, qmail-remote's "Connected to ... but
// sender was rejected", or a relay's summary of it, Exchange's "Remote
// server returned message detected as spam -> 554 5.7.1 ... blocked
// using ..."), the phrase tier to a general one.
func (c *clue) matchCauseFirst(t tier, own ...tier) (record.Reason, string, bool) {
	ts := c.texts()
	if len(ts) == 1 {
		return c.matchTier(t)
	}
	// For the innermost reply alone, the clue's diagnostic is that
	// reply's text; texts() then gives it alone, as its first text, so
	// that what scan found in it stays valid.
	ldiag, diag := c.ldiag, c.diag
	c.ldiag, c.diag = c.lcause, c.cause
	reason, ev, ok := c.matchTier(t)
	general := false
	for _, o := range own {
		if ok || general {
			break
		}
		_, _, general = c.matchTier(o)
	}
	c.ldiag, c.diag = ldiag, diag
	if ok {
		return reason, ev, true
	}
	if general {
		return "", "", false
	}
	return c.matchTier(t)
}

// matchText tries rules on the innermost reply's text, then on the whole
// diagnostic, and returns the first match with its evidence.
func (c *clue) matchText(rs *ruleSet) (record.Reason, string, bool) {
	for k, t := range c.texts() {
		if t[0] == "" {
			continue
		}
		f := c.scan(k, t[0], rs.index)
		for mask := rs.index.candidates(f, rs); mask != 0; mask &= mask - 1 {
			i := bits.TrailingZeros64(mask)
			rule := rs.Rules[i]
			if loc := rs.index.search(f, rs, i, t[0]); loc != nil {
				reason := rule.reason
				if rule.refine != nil {
					reason = rule.refine(c, t[0][loc[0]:loc[1]])
				}
				return reason, "text " + quoteSpan(t[0], t[1], loc), true
			}
		}
	}
	return "", "", false
}

// scan returns what the pass of x, ruleLiterals or the index of the
// caller's phrasebook, found in text, c.texts()[k][0]: one pass for all
// rule sets of the index, made on the first call for the text.
func (c *clue) scan(k int, text string, x *ruleIndex) *textmatch.Found {
	if x == ruleLiterals {
		switch {
		case c.scanned[k]:
		case c.causeAt >= 0 && c.lcause != "" && c.lcause != c.lowDiag:
			// The innermost reply's text, texts()[0], is
			// lowDiag[causeAt:], a part of the whole diagnostic,
			// texts()[1].
			x.set.ScanIn(c.lowDiag, c.causeAt, c.causeAt+len(c.lcause), &c.found[1], &c.found[0])
			c.scanned = [2]bool{true, true}
		default:
			x.set.Scan(text, &c.found[k])
			c.scanned[k] = true
		}
		return &c.found[k]
	}
	if c.extra == nil || x != c.extra.index {
		f := new(textmatch.Found)
		x.set.Scan(text, f)
		return f
	}
	if c.extraFound == nil {
		c.extraFound = new([2]textmatch.Found)
	}
	if !c.extraScanned[k] {
		x.set.Scan(text, &c.extraFound[k])
		c.extraScanned[k] = true
	}
	return &c.extraFound[k]
}

// diagCandidates returns rs.candidates(c.ldiag), from the scan that
// matchText makes of the whole diagnostic.
func (c *clue) diagCandidates(rs *ruleSet) uint64 {
	k := 0
	if c.lcause != "" && c.lcause != c.ldiag {
		k = 1 // see texts
	}
	return rs.index.candidates(c.scan(k, c.ldiag, rs.index), rs)
}

// unknownByStage decides a "no such user" reply by when it came. At RCPT
// the address is unknown; after DATA the recipient's filter refused the
// message and only pretends the user is unknown; a remote reply of
// unknown stage without a status saying "bad mailbox" or a protocol
// status (X.5.X, which answers an envelope command) is taken for a
// filter as well.
func (c *clue) unknownByStage(ev string) (record.Reason, string) {
	switch {
	case c.status.Subject() == 1 && c.status.Detail() != 0:
		return record.ReasonUserUnknown, ev
	case c.cmd == "RCPT":
		return record.ReasonUserUnknown, ev + " at RCPT"
	case c.status.Subject() == 5 && c.cmd != "DATA":
		// A protocol status answers an envelope command; a filter
		// gives a security or content status.
		return record.ReasonUserUnknown, ev + " with protocol status " + c.status.String()
	case c.cmd == "DATA":
		return record.ReasonFiltered, ev + " after DATA"
	case c.cmd == "" && c.code >= 500 && !(c.status.Subject() == 1 && c.status.Detail() == 0):
		return record.ReasonFiltered, ev + " in a remote reply of unknown stage"
	}
	return record.ReasonUserUnknown, ev
}

// statesCause reports whether a reply is a remote server's statement of
// a cause: a reply code, a status more specific than X.0.0 and words
// after them. A sending MTA's account of a delay ("Deferred: Connection
// timed out", no reply code), a bare code and a status alone are not.
func statesCause(rp enhancedcode.Reply) bool {
	return rp.Code != 0 && !rp.Enhanced.IsZero() && !dsn.IsGeneric(rp.Enhanced) && strings.TrimSpace(rp.Text) != ""
}

// atConnection reports whether the failure came before the envelope:
// at the greeting or in reply to EHLO/HELO.
func (c *clue) atConnection() bool {
	return c.cmd == "CONN" || c.cmd == "HELO" || c.cmd == "EHLO"
}

// aboutRecipient reports whether a reason is about the recipient, which
// a refusal before the envelope cannot be.
func aboutRecipient(r record.Reason) bool {
	switch r {
	case record.ReasonUserUnknown, record.ReasonHostUnknown, record.ReasonMailboxFull, record.ReasonSuspend, record.ReasonHasMoved,
		record.ReasonFiltered, record.ReasonNotAccept, record.ReasonSyntaxError, record.ReasonMesgTooBig, record.ReasonExceedLimit:
		return true
	}
	return false
}

// failing reports whether the clue carries a failure reply or status.
func (c *clue) failing() bool {
	return c.code >= 400 || c.status.Class() == enhancedcode.Transient || c.status.Class() == enhancedcode.Permanent || c.code == 0 && c.status.IsZero()
}

func (c *clue) replyString() string {
	switch {
	case c.code != 0:
		return strconv.Itoa(c.code)
	case !c.status.IsZero():
		return c.status.String()
	}
	return "none"
}

// replyReason decides by the reply code alone: the codes of RFC 5321
// that name a cause.
func (c *clue) replyReason() (record.Reason, string, bool) {
	switch c.code {
	case 551:
		return record.ReasonHasMoved, "reply 551", true
	case 552:
		if c.cmd == "RCPT" || c.cmd == "" {
			return record.ReasonMailboxFull, "reply 552", true
		}
		return record.ReasonMesgTooBig, "reply 552", true
	case 452:
		return record.ReasonSystemFull, "reply 452", true
	case 421:
		return record.ReasonBlocked, "reply 421", true
	case 500, 501, 502, 503, 504:
		return record.ReasonSyntaxError, "reply " + strconv.Itoa(c.code), true
	case 553:
		// "Mailbox name not allowed" (RFC 5321 section 4.2.3); after the
		// message's data it names no mailbox. (In reply to MAIL, the
		// stage decides first: the sender's address.)
		if c.cmd == "DATA" {
			return "", "", false
		}
		return record.ReasonUserUnknown, "reply 553", true
	case 554:
		if c.cmd == "CONN" {
			return record.ReasonBlocked, "reply 554 at connection", true
		}
	}
	return "", "", false
}

// statusFor returns the most telling enhanced status: the innermost
// reply's, else the recipient's.
func statusFor(r *record.Recipient) enhancedcode.Code {
	if !r.Cause.Enhanced.IsZero() && !dsn.IsGeneric(r.Cause.Enhanced) {
		return r.Cause.Enhanced
	}
	return r.Status
}

// StatusReason returns the reason that the registry's meaning of a
// failure status gives by itself, the one classify falls back on when
// nothing else in the report speaks, and "" for a success or a status
// that has none (X.0.0, a detail outside the tables).
func StatusReason(c enhancedcode.Code) record.Reason {
	if c.IsZero() || c.Class() == enhancedcode.Success {
		return ""
	}
	k := [2]int{int(c.Subject()), c.Detail()}
	if r, ok := strongStatus[k]; ok {
		return r
	}
	r, _ := weakReason(c)
	return r
}

// weakReason looks st up in weakStatus. X.3.2, "System not accepting
// network messages" (RFC 3463), is a domain that takes no mail only when
// permanent (as 5.3.2 with 521, RFC 7504); the temporary 4.3.2 is a
// receiving system that is not taking mail for now (Sendmail's "421
// 4.3.2 ... closing connection", a busy mailbox store), a system error.
func weakReason(st enhancedcode.Code) (record.Reason, bool) {
	reason, ok := weakStatus[[2]int{int(st.Subject()), st.Detail()}]
	if reason == record.ReasonNotAccept && st.Subject() == 3 && st.Class() == enhancedcode.Transient {
		reason = record.ReasonSystemError
	}
	return reason, ok
}
