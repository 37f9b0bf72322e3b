package classify

import (
	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// microsoftReceiver is Microsoft's mail: Exchange Online (Microsoft 365)
// and Outlook.com (Hotmail, Live, MSN). Its tables follow Microsoft's
// "Email non-delivery reports and SMTP errors in Exchange Online" (status
// details X.7.500 and up, X.2.121, X.1.90, X.4.3xx, X.6.11), the Exchange
// Server NDR documentation (RESOLVER.*, QUEUE.*, SMTPSEND.*, ROUTING.*
// identifiers) and the Outlook.com postmaster codes (S3140, S3150, S775,
// S3114, S3115 and the legacy SC-00x blocks).
var microsoftReceiver = receiver{
	name:    "microsoft",
	domains: []string{"outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.jp", "outlook.jp", "live.jp"},
	hosts:   []string{"protection.outlook.com", "outlook.com", "hotmail.com"},
	marker:  "protection.outlook.com",
	Rules: []vendorRule{
		{reason: record.ReasonUserUnknown, Re: re(`recipient address rejected: access denied`), subject: 4, details: [2]int{1, 1}},
		{reason: record.ReasonUserUnknown, Re: re(`requested action not taken: mailbox unavailable`)},
		{reason: record.ReasonNoRelaying, Re: re(`unable to relay`)},
		{reason: record.ReasonPolicyViolation, Re: re(`delivery not authorized`)},
		// Registered codes that Exchange Online uses in a meaning of
		// its own (the Exchange Online NDR list): "550 5.1.8 Access
		// denied, bad outbound sender", a sending account blocked for
		// sending spam, is no "Bad sender's system address"; "550
		// 5.7.12 Sender was not authenticated by organization", a
		// recipient that takes mail only from inside its organisation,
		// is no "A password transition is needed".
		{reason: record.ReasonRejected, Re: re(`bad outbound sender`), subject: 1, details: [2]int{8, 8}},
		{reason: record.ReasonSecurityError, Re: re(`not authenticated by organi[sz]ation`), subject: 7, details: [2]int{12, 12}},
	},
	tokens: []tokenRule{
		// Block list (S3140, S3150), reputation throttling (S775,
		// S3114, and the older RP-001 to RP-003, "rate limit ...
		// related to IP/domain reputation" in the Outlook.com
		// postmaster troubleshooting table), connection limit
		// (S3115); legacy SC-00x blocks.
		{re: re(`^S31[45]0$`), reason: record.ReasonBlocked},
		{re: re(`^(?:S775|S3114|RP-00[1-3])$`), reason: record.ReasonBadReputation},
		{re: re(`^S3115$`), reason: record.ReasonTooManyConn},
		{re: re(`^SC-\d{3}`), reason: record.ReasonBlocked},
		// An AS(nnn) number names the anti-spam rule that refused the
		// message and says nothing of the reason by itself: Microsoft
		// appends AS(201806281) to Directory-Based Edge Blocking's
		// "5.4.1 Recipient address rejected: Access denied" (an address
		// that does not exist), AS(1430) to 5.7.606 (a banned IP) and
		// AS(7555) to 5.7.520 (forwarding not allowed). The status and
		// the words decide.
	},
	codes: microsoftCodes,
}

// microsoftCodes reads Microsoft's statuses outside the IANA range and
// Exchange's identifiers.
func microsoftCodes(c *clue) (record.Reason, string, bool) {
	// "554 5.2.252 SendAsDenied; a@example.com not allowed to send as
	// b@example.com" and "550 5.7.60 SMTP; Client does not have
	// permissions to send as this sender": the mailbox may not send with
	// that From address, a refused sender. The same 5.2.252 with "Sender
	// throttled due to continuous send as denied errors" is the
	// throttling that repeated refusals bring, read by its status below.
	if loc := microsoftSendAs.Search(c.ldiag); loc != nil {
		return record.ReasonRejected, "text " + quoteSpan(c.ldiag, c.diag, loc), true
	}
	// X.6.11 is outside the IANA registry as well.
	if c.status.Detail() >= 90 || c.status.Subject() == 6 && c.status.Detail() == 11 {
		if reason := microsoftStatus(c.status); reason != "" {
			return reason, "status " + c.status.String(), true
		}
	}
	if textutil.ContainsAny(c.ldiag, "resolver.", "queue.", "smtpsend.", "routing.", "transport.rules.", "weren't sent", "quota", "limit") {
		mask := c.diagCandidates(microsoftSet)
		for i, rule := range microsoftSet.Rules {
			if mask&(1<<i) == 0 {
				continue
			}
			if loc := rule.Re.Search(c.ldiag); loc != nil {
				return rule.reason, "text " + quoteSpan(c.ldiag, c.diag, loc), true
			}
		}
	}
	return "", "", false
}

// microsoftSendAs is Exchange's refusal of a From address that the
// submitting mailbox has no Send As permission for.
var microsoftSendAs = textmatch.Pat(`sendasdenied|not allowed to send as|permissions? to send as`)

// microsoftStatus maps Microsoft's status details above the IANA range
// (X.7.500 and up, X.7.322-325, X.3.190, X.2.121, X.1.10 ...), which
// only Microsoft uses.
func microsoftStatus(s enhancedcode.Code) record.Reason {
	d := s.Detail()
	switch s.Subject() {
	case 7:
		switch {
		case d == 509 || d == 515:
			return record.ReasonAuthFailure
		case d == 508:
			return record.ReasonSpeeding
		case d == 512:
			return record.ReasonNotCompliantRFC
		case d >= 501 && d <= 503 || d == 750:
			return record.ReasonRejected
		case d == 520:
			// "Access denied, Your organization does not allow
			// external forwarding": the outbound policy of the
			// organisation whose mailbox forwarded the message,
			// not a block of the sending server.
			return record.ReasonPolicyViolation
		case d == 504 || d == 505:
			return record.ReasonUserUnknown
		case d == 650 || d == 651 || d == 705 || d == 708:
			return record.ReasonBadReputation
		case d == 652:
			return record.ReasonTooManyConn
		case s.Class() == enhancedcode.Transient && d >= 500 && d <= 699:
			// "451 4.7.500-699 (ASxxx) Access denied, please try
			// again later": Exchange Online throttles a source IP
			// whose volume looks suspicious (graylisting).
			return record.ReasonBadReputation
		case d >= 506 && d <= 649 || d == 800 || d >= 850 && d <= 899:
			return record.ReasonBlocked
		case d == 703 || d >= 900 && d <= 999 || d == 124:
			return record.ReasonPolicyViolation
		case d == 139:
			// "535 5.7.139 Authentication unsuccessful": SMTP AUTH
			// refused, because the tenant or the mailbox has SMTP
			// client authentication (basic authentication) turned off
			// or a sign-in policy blocks it (Microsoft 365 "Enable or
			// disable authenticated client SMTP submission").
			return record.ReasonSecurityError
		case d >= 133 && d <= 136 || d == 193:
			// The recipient (a group, a distribution list, a
			// mailbox) accepts only authenticated or internal
			// senders; 5.7.193 is a Microsoft 365 group's
			// UnifiedGroupAgent refusing an outside sender.
			return record.ReasonSecurityError
		case d >= 322 && d <= 325:
			// The destination's TLS failed validation:
			// certificate-expired, tlsa-invalid (DANE),
			// dnssec-invalid, certificate-host-mismatch (the
			// RFC 8460 result types). 4.7.321,
			// starttls-not-supported, is read by its words.
			return record.ReasonSecurityError
		}
	case 3:
		if d == 190 {
			// Journaling on-premises messages to Microsoft 365
			// is not supported when Journaling Archive is
			// disabled.
			return record.ReasonPolicyViolation
		}
	case 2:
		// 5.2.251-255: "Sender throttled due to continuous mailbox
		// full (send as denied, invalid license, too many
		// recipients, invalid recipients) errors", Exchange Online
		// pausing a mailbox's SMTP AUTH submissions
		// (learn.microsoft.com/en-us/exchange/mail-flow-best-practices/
		// continuous-error-throttling-smtp-auth-submissions).
		if d == 121 || d == 122 || d >= 251 && d <= 255 {
			return record.ReasonSpeeding
		}
	case 1:
		if d == 90 {
			return record.ReasonSpeeding
		}
	case 4:
		switch {
		case d == 300 || d == 316 || d == 318:
			return record.ReasonExpired
		case d == 310:
			// "550 5.4.310 DNS domain <domain> does not exist": the
			// lookup answered that the recipient's domain has no
			// record.
			return record.ReasonHostUnknown
		case d == 312:
			// "DNS query failed": the lookup failed (a server failure
			// or a timeout), which is not the answer that the domain
			// does not exist (x.4.310 "DNS domain does not exist").
			return record.ReasonNetworkError
		}
	case 6:
		if d == 11 {
			return record.ReasonNotCompliantRFC
		}
	}
	return ""
}

// microsoftTexts are Exchange's own identifiers and wordings.
var microsoftTexts = []textRule{
	{record.ReasonUserUnknown, textmatch.Pat(`resolver\.adr\.(?:exrecipnotfound|recipnotfound|recipientnotfound|invalidinsmtp)`), nil},
	// 5.2.3 RESOLVER.RST.RecipSizeLimit and RESOLVER.RST.SendSizeLimit.Sender
	// ("message too large for this sender"): a size limit that the
	// sending organisation set, for the recipient or for the sender.
	{record.ReasonExceedLimit, textmatch.Pat(`resolver\.rst\.(?:recipsizelimit|sendsizelimit)`), nil},
	// "554 5.2.2 mailbox full; STOREDRV.Submission.Exception:
	// QuotaExceededException...": the sending mailbox is over its
	// storage quota and may not submit (Sent Items count towards it),
	// a limit on the sender's side, not the recipient's mailbox.
	{record.ReasonExceedLimit, textmatch.Pat(`storedrv\.submission\.exception:quotaexceeded`), nil},
	// "5.7.13 or 135: Sender was not authenticated for public folder"
	// (Exchange Online's NDR table): RESOLVER.RST.SenderNotAuthenticatedForPublicFolder,
	// not the registry's disabled account of 5.7.13.
	{record.ReasonSecurityError, textmatch.Pat(`resolver\.rst\.(?:authrequired|notauthorized|sendernotauthenticatedforpublicfolder)`), nil},
	// "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException":
	// the sending mailbox's daily recipient limit.
	{record.ReasonSpeeding, textmatch.Pat(`submission ?quota|daily limit for message recipients|recipient thread limit`), nil},
	{record.ReasonExpired, textmatch.Pat(`queue\.expired`), nil},
	// "550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected
	// by organization policy": a mail flow (transport) rule of an
	// Exchange organisation refused the message, the recipient's or, for
	// outgoing mail, the sender's own; Exchange Online's limits page
	// names the identifier for the rule-loop refusal (5.7.128) as well.
	{record.ReasonPolicyViolation, textmatch.Pat(`transport\.rules\.rejectmessage`), nil},
	{record.ReasonHostUnknown, textmatch.Pat(`smtpsend\.dns\.nonexistentdomain|routing\.nonexthop`), nil},
	{record.ReasonBlocked, textmatch.Pat(`weren't sent\. please contact your internet service provider|part of their network is on our block list`), nil},
}
