package ndr

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// Receivers give some codes and texts a meaning of their own, which may
// differ from the IANA meaning of the same status. The tables below follow
// the receivers' published error-code pages: Microsoft (Exchange Online,
// Outlook.com), Google, Yahoo Inc. (Yahoo, AOL), Apple iCloud, Comcast,
// Cox, Spectrum, Orange and La Poste, NTT docomo, Tencent and Mail.ru.

// receiver is a mail provider recognised by the recipient's domain, the
// remote MTA's host name, or a marker in its replies.
type receiver struct {
	name string
	// domains and hosts are suffixes of the recipient domain and of the
	// remote MTA host name.
	domains, hosts []string
	// marker, when not empty, identifies the receiver's replies by a
	// lower-case substring of the diagnostic.
	marker string
	// rules are tried in order.
	rules []vendorRule
}

// vendorRule is one receiver-specific meaning. A rule matches when every
// condition it sets holds.
type vendorRule struct {
	reason Reason
	// re is matched against the lower-cased diagnostic.
	re *pattern
	// subject and details restrict the rule to enhanced statuses X.s.d
	// with d in [details[0], details[1]].
	subject int
	details [2]int
	// cmd restricts the rule to one SMTP stage.
	cmd string
	// what names the matched code or text in the evidence.
	what string
}

func (v vendorRule) match(c *clue) (string, bool) {
	ev := v.what
	if v.subject != 0 {
		if int(c.status.Subject()) != v.subject || c.status.Detail() < v.details[0] || c.status.Detail() > v.details[1] {
			return "", false
		}
		if ev == "" {
			ev = "status " + c.status.String()
		}
	}
	if v.cmd != "" && c.cmd != v.cmd {
		return "", false
	}
	if v.re != nil {
		loc := v.re.index(c.ldiag)
		if loc == nil {
			return "", false
		}
		if ev == "" {
			ev = "text " + quoteSpan(c.ldiag, c.diag, loc)
		}
	}
	return ev, true
}

func (rc *receiver) is(c *clue) bool {
	for _, d := range rc.domains {
		if hasDomainSuffix(c.domain, d) {
			return true
		}
	}
	for _, h := range rc.hosts {
		if hasDomainSuffix(c.remote, h) {
			return true
		}
	}
	return rc.marker != "" && strings.Contains(c.ldiag, rc.marker)
}

// hasDomainSuffix reports whether host is domain or one of its
// subdomains.
func hasDomainSuffix(host, domain string) bool {
	if host == domain {
		return true
	}
	if !strings.HasSuffix(host, domain) {
		return false
	}
	// host ends with "."+domain, or domain starts with ".".
	return len(host) > len(domain) && host[len(host)-len(domain)-1] == '.' || strings.HasPrefix(domain, ".")
}

func re(s string) *pattern { return pat(s) }

// receivers lists the receiver tables.
var receivers = []receiver{
	{
		name:    "microsoft",
		domains: []string{"outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.jp", "outlook.jp", "live.jp"},
		hosts:   []string{"protection.outlook.com", "outlook.com", "hotmail.com"},
		marker:  "protection.outlook.com",
		rules: []vendorRule{
			{reason: ReasonUserUnknown, re: re(`recipient address rejected: access denied`), subject: 4, details: [2]int{1, 1}},
			{reason: ReasonUserUnknown, re: re(`requested action not taken: mailbox unavailable`)},
			{reason: ReasonNoRelaying, re: re(`unable to relay`)},
			{reason: ReasonPolicyViolation, re: re(`delivery not authorized`)},
		},
	},
	{
		name:    "google",
		domains: []string{"gmail.com", "googlemail.com"},
		hosts:   []string{"google.com", "googlemail.com"},
		marker:  "- gsmtp",
		rules: []vendorRule{
			{reason: ReasonSuspend, re: re(`account that you tried to reach is (?:disabled|inactive)`)},
			{reason: ReasonSpeeding, re: re(`receiving mail (?:too quickly|at a rate)|same message-id|daily (?:smtp relay limit|sending quota)`)},
			{reason: ReasonBadReputation, re: re(`low reputation`)},
			// Google gives 4.7.23 (SPF in the registry) to a missing PTR.
			{reason: ReasonRequirePTR, re: re(`does not have a ptr record`)},
			{reason: ReasonSpamDetected, re: re(`nature of the content or the links`)},
			{reason: ReasonSpeeding, subject: 7, details: [2]int{28, 28}},
			{reason: ReasonAuthFailure, subject: 7, details: [2]int{26, 27}},
			{reason: ReasonAuthFailure, subject: 7, details: [2]int{30, 32}},
			{reason: ReasonFailedSTARTTLS, subject: 7, details: [2]int{29, 29}},
			{reason: ReasonBlocked, re: re(`not in whitelist`)},
			{reason: ReasonPolicyViolation, re: re(`content presents a potential|has a policy that prohibited`)},
		},
	},
	{
		name:    "yahoo",
		domains: []string{"yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "rocketmail.com", "aol.com", "aim.com", "verizon.net"},
		hosts:   []string{"yahoodns.net", "yahoo.com", "mx.aol.com"},
		// Yahoo's own SMTP replies begin "554 delivery error: dd ...".
		marker: "delivery error: dd ",
		rules: []vendorRule{
			{reason: ReasonSuspend, re: re(`mailbox is disabled|account has been disabled or discontinued`)},
			{reason: ReasonUserUnknown, re: re(`doesn't have a [^ ]+ account`)},
			{reason: ReasonRejected, re: re(`unresolvable rfc\.?5321 from domain`)},
			{reason: ReasonPolicyViolation, subject: 7, details: [2]int{9, 9}, re: re(`policy`)},
			{reason: ReasonAuthFailure, subject: 7, details: [2]int{9, 9}, re: re(`unauthenticated|authenticate`)},
		},
	},
	{
		name:    "docomo",
		domains: []string{"docomo.ne.jp"},
		hosts:   []string{"docomo.ne.jp"},
		rules: []vendorRule{
			// A refusal after DATA is the recipient's reception setting
			// refusing this sender.
			{reason: ReasonRejected, re: re(`unknown user`), cmd: "DATA"},
			{reason: ReasonContentError, re: re(`line too long`)},
		},
	},
	{
		name:  "mail.ru",
		hosts: []string{"mail.ru"},
		rules: []vendorRule{
			{reason: ReasonRejected, re: re(`message sending for this account is disabled`)},
		},
	},
}

// tokenRule gives the meaning of a receiver's own code; codes are unique
// to their receiver, so no identification of the receiver is needed.
type tokenRule struct {
	vendor string
	re     *pattern // matched against the token as found
	reason Reason
}

var tokenRules = []tokenRule{
	// Outlook.com: block list (S3140, S3150), reputation throttling
	// (S775, S3114), connection limit (S3115); legacy SC-00x blocks.
	{"microsoft", re(`^S31[45]0$`), ReasonBlocked},
	{"microsoft", re(`^S(?:775|3114)$`), ReasonBadReputation},
	{"microsoft", re(`^S3115$`), ReasonTooManyConn},
	{"microsoft", re(`^SC-\d{3}`), ReasonBlocked},
	{"microsoft", re(`^AS\(`), ReasonBlocked},
	// Yahoo Inc.: deferrals for volume or complaints, which it also gives
	// poorly authenticated senders; permanent deferrals; DNSBL hits;
	// policy refusals.
	{"yahoo", re(`^TSS?0[1-5]$`), ReasonRejected},
	{"yahoo", re(`^TSS(?:09|11)$`), ReasonBlocked},
	{"yahoo", re(`^BL2\d$`), ReasonBlocked},
	{"yahoo", re(`^PH0\d$`), ReasonPolicyViolation},
	// Apple iCloud: policy filter and authentication.
	{"apple", re(`^(?:CS0\d|HM0\d)$`), ReasonPolicyViolation},
	{"apple", re(`^HME\d$`), ReasonAuthFailure},
	// Cox: AUP# codes.
	{"cox", re(`^AUP#(?:CXBL|CDRBL|IPBL\d*)$`), ReasonBlocked},
	{"cox", re(`^AUP#CXDNS$`), ReasonRequirePTR},
	{"cox", re(`^AUP#CXSNDR$`), ReasonAuthFailure},
	{"cox", re(`^AUP#CXCNCT$`), ReasonTooManyConn},
	{"cox", re(`^AUP#URLBL\d*$`), ReasonSpamDetected},
	// Comcast: dynamic space and block lists.
	{"comcast", re(`^(?:ES0000\d\d|BL\d{3,6})$`), ReasonBlocked},
	{"comcast", re(`^RL\d{3,6}$`), ReasonSpeeding},
}

// spectrumAUP maps Spectrum's AUP#In-nnnn / AUP#Out-nnnn numbers.
func spectrumAUP(n int) Reason {
	switch {
	case n == 1000:
		return ReasonBlocked
	case n >= 1100 && n <= 1150:
		return ReasonRequirePTR
	case n >= 1200 && n <= 1260:
		return ReasonBlocked
	case n >= 1300 && n <= 1340:
		return ReasonTooManyConn
	case n >= 1350 && n <= 1490:
		return ReasonSpeeding
	case n == 1530:
		return ReasonMesgTooBig
	case n == 1550:
		return ReasonTooManyConn
	}
	return ""
}

var (
	spectrumPattern = regexp.MustCompile(`^AUP#(?:In|Out|I|O)-?(\d{4})$`)
	orangePattern   = regexp.MustCompile(`\b(?:ofr|lpn)\d{0,3}_(\d{3})\b`)
)

// orangeCode maps the last three digits of Orange's OFRnnn_xxx and
// La Poste's LPNnnn_xxx codes.
func orangeCode(n int) Reason {
	switch n {
	case 101, 102, 103, 105, 106, 107, 108, 109, 510, 999:
		return ReasonBlocked
	case 104:
		return ReasonTooManyConn
	case 305, 402:
		return ReasonSecurityError
	case 401, 517:
		return ReasonAuthFailure
	case 403, 405, 415:
		return ReasonRejected
	case 416:
		return ReasonUserUnknown
	case 417:
		return ReasonMailboxFull
	case 420, 426:
		return ReasonSuspend
	case 505:
		return ReasonSystemError
	case 506:
		return ReasonSpamDetected
	case 514:
		return ReasonMesgTooBig
	case 630:
		return ReasonPolicyViolation
	}
	return ""
}

// microsoftStatus maps Microsoft's status details above the IANA range
// (X.7.500 and up, X.2.121, X.1.10 ...), which only Microsoft uses.
func microsoftStatus(s enhancedcode.Code) Reason {
	d := s.Detail()
	switch s.Subject() {
	case 7:
		switch {
		case d == 509 || d == 515:
			return ReasonAuthFailure
		case d == 508:
			return ReasonSpeeding
		case d == 512:
			return ReasonNotCompliantRFC
		case d >= 501 && d <= 503 || d == 750:
			return ReasonRejected
		case d == 504 || d == 505:
			return ReasonUserUnknown
		case d >= 506 && d <= 649 || d == 800 || d >= 850 && d <= 899:
			return ReasonBlocked
		case d == 650 || d == 651 || d == 705 || d == 708:
			return ReasonBadReputation
		case d == 652:
			return ReasonTooManyConn
		case d == 703 || d >= 900 && d <= 999 || d == 124:
			return ReasonPolicyViolation
		case d >= 133 && d <= 136:
			return ReasonSecurityError
		}
	case 2:
		if d == 121 || d == 122 {
			return ReasonSpeeding
		}
	case 1:
		if d == 90 {
			return ReasonSpeeding
		}
	case 4:
		switch {
		case d == 300 || d == 316 || d == 318:
			return ReasonExpired
		case d == 312:
			return ReasonHostUnknown
		}
	case 6:
		if d == 11 {
			return ReasonNotCompliantRFC
		}
	}
	return ""
}

// microsoftTexts are Exchange's own identifiers and wordings.
var microsoftTexts = []textRule{
	{ReasonUserUnknown, pat(`resolver\.adr\.(?:exrecipnotfound|recipnotfound|recipientnotfound|invalidinsmtp)`), nil},
	{ReasonExceedLimit, pat(`resolver\.rst\.recipsizelimit`), nil},
	{ReasonSecurityError, pat(`resolver\.rst\.(?:authrequired|notauthorized)`), nil},
	{ReasonSpeeding, pat(`submission quota|daily limit for message recipients|recipient thread limit`), nil},
	{ReasonExpired, pat(`queue\.expired`), nil},
	{ReasonHostUnknown, pat(`smtpsend\.dns\.nonexistentdomain|routing\.nonexthop`), nil},
	{ReasonBlocked, pat(`weren't sent\. please contact your internet service provider|part of their network is on our block list`), nil},
}

// vendorReason applies the receivers' own codes and texts.
func vendorReason(c *clue) (Reason, string, bool) {
	for _, t := range c.tokens {
		for _, tr := range tokenRules {
			if tr.re.matches(t) {
				return tr.reason, "vendor " + tr.vendor + ": token " + t, true
			}
		}
		if m := spectrumPattern.FindStringSubmatch(t); m != nil {
			n, _ := strconv.Atoi(m[1])
			if reason := spectrumAUP(n); reason != "" {
				return reason, "vendor spectrum: token " + t, true
			}
		}
	}
	if strings.Contains(c.ldiag, "ofr") || strings.Contains(c.ldiag, "lpn") {
		if m := orangePattern.FindStringSubmatch(c.ldiag); m != nil {
			n, _ := strconv.Atoi(m[1])
			if reason := orangeCode(n); reason != "" {
				return reason, "vendor orange: code " + strings.ToUpper(m[0]), true
			}
		}
	}
	// X.6.11 is outside the IANA registry as well.
	if c.status.Detail() >= 90 || c.status.Subject() == 6 && c.status.Detail() == 11 {
		if reason := microsoftStatus(c.status); reason != "" {
			return reason, "vendor microsoft: status " + c.status.String(), true
		}
	}
	if strings.Contains(c.ldiag, "resolver.") || strings.Contains(c.ldiag, "queue.") || strings.Contains(c.ldiag, "smtpsend.") || strings.Contains(c.ldiag, "routing.") || strings.Contains(c.ldiag, "weren't sent") || strings.Contains(c.ldiag, "quota") || strings.Contains(c.ldiag, "limit") {
		for _, rule := range microsoftTexts {
			if loc := rule.re.index(c.ldiag); loc != nil {
				return rule.reason, "vendor microsoft: text " + quoteSpan(c.ldiag, c.diag, loc), true
			}
		}
	}
	for i := range receivers {
		rc := &receivers[i]
		if !rc.is(c) {
			continue
		}
		for _, v := range rc.rules {
			if ev, ok := v.match(c); ok {
				return v.reason, "vendor " + rc.name + ": " + ev, true
			}
		}
	}
	return "", "", false
}
