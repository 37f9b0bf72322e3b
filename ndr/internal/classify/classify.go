package classify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
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
	// cand caches, per text of texts(), the candidate rules of the
	// rule sets of ruleLiterals (see candidates).
	cand    [2][3]uint64
	scanned [2]bool
	// marks caches receiverMarks.
	marks        uint64
	marksScanned bool
}

func newClue(r *record.Recipient, ldiag string) *clue {
	c := &clue{
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
	}
	if c.code == 0 {
		c.code = r.ReplyCode
	}
	c.ldiag = ldiag
	c.lcause = ldiag
	if c.cause != c.diag {
		// The innermost reply's text is most often a part of the
		// diagnostic, whose lower-cased form is at hand.
		if i := strings.Index(c.diag, c.cause); i >= 0 && len(ldiag) == len(c.diag) {
			c.lcause = ldiag[i : i+len(c.cause)]
		} else {
			c.lcause = literal.LowerASCII(c.cause)
		}
	}
	if at := strings.LastIndexByte(r.Recipient, '@'); at >= 0 {
		c.domain = strings.ToLower(strings.TrimRight(r.Recipient[at+1:], ">. "))
	}
	return c
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
		return strconv.Quote(strings.TrimSpace(orig[loc[0]:loc[1]]))
	}
	return strconv.Quote(strings.TrimSpace(lower[loc[0]:loc[1]]))
}

// textRule classifies by the receiving server's own words. re is matched
// against lower-cased text.
type textRule struct {
	reason record.Reason
	Re     *textmatch.Pattern
	// refine, when set, decides the reason from the matched text.
	refine func(c *clue, span string) record.Reason
}

// overrideRules are texts specific enough to win over any enhanced
// status: a 5.1.1 whose text says that the sender was refused is about the
// sender, a 5.7.1 that says "relay access denied" is about relaying.
var overrideRules = []textRule{
	{record.ReasonNotCompliantRFC, textmatch.Pat(`not (?:rfc ?5322|rfc ?2822) compliant|multiple addresses in (?:the )?from|duplicate header|multiple (?:subject|from|to|date|message-id) headers|missing a valid (?:address in the from|message-id)`), nil},
	{record.ReasonRejected, textmatch.Pat(`sender (?:address )?(?:was )?(?:rejected|refused|denied)|domain of sender address .* does not exist|sender (?:address )?(?:domain )?(?:is )?(?:invalid|unknown|not found)|sender domain (?:must exist|not found|does not exist)|invalid sender|purported responsible address|not a member of (?:this|the) (?:mailing )?list|you are not allowed to post|bad outbound sender|from: domain is invalid|provide a valid from|to/from an address that has been blacklisted|sender address (?:is |has been )blacklisted|sender (?:domain|address) (?:is )?(?:on|in) (?:a |the |our )?(?:black ?list|block ?list)`), nil},
	{record.ReasonSpamDetected, textmatch.Pat(`spam classification|scored as spam|detected as spam|considered (?:as )?spam|classified as spam`), nil},
	{record.ReasonAuthFailure, textmatch.Pat(`\bdmarc\b|unauthenticated email|\bspf\b|\bdkim\b|sender policy framework|authentication checks|fails? to pass authentication|not authenticated with (?:spf|dkim)`), nil},
	{record.ReasonSecurityError, textmatch.Pat(`authentication (?:is )?required|smtp authentication|without authentication|unauthenticated senders?|must authenticate|authentication failed|client was not authenticated|auth(?:entication)? mechanism`), nil},
	{record.ReasonNoRelaying, textmatch.Pat(`relay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited|refused)|not (?:configured|permitted|allowed|authorized) to relay|unable to relay|\bno relaying\b|insecure mail relay|we do not relay|relaying mail to .* is not allowed|identities failed the check|in my list of allowed rcpthosts`), nil},
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
	overrideSet  = newRuleSet(overrideRules)
	textSet      = newRuleSet(textRules)
	microsoftSet = newRuleSet(microsoftTexts)
	// ruleLiterals finds the literals of all three in one pass.
	ruleLiterals = newRuleIndex(overrideSet, textSet, microsoftSet)
)

// textRules are tried, in order, after the status has had its say; more
// specific causes come before general ones.
var textRules = []textRule{
	{record.ReasonMailerError, textmatch.Pat(`mailer error|pipe to \||operating system error|command (?:died|failed|output)|\bexit (?:status|code) \d`), nil},
	{record.ReasonNotAccept, textmatch.Pat(`null mx|doesn't receive email|does not accept mail|accepts no mail|no mx record|mx or srv record indicated no smtp service|couldn't find a mail exchanger|not accepting network messages`), nil},
	{record.ReasonMailboxFull, textmatch.Pat(`mailbox (?:is )?full|mailbox full|over ?quota|quota exceeded|exceed(?:s|ed)? (?:the |its |their )?(?:storage|quota)|disk quota|out of storage|mailbox size limit|mailbox (?:has )?exceeded|storage space|too much mail data|not enough (?:disk )?space|exceeded the local limit|exhausted allowed storage`), nil},
	{record.ReasonSystemFull, textmatch.Pat(`insufficient (?:disk|system) (?:space|storage)|(?:disk|file ?system|mail system) (?:is )?full|out of disk`), nil},
	{record.ReasonNetworkError, textmatch.Pat(`host name lookup failure|name service error .*(?:try again|malformed|server failure)|host not found, try again|malformed or unexpected name server reply|temporary (?:dns|lookup) failure|no route to host|network is unreachable|(?:wasn't|was not|unable to) (?:able to )?establish an smtp connection|lost connection with|connection reset|connection (?:was )?(?:shut down|closed) by the remote|hop count exceeded|routing loop|mail loop|loops back to myself|too many hops|exceeded \d+ hops`), nil},
	{record.ReasonHostUnknown, textmatch.Pat(`host or domain name not found|host unknown|unknown host|domain (?:name )?not found|domain (?:does not|doesn't) exist|no such domain|unrouteable (?:mail )?(?:domain|address)|illegal host/domain|invalid domain|nxdomain|bad destination system address|domain is not reachable|couldn't find the recipient domain|had no relevant answers|dns lookup failure: host .* not found`), nil},
	// "<domain> does not exist" names the domain that is missing; when
	// it is not the recipient's, it is the sender's.
	{record.ReasonHostUnknown, missingDomainPattern, missingDomainOwner},
	{record.ReasonBlocked, textmatch.Pat(`connection refused|refused to talk to me|not accepting connections`), nil},
	{record.ReasonExpired, textmatch.Pat(`message expired|delivery (?:time )?expired|envelope expired|retry time(?:out)? (?:not reached .*|exceeded)|queue ?expired|(?:could not|unable to) deliver .*(?:for|in|within|after) (?:the last )?\d+ ?(?:seconds|minutes|hours|days?)|could not be delivered for (?:more than )?\d+|not (?:been )?delivered within|still undelivered after|delivery failed \d+ attempts|[,.] giving up\.|too long in (?:the )?queue|timed out|time-?out|did not accept our requests to connect|socket error|server did not respond|did not respond in time|is not responding|unable to connect|will be retried for \d`), nil},
	{record.ReasonExceedLimit, textmatch.Pat(`exceeds? (?:the )?(?:administrative|fixed) limit|limit set by (?:the )?recipient`), nil},
	{record.ReasonMesgTooBig, textmatch.Pat(`message (?:is )?too (?:big|large)|message size exceeds|exceeds? (?:the )?(?:maximum|max) (?:allowed )?(?:message )?size|size limit|message length exceeds`), nil},
	{record.ReasonHasMoved, textmatch.Pat(`no longer on (?:this )?server|has moved|address (?:has )?changed|not our (?:user|customer)`), nil},
	{record.ReasonSuspend, textmatch.Pat(`(?:account|mailbox|user|address) (?:is |has been )?(?:disabled|suspended|inactive|deactivated|locked|frozen|discontinued|blocked|expired)|disabled recipient|recipient account is blocked|account has been (?:disabled|suspended)|mailbox disabled|not accepting messages`), nil},
	{record.ReasonRequirePTR, textmatch.Pat(`reverse (?:dns|lookup)|\bptr\b|\brdns\b|no reverse|not have a reverse|invalid rdns|hostname does not resolve|mismatches client ip|unverif(?:i|y)able (?:sending )?ips?\b`), nil},
	{record.ReasonBadReputation, textmatch.Pat(`reputation|user complaints`), nil},
	{record.ReasonSpeeding, textmatch.Pat(`rate limit(?:ed)? due|receiving mail (?:too quickly|at a rate)|too quickly|sending rate|too fast|throttl|unexpected volume|excessive volume|rate that prevents`), nil},
	{record.ReasonTooManyConn, textmatch.Pat(`too many (?:connections|sessions|concurrent|simultaneous|recipients)|connection rate limit|(?:ip|connection|domain) frequency limited|maximum number of connections|(?:messages?|mails?) per connection|too many messages in this connection`), nil},
	{record.ReasonPolicyViolation, textmatch.Pat(`policy violation|for policy reasons|local policy|content presents a potential|prohibited by (?:the )?policy|has a policy that prohibited|host network not allowed|administrative prohibition`), nil},
	{record.ReasonVirusDetected, textmatch.Pat(`virus|malware|infected`), nil},
	// Malformed content comes before spam: "content rejected: invalid
	// MIME structure" is about the structure, not about spam.
	{record.ReasonContentError, textmatch.Pat(`invalid content|illegal attachment|prohibited attachment|attachment (?:type )?(?:is )?not allowed|headers? too (?:large|long)|invalid characters|bare lf|bare linefeed|invalid mime|mime structure|malformed mime|mime (?:error|violation)|malformed (?:message|content)`), nil},
	{record.ReasonSpamDetected, textmatch.Pat(`blacklisted url|\buribl\b|\bsurbl\b|spam message|content (?:rejected|refused)|unsolicited|\bube\b|\bspam\b|junk mail`), nil},
	// A filter named as the refuser: the recipient's own mail filter, a
	// header or content filter. After spam and virus verdicts, which
	// name the filter's finding; before the general word "blocked".
	{record.ReasonFiltered, textmatch.Pat(`recipient's (?:mail |e-?mail |message )?filter|(?:mail|message|content|header|rule) filter\b|rejected by (?:a |the )?filter|header error`), nil},
	{record.ReasonBlocked, textmatch.Pat(`client host (?:\[.*\] )?(?:rejected|blocked)|blocked using|block ?list|black ?list|\bblocked\b|spamhaus|dnsbl|\brbl\b|banned|your isp|dynamic ip|invalid ip for sending|you cannot send e-?mail to yourself`), nil},
	{record.ReasonFailedSTARTTLS, textmatch.Pat(`starttls|\btls\b`), nil},
	{record.ReasonSyntaxError, textmatch.Pat(`syntax error|command unrecognized|bad sequence|improper sequence|command parameter not implemented|command not implemented`), nil},
	{record.ReasonUserUnknown, textmatch.Pat(`user unknown|unknown user|unknown recipient|no such (?:user|mailbox|recipient|account|address)|user (?:does not|doesn't) exist|user not (?:found|exist)|mailbox (?:not found|unavailable|does not exist)|(?:recipient|address|mailbox|account) (?:does not|doesn't) exist|invalid (?:recipient|address|mailbox)|recipient not found|recipnotfound|not a valid (?:mailbox|recipient|user)|no mailbox here|not listed in (?:the )?(?:domino )?directory|doesn't have a .* account|address couldn't be found|check if (?:the )?address is correct|no valid recipients|adresse destinataire invalide|user not listed`), nil},
	{record.ReasonSystemError, textmatch.Pat(`system error|internal error|server error|local error|transaction failed|service (?:currently )?unavailable|could not load|queue file write error|insufficient permission|resources? (?:temporarily )?unavailable`), nil},
	// The bare refusal of a recipient, with no more said, comes last.
	{record.ReasonUserUnknown, textmatch.Pat(`recipient (?:address )?rejected|address rejected`), nil},
}

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
// first, and these are the fallback.
var weakStatus = map[[2]int]record.Reason{
	{1, 0}: record.ReasonUserUnknown, {1, 3}: record.ReasonUserUnknown, {1, 4}: record.ReasonUserUnknown, {1, 10}: record.ReasonNotAccept,
	{2, 1}: record.ReasonSuspend, {2, 4}: record.ReasonSystemError,
	{3, 0}: record.ReasonSystemError, {3, 1}: record.ReasonSystemFull, {3, 2}: record.ReasonNotAccept, {3, 5}: record.ReasonSystemError,
	{4, 0}: record.ReasonNetworkError, {4, 1}: record.ReasonExpired, {4, 2}: record.ReasonNetworkError,
	{4, 3}: record.ReasonSystemError, {4, 4}: record.ReasonHostUnknown, {4, 5}: record.ReasonSystemFull,
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
	{7, 28}: record.ReasonSpeeding, {7, 29}: record.ReasonSecurityError, {7, 30}: record.ReasonSecurityError,
}

// classify decides a recipient's reason and says why. The order: a
// delivery; the receiver's own codes and texts; texts specific enough to
// override any status; a status with a specific meaning; the words of the
// reply; the SMTP stage at connection time; the status' general meaning;
// the reply code with the stage; a delay; and, last, onhold or undefined.
func classify(r *record.Recipient, ldiag string) (record.Reason, string) {
	if r.Action == record.ActionDelivered || r.Action == record.ActionRelayed || r.Action == record.ActionExpanded || r.Action == "deliverable" {
		return record.ReasonDelivered, "action " + string(r.Action)
	}
	c := newClue(r, ldiag)
	if c.status.IsSuccess() && (c.code == 0 || c.code/100 == 2) {
		return record.ReasonDelivered, "status " + c.status.String()
	}
	if reason, ev, ok := vendorReason(c); ok {
		return reason, ev
	}
	if reason, ev, ok := c.matchText(overrideSet); ok {
		return reason, ev
	}
	if reason, ok := strongStatus[[2]int{int(c.status.Subject()), c.status.Detail()}]; ok && c.status.Class() != enhancedcode.Success {
		return reason, "status " + c.status.String()
	}
	if reason, ev, ok := c.matchText(textSet); ok {
		if c.atConnection() && aboutRecipient(reason) {
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
		if reason == record.ReasonHostUnknown && c.temporary {
			return record.ReasonNetworkError, ev + " with a temporary failure"
		}
		return reason, ev
	}
	if c.diagType == "x-unix" {
		return record.ReasonMailerError, "diagnostic type x-unix"
	}
	if c.atConnection() && c.failing() {
		return record.ReasonBlocked, fmt.Sprintf("stage %s: reply %s", c.cmd, c.replyString())
	}
	if r.Action == record.ActionDelayed {
		return record.ReasonExpired, "action delayed"
	}
	if c.cmd == "MAIL" && c.failing() {
		return record.ReasonRejected, fmt.Sprintf("stage MAIL: reply %s", c.replyString())
	}
	if !c.status.IsZero() {
		if reason, ok := weakStatus[[2]int{int(c.status.Subject()), c.status.Detail()}]; ok {
			if reason == record.ReasonUserUnknown {
				return c.unknownByStage("status " + c.status.String())
			}
			return reason, "status " + c.status.String()
		}
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

// matchText tries rules on the innermost reply's text, then on the whole
// diagnostic, and returns the first match with its evidence.
func (c *clue) matchText(rs *ruleSet) (record.Reason, string, bool) {
	for k, t := range c.texts() {
		if t[0] == "" {
			continue
		}
		mask := c.candidates(k, t[0], rs)
		for i, rule := range rs.Rules {
			if mask&(1<<i) == 0 {
				continue
			}
			if loc := rule.Re.Search(t[0]); loc != nil {
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

// candidates returns rs.candidates(text), text being c.texts()[k][0],
// from one scan of the text for all rule sets of the index, made on the
// first call for the text.
func (c *clue) candidates(k int, text string, rs *ruleSet) uint64 {
	if rs.index != ruleLiterals {
		return rs.candidates(text)
	}
	if !c.scanned[k] {
		ruleLiterals.candidates(text, c.cand[k][:])
		c.scanned[k] = true
	}
	return c.cand[k][rs.slot]
}

// diagCandidates returns rs.candidates(c.ldiag), from the scan that
// matchText makes of the whole diagnostic.
func (c *clue) diagCandidates(rs *ruleSet) uint64 {
	k := 0
	if c.lcause != "" && c.lcause != c.ldiag {
		k = 1 // see texts
	}
	return c.candidates(k, c.ldiag, rs)
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
