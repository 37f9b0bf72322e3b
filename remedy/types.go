package remedy

import (
	"regexp"
	"time"
)

// Urgency says how much business mail a problem stops.
type Urgency string

// Urgency values.
const (
	// UrgencyHigh: mail stops for a whole domain, tenant or IP address.
	UrgencyHigh Urgency = "high"
	// UrgencyMedium: one recipient domain or one mail flow is affected.
	UrgencyMedium Urgency = "medium"
	// UrgencyLow: a single recipient is affected, or the problem resolves itself.
	UrgencyLow Urgency = "low"
)

// Valid reports whether u is one of the defined values.
func (u Urgency) Valid() bool {
	switch u {
	case UrgencyHigh, UrgencyMedium, UrgencyLow:
		return true
	}
	return false
}

// RetryAdvice says whether the sender should send the message again.
type RetryAdvice string

// RetryAdvice values.
const (
	// RetryWait: the sending server is still retrying by itself; nobody
	// needs to resend yet. Only a delay notice gets this advice; it is not
	// valid as an entry's policy.
	RetryWait RetryAdvice = "wait"
	// RetryAfterFix: resend only after the cause has been dealt with.
	RetryAfterFix RetryAdvice = "resend-after-fix"
	// RetryNever: resending the same message to the same address cannot
	// succeed, or (CaseNone) nothing failed and nothing needs resending.
	RetryNever RetryAdvice = "do-not-resend"
)

// Valid reports whether r is one of the defined values.
func (r RetryAdvice) Valid() bool {
	switch r {
	case RetryWait, RetryAfterFix, RetryNever:
		return true
	}
	return false
}

// RetryCase is the state of delivery that a bounce reports for one
// recipient, which decides the advice about sending again (see
// [DecideRetry]).
type RetryCase string

// RetryCase values.
const (
	// CaseDelayed: a delay notice; the sending server is still retrying.
	CaseDelayed RetryCase = "delayed"
	// CaseExpired: a final failure after a temporary condition; the
	// sending server has stopped retrying and the message was not
	// delivered.
	CaseExpired RetryCase = "expired"
	// CasePermanent: a permanent failure (5xx), or a temporary reply
	// whose text says that retrying will not succeed.
	CasePermanent RetryCase = "permanent"
	// CaseNone: a report of no failure (see [NotFailure]): a delivery,
	// relay or expansion report, an automatic reply or a complaint
	// report. Nothing is retried and nothing needs to be sent again.
	CaseNone RetryCase = "none"
)

// RetryCases lists the RetryCases of a failure, each of which an entry
// has a text for. [CaseNone] is not one of them: it takes an entry's
// permanent text, which for the entries of reports of no failure says
// that nothing needs to be sent again.
var RetryCases = []RetryCase{CaseDelayed, CaseExpired, CasePermanent}

// Actor is a party that has to act on a bounce.
type Actor string

// Actor values.
const (
	// ActorSender is the person who sent the message.
	ActorSender Actor = "sender"
	// ActorSenderAdmin is the sender's mail and DNS administrator.
	ActorSenderAdmin Actor = "sender-admin"
	// ActorHostingProvider is the hosting provider, IP address owner or
	// email service provider that runs the sending server.
	ActorHostingProvider Actor = "hosting-provider"
	// ActorRecipient is the person the message was addressed to.
	ActorRecipient Actor = "recipient"
	// ActorRecipientProvider is the recipient's mail provider or administrator.
	ActorRecipientProvider Actor = "recipient-provider"
)

// Actors lists every valid Actor in the order explanations present them.
var Actors = []Actor{ActorSender, ActorSenderAdmin, ActorHostingProvider, ActorRecipient, ActorRecipientProvider}

// Valid reports whether a is one of the defined values.
func (a Actor) Valid() bool {
	for _, v := range Actors {
		if a == v {
			return true
		}
	}
	return false
}

// Reasons is the reason vocabulary (the names used by bounce
// classifiers of the Sisimai family). Every name has a generic entry in
// the embedded catalogue.
var Reasons = []string{
	"userunknown", "hostunknown", "hasmoved", "notaccept", "mailboxfull",
	"mesgtoobig", "exceedlimit", "suspend", "expired", "networkerror",
	"toomanyconn", "speeding", "blocked", "badreputation", "requireptr",
	"rejected", "authfailure", "policyviolation", "spamdetected",
	"virusdetected", "filtered", "contenterror", "notcompliantrfc",
	"securityerror", "failedstarttls", "norelaying", "syntaxerror",
	"systemerror", "systemfull", "mailererror", "onhold", "undefined",
	"vacation", "feedback", "delivered", "suppressed",
}

func knownReason(r string) bool {
	for _, v := range Reasons {
		if r == v {
			return true
		}
	}
	return false
}

// Facts are what a bounce says about one recipient.
type Facts struct {
	Reason    string   // vocabulary name, "" if unknown
	ReplyCode int      // SMTP reply code, 0 if none
	Status    string   // enhanced status such as "4.7.650", "" if none
	Texts     []string // diagnostic texts (outer reply, innermost remote reply, human-readable lines)
	// Cause is the remote server's own reply when the bounce quotes it
	// inside a reply of the reporting server's that gives another code
	// and Status is that outer reply's, as in Exchange's "550 4.4.7
	// QUEUE.Expired; message expired -> 451 4.7.1 ..."; "" otherwise. It is matched as one more text, and
	// a token or text pattern found in it ranks above one found only in
	// the other texts, and Status, the wrapper's, adds nothing to the
	// rank: the quoted reply says why delivery failed, the wrapper only
	// that it did.
	Cause     string
	Recipient string // recipient address (its domain selects receivers)
	RemoteMTA string // remote host name if known
	Temporary bool   // the failure is temporary (4xx, Action: delayed)
	Action    string // "failed", "delayed", "delivered", ...
	// RetryUntil is when the sending server gives up retrying (the DSN's
	// Will-Retry-Until field), the zero time if the bounce does not say.
	RetryUntil time.Time
	// RetryFor is how long the sending server keeps retrying when the
	// bounce says so in words but gives no time to count from (pasted
	// text without its date): from the notice ("Gmail will retry for 45
	// more hours"), or, with RetryFromArrival, from when the server
	// received the message ("until it is 5 day(s) old"). It serves a
	// delay whose RetryUntil is zero.
	RetryFor time.Duration
	// RetryFromArrival says that RetryFor counts from the message's
	// arrival at the sending server, not from the notice.
	RetryFromArrival bool
	// Sender is the address the message was sent from: the From
	// address of the returned message, else its envelope sender (the
	// Return-Path of the returned message or Postfix's X-Postfix-Sender);
	// "" when the bounce does not say. Conditions.SameDomain compares it
	// with the address the sender wrote.
	Sender string
	// OriginalRecipient is the address the sender wrote when the bounce
	// names one other than Recipient: the DSN's Original-Recipient field,
	// or Postfix's "(expanded from <...>)" after the recipient. An alias
	// or a forwarding address has been expanded to Recipient.
	// Conditions.Forwarded compares its local part with Recipient's.
	OriginalRecipient string
	// Local is true when the host that wrote the bounce decided the
	// failure itself, without another mail server's answer: the bounce
	// names no remote server and quotes no SMTP reply (a delivery to a
	// mailbox on that host failed), or the only remote server is on a
	// loopback address (127.0.0.0/8, ::1, localhost), which is the same
	// host, such as a content filter handing mail back.
	Local bool
	// ReportedBy is who wrote the bounce: the address of its From field
	// (MAILER-DAEMON@yahoo.co.jp), else the host of its Reporting-MTA;
	// "" when the bounce does not say. Conditions.RecipientServer
	// compares its domain with the receivers'.
	ReportedBy string
	// ReportingMTA is the host the report's Reporting-MTA field names
	// ("dns; mail.example.com" or the bare name); "" when there is none.
	// With ReportedBy it tells whether a mail service sent the message
	// (see Match.SentBy).
	ReportingMTA string
	// Unreachable is true when the bounce names recipients at two or more
	// registrable domains and the sending server reached the mail
	// server of none of them: every one failed or was delayed while
	// connecting (a timeout, a refused connection), without a reply
	// code. The cause then lies more likely on the sending side (its
	// outgoing connections on port 25 blocked, its network down) than
	// with every one of the recipients' servers at once.
	Unreachable bool
	// Submission is true when a mail program or an application, not a
	// mail server, reports its own attempt to hand the message over: its
	// error message quotes its outgoing server's refusal ("The server
	// responded: 452 4.5.3 ...") or says it could not connect. Nothing
	// was queued, so no server retries it and the sender sends it again
	// (see DecideRetry).
	Submission bool
	// AutoResponse is true when the message that failed was itself an
	// automatic response to an earlier message, sent back to that
	// message's sender: a bounce, a read receipt or an automatic reply
	// such as a vacation notice (see ndr.Original.AutoResponse). The
	// recipient is then the earlier message's sender, and no message a
	// person wrote was lost.
	AutoResponse bool
	// ListMessage is true when the message that failed was a mailing
	// list's copy of a post (see ndr.Original.ListMessage): the list, not
	// the author's server, sent it on, and may have changed it.
	ListMessage bool
}

// Conditions say when an entry applies.
//
// Reasons, Statuses, Tokens and Texts are triggers: the entry applies
// when at least one of them matches. Receivers, Domains, Hosts,
// ReplyCodes, Actions, SameDomain, Local, Forwarded, Unreachable,
// RecipientServer, RemoteServer, AutoResponse and ListMessage are
// constraints: when
// given, they must hold as well (Receivers, Domains and Hosts together
// form one constraint, satisfied by any of them).
type Conditions struct {
	// Reasons are reason names (ndr.Reason values) that trigger the entry.
	Reasons []string `json:"reasons,omitempty"`
	// Statuses are enhanced status codes that trigger the entry: C.S.D,
	// x.S.D (any class), C.S.LO-HI (a range of details), or the prefixes
	// C.S. and C., with C in 2, 4 or 5.
	Statuses []string `json:"statuses,omitempty"`
	// Tokens are vendor tokens (e.g. "S3150", "TSS04") that trigger the
	// entry when found as words in the text; '#' stands for digits and
	// '*' for letters and digits.
	Tokens []string `json:"tokens,omitempty"`
	// Texts are case-insensitive regular expressions (RE2) that trigger
	// the entry when found in one of Facts.Texts.
	Texts []string `json:"texts,omitempty"`
	// Receivers are receiver names (see Receiver) the recipient must
	// belong to.
	Receivers []string `json:"receivers,omitempty"`
	// Domains are recipient domains; a domain also matches its
	// subdomains.
	Domains []string `json:"domains,omitempty"`
	// Hosts are remote host names; a name also matches its subdomains.
	Hosts []string `json:"hosts,omitempty"`
	// ReplyCodes are the SMTP reply codes the bounce must carry.
	ReplyCodes []int `json:"replyCodes,omitempty"`
	// Actions are the DSN actions (Facts.Action: "failed", "delayed",
	// "delivered", "relayed", "expanded", compared without regard to
	// case or surrounding blanks) the bounce must report, so that an
	// entry can speak of a delay notice apart from a final failure.
	Actions []string `json:"actions,omitempty"`
	// SameDomain requires that Facts.Sender and the address the sender
	// wrote (Facts.OriginalRecipient when it has a domain, else
	// Facts.Recipient) have the same registrable domain: the domain one
	// label below its public suffix, so that sales@example.co.jp and
	// staff@tokyo.example.co.jp share example.co.jp. The sender then wrote
	// to an address of their own organisation, even when it forwarded the
	// message elsewhere. It fails when either address is unknown.
	SameDomain bool `json:"sameDomain,omitempty"`
	// Local requires Facts.Local: the host that wrote the bounce decided
	// the failure itself.
	Local bool `json:"local,omitempty"`
	// Forwarded requires that Facts.OriginalRecipient and
	// Facts.Recipient have different local parts (compared without
	// regard to case or quotes): the address the sender wrote was
	// forwarded or expanded to another mailbox, at the same domain (an
	// alias) or another, not routed on under its own name.
	Forwarded bool `json:"forwarded,omitempty"`
	// Unreachable requires Facts.Unreachable: the sending server reached
	// the mail server of none of the bounce's recipients, at two or more
	// domains.
	Unreachable bool `json:"unreachable,omitempty"`
	// RecipientServer requires that the server whose answer the bounce
	// quotes is the recipient domain's own: Facts.RemoteMTA has the
	// recipient's registrable domain (mx.example.org for
	// user@example.org), or the bounce was written by one of the
	// catalogue's receivers (Facts.ReportedBy at its domains or hosts: a
	// mail service such as Gmail or Yahoo! JAPAN delivers its users'
	// mail straight to the recipient's server, with no relay of the
	// sender's in between).
	RecipientServer bool `json:"recipientServer,omitempty"`
	// RemoteServer requires that the bounce is a mail server's report
	// that names the remote server whose answer it quotes
	// (Facts.RemoteMTA), not a mail program's error (Facts.Submission):
	// the sending server, not the user's mail program, was the client
	// that the answer is about.
	RemoteServer bool `json:"remoteServer,omitempty"`
	// AutoResponse requires Facts.AutoResponse: the message that failed
	// was an automatic response (a bounce, a read receipt, an automatic
	// reply).
	AutoResponse bool `json:"autoResponse,omitempty"`
	// ListMessage requires Facts.ListMessage: the message that failed
	// was a mailing list's copy of a post.
	ListMessage bool `json:"listMessage,omitempty"`
	// Require lists evidence that must be present in addition to a
	// trigger: every kind given in it (reasons, statuses, tokens, texts)
	// must match.
	Require Requirement `json:"require,omitzero"`
	// Exclude lists evidence that rules the entry out: when any item of
	// it matches, the entry does not apply. Use it to keep a trigger from
	// firing on what merely resembles its cause, e.g. "Host not found,
	// try again" for an entry about domains that do not exist.
	Exclude Requirement `json:"exclude,omitzero"`
}

// ReasonOnly reports whether the conditions are reasons and nothing
// else: no other trigger, constraint, requirement or exclusion. An entry
// with such conditions is the generic entry of its reasons.
func (w *Conditions) ReasonOnly() bool {
	return len(w.Reasons) > 0 &&
		len(w.Statuses)+len(w.Tokens)+len(w.Texts)+len(w.Receivers)+len(w.Domains)+len(w.Hosts)+len(w.ReplyCodes)+len(w.Actions) == 0 &&
		!w.asksParty() &&
		w.Require.empty() && w.Exclude.empty()
}

// empty reports whether r lists nothing.
func (r *Requirement) empty() bool {
	return len(r.Reasons)+len(r.Statuses)+len(r.Tokens)+len(r.Texts) == 0
}

// Requirement is evidence an entry requires besides its trigger. Each
// non-empty list must have at least one matching item.
type Requirement struct {
	// Reasons are reason names, as in Conditions.Reasons.
	Reasons []string `json:"reasons,omitempty"`
	// Statuses are status patterns, as in Conditions.Statuses.
	Statuses []string `json:"statuses,omitempty"`
	// Tokens are vendor tokens, as in Conditions.Tokens.
	Tokens []string `json:"tokens,omitempty"`
	// Texts are regular expressions, as in Conditions.Texts.
	Texts []string `json:"texts,omitempty"`
}

// evidence is a compiled set of reasons, statuses, tokens and texts.
type evidence struct {
	reasons  []string
	statuses []statusPattern
	literal  []string // upper-case literal tokens
	patterns []tokenPattern
	texts    []textPattern
}

// textPattern is a compiled "texts" item.
type textPattern struct {
	re   *regexp.Regexp
	lits [][]string // literal groups a match needs (see requiredLiterals)
	// alts are the strings, lower case and in the order of preference,
	// that a pattern matching nothing but a few ASCII strings matches (see
	// alternatives), and wordStart and wordEnd its \b at the start and end.
	alts               []string
	wordStart, wordEnd bool
	line               bool // see lineLocal
	// maxLen is the most bytes a match can span (-1: no limit) in a text
	// without the runes of literal.fold.
	maxLen int
	// beginLine and boundary report multi-line ^ and \b or \B, whose
	// result depends on the byte before the searched text.
	beginLine, boundary bool
}

// Step is one thing an actor should do.
type Step struct {
	// Actor is the party who takes the step.
	Actor Actor `json:"actor"`
	// Text says what to do, in the Text's language.
	Text string `json:"text"`
	// OwnServer marks a step that changes the sending server itself or
	// the line it sends from (its outgoing port 25, firewall, timeouts,
	// connections per destination). It is left out when a mail service
	// sent the message (see Match.SentBy): the sender cannot change that
	// service's servers. Every text keeps at least one other step.
	OwnServer bool `json:"ownServer,omitempty"`
}

// Text is the text of an entry in one language.
type Text struct {
	// Gist is the cause and who acts in one short line, read first.
	Gist    string     `json:"gist"`
	Title   string     `json:"title"`   // the cause, as a heading
	Summary string     `json:"summary"` // what happened, in a few sentences
	Steps   []Step     `json:"steps"`   // what each party does
	Retry   RetryTexts `json:"retry"`   // about sending again, per case
}

// RetryTexts are an entry's advice about sending again, one text per
// [RetryCase]. All three are required.
type RetryTexts struct {
	// Delayed is shown for a delay notice; the catalogue puts a sentence
	// saying how long the sending server keeps trying before it.
	Delayed string `json:"delayed"`
	// Expired is shown when the sending server has given up after a
	// temporary condition: the message was not delivered.
	Expired string `json:"expired"`
	// Permanent is shown for a permanent failure; it follows the
	// entry's Retry policy.
	Permanent string `json:"permanent"`
}

// For returns the text for case c; CaseNone takes the permanent text.
func (t RetryTexts) For(c RetryCase) string {
	switch c {
	case CaseDelayed:
		return t.Delayed
	case CaseExpired:
		return t.Expired
	}
	return t.Permanent
}

// Entry is one cause in the catalogue with its remedy. Entries returned
// by a Catalogue are shared: do not modify them.
type Entry struct {
	// ID names the entry, unique in a catalogue; the embedded generic
	// entries are named "reason-" and their reason.
	ID string `json:"id"`
	// When says which bounces the entry applies to.
	When Conditions `json:"when"`
	// Urgency is how soon someone should act.
	Urgency Urgency `json:"urgency"`
	// Retry is the advice for a permanent failure: RetryAfterFix or
	// RetryNever. The advice for a given bounce depends on its facts
	// (see DecideRetry and Entry.Advice).
	Retry RetryAdvice `json:"retry"`
	// References are the sources for the entry: provider documentation,
	// RFCs or MTA documentation, on hosts listed in reference-hosts.txt.
	References []string `json:"references,omitempty"`
	// Checked is the date (YYYY-MM-DD) a person last confirmed that the
	// references say what the entry says.
	Checked string `json:"checked"`
	// Text holds the entry's text by language ("en", "ja").
	Text map[string]Text `json:"text"`

	when    evidence
	require evidence
	exclude evidence
}

// Receiver is a named mail receiver (a mailbox provider or carrier),
// recognised by the recipient's domain or the remote host name.
type Receiver struct {
	// Name is the name that Conditions.Receivers refers to.
	Name string `json:"name"`
	// Domains are the receiver's recipient domains (subdomains match too).
	Domains []string `json:"domains,omitempty"`
	// Hosts are the receiver's MX or server host names (subdomains
	// match too).
	Hosts []string `json:"hosts,omitempty"`
}

// file is the layout of one data file.
type file struct {
	Receivers []Receiver `json:"receivers,omitempty"`
	Entries   []Entry    `json:"entries,omitempty"`
}
