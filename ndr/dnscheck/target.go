package dnscheck

import (
	"net/mail"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/ndrkit/ndrkit/ndr"
	"golang.org/x/net/idna"
)

// Service is the service that sent the bounced message, as the report
// shows it.
type Service string

// The sending services Targets recognises.
const (
	// ServiceUnknown: the report does not show who sent the message.
	ServiceUnknown Service = ""
	// ServiceMicrosoft365: the report comes from Exchange Online
	// (*.outlook.com, *.protection.outlook.com, *.prod.outlook.com).
	ServiceMicrosoft365 Service = "microsoft365"
	// ServiceGoogle: the report comes from Gmail or Google Workspace
	// (google.com or googlemail.com hosts).
	ServiceGoogle Service = "google"
	// ServiceOther: the report comes from another server, typically the
	// hosting provider's; Target.ReportingMTA names it.
	ServiceOther Service = "other"
)

// spfInclude is the domain each service's customers include in SPF.
var spfInclude = map[Service]string{
	ServiceMicrosoft365: "spf.protection.outlook.com",
	ServiceGoogle:       "_spf.google.com",
}

// Selector is a DKIM selector under a signing domain.
type Selector struct {
	// Domain is the signing domain (the d= tag).
	Domain string
	// Selector is the selector (the s= tag).
	Selector string
}

// Target is what one recipient's bounce says about the DNS to check.
type Target struct {
	// Recipient is the recipient's address, "" when the target was not
	// derived from a report.
	Recipient string
	// SenderDomain is the envelope sender's domain (Return-Path), ""
	// when the report does not give it; SPF is checked for it, or for
	// FromDomain when it is "".
	SenderDomain string
	// FromDomain is the domain of the returned message's From address;
	// DKIM and DMARC are checked for it.
	FromDomain string
	// SendingIP is the address of the server that sent the message, when
	// the bounce names it ("Messages from 192.0.2.1", "[192.0.2.1] is
	// listed"); the zero Addr otherwise.
	SendingIP netip.Addr
	// Service is the sending service shown by the report.
	Service Service
	// ReportingMTA is the host that wrote the report.
	ReportingMTA string
	// RecipientDomain is the domain of the recipient's address; its MX is
	// checked.
	RecipientDomain string
	// DKIM lists the selectors of the returned message's DKIM-Signature
	// fields.
	DKIM []Selector
	// Checks are the checks the bounce makes relevant, in the order of
	// Kinds; empty when none is. Check skips recipients without checks
	// unless WithAllChecks is given; CheckDomain runs every check the
	// fields allow when Checks is empty.
	Checks []Kind
}

// Targets derives a target from each recipient of rep, in the order of
// rep.Recipients. Recipients that did not fail (automatic replies,
// deliveries) get a target without checks.
func Targets(rep *ndr.Report) []Target {
	if rep == nil {
		return nil
	}
	from := addrDomain(rep.Original.From)
	envelope := addrDomain(rep.Original.Get("Return-Path"))
	sels := dkimSelectors(rep.Original)
	out := make([]Target, 0, len(rep.Recipients))
	for _, r := range rep.Recipients {
		t := Target{
			Recipient:       r.Recipient,
			SenderDomain:    envelope,
			FromDomain:      from,
			RecipientDomain: recipientDomainOf(r),
			DKIM:            sels,
			ReportingMTA:    firstNonEmpty(r.ReportingMTA, rep.ReportingMTA),
		}
		t.Service = service(t.ReportingMTA, rep.Original)
		t.SendingIP = sendingIP(r)
		if r.IsFailure() {
			t.Checks = relevant(r)
		}
		out = append(out, t)
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

var addrRE = regexp.MustCompile(`[^\s<>@"(),;:]+@([^\s<>@"(),;:\[\]]+)`)

// addrDomain returns the lower-case ASCII domain of an address field, ""
// when it has none.
func addrDomain(field string) string {
	var dom string
	if a, err := mail.ParseAddress(field); err == nil {
		_, dom, _ = strings.Cut(a.Address, "@")
	} else if m := addrRE.FindAllStringSubmatch(field, -1); len(m) > 0 {
		dom = m[len(m)-1][1]
	}
	dom = strings.TrimSuffix(strings.ToLower(dom), ".")
	if dom == "" || strings.HasPrefix(dom, "[") {
		return ""
	}
	if a, err := idna.Lookup.ToASCII(dom); err == nil {
		dom = a
	}
	return dom
}

// dkimSelectors reads the d= and s= tags of DKIM-Signature fields.
func dkimSelectors(o ndr.Original) []Selector {
	var out []Selector
	for _, f := range o.Header {
		if !strings.EqualFold(f.Name, "DKIM-Signature") {
			continue
		}
		var s Selector
		for tag := range strings.SplitSeq(f.Value, ";") {
			k, v, _ := strings.Cut(tag, "=")
			k = strings.TrimSpace(k)
			v = strings.Join(strings.Fields(v), "")
			switch k {
			case "d":
				s.Domain = strings.ToLower(v)
			case "s":
				s.Selector = strings.ToLower(v)
			}
		}
		if s.Domain != "" && s.Selector != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// hostUnder reports whether host is domain or a name under it.
func hostUnder(host, domain string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// service tells the sending service from the reporting MTA, and from
// the returned header when the report names no MTA.
func service(mta string, o ndr.Original) Service {
	switch {
	case hostUnder(mta, "outlook.com"):
		return ServiceMicrosoft365
	case hostUnder(mta, "google.com"), hostUnder(mta, "googlemail.com"):
		return ServiceGoogle
	case mta != "":
		return ServiceOther
	}
	for _, f := range o.Header {
		n := strings.ToLower(f.Name)
		switch {
		case strings.HasPrefix(n, "x-ms-exchange-"):
			return ServiceMicrosoft365
		case n == "x-gm-message-state", n == "x-google-smtp-source":
			return ServiceGoogle
		}
	}
	return ServiceUnknown
}

const ipPat = `((?:[0-9]{1,3}\.){3}[0-9]{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})`

// sendingIPRE match the phrases in which receivers name the client
// address. The address of the remote MTA, which MTAs write as
// host[address], is not matched.
var sendingIPRE = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(?:messages?|mail|connections?) from \[?` + ipPat),
	regexp.MustCompile(`(?i)\bmail server \[?` + ipPat),
	regexp.MustCompile(`(?i)\bclient(?: host)? \[` + ipPat),
	regexp.MustCompile(`(?i)cannot find your (?:reverse )?hostname,? \[` + ipPat),
	regexp.MustCompile(`(?i)\[?` + ipPat + `\]? (?:is|has been|was) (?:listed|black ?listed|block ?listed|blocked)`),
	regexp.MustCompile(`(?i)\b(?:your|sending|sender|source|connecting|originating) (?:IP|address|host)(?: address)?:? ?[\[(]?` + ipPat),
	regexp.MustCompile(`(?i)\bIP(?: address)?[:=]? ?[\[(]` + ipPat),
	regexp.MustCompile(`(?i)\bIP(?: address)?: ?` + ipPat),
	regexp.MustCompile(`(?i)(?:/query/ip/|[?&]ip=)` + ipPat),
	regexp.MustCompile(`\b[45]\.[0-9]\.[0-9]{1,3} \[` + ipPat + `(?: +[0-9]+)?\]`),
}

// sendingIP finds the sending server's address in a recipient's texts.
func sendingIP(r ndr.Recipient) netip.Addr {
	texts := []string{r.Diagnostic, r.Cause.Text}
	for _, rep := range r.Replies {
		texts = append(texts, rep.Text)
	}
	for _, re := range sendingIPRE {
		for _, s := range texts {
			for _, m := range re.FindAllStringSubmatch(s, 4) {
				ip, err := netip.ParseAddr(m[1])
				if err != nil {
					continue
				}
				ip = ip.Unmap()
				if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() || ip.IsMulticast() {
					continue
				}
				return ip
			}
		}
	}
	return netip.Addr{}
}

// Explanation IDs of the remedy catalogue that point at each group of
// checks.
var (
	authIDs = []string{
		"auth-spf-dkim-none", "spf-missing", "spf-sender-not-listed", "spf-duplicate",
		"spf-too-many-lookups", "dkim-m365-setup", "dkim-missing", "dkim-cname-registrar", "dmarc-missing",
		"ms-5.7.515-authentication-level", "dmarc-policy-reject", "dmarc-alignment",
		"freemail-from-own-server", "dns-propagation", "dns-tempfail-sender-domain",
		"sender-domain-unresolvable", "reason-authfailure",
	}
	ipIDs = []string{
		"ptr-missing", "ms-s775-ip-reputation", "ms-outlook-blocklist", "ms-eop-banned-ip",
		"dnsbl-listed", "yahoo-tss04-deferral", "yahoo-permanent-deferral", "gmail-reputation",
		"cox-ip-blocked", "comcast-dynamic-ip", "gmx-ip-blocked", "reason-blocked",
		"reason-badreputation", "reason-requireptr",
	}
	mxIDs = []string{
		"recipient-domain-not-found", "reason-hostunknown", "reason-notaccept", "reason-networkerror",
	}
	// authStatus are the status codes of sender authentication failures:
	// RFC 7372's X.7.20-X.7.24 and X.7.26, RFC 7505's X.7.27 (the
	// sender's domain has a null MX), and Microsoft's 5.7.509 (DMARC
	// reject), 5.7.515 (authentication level) and X.7.32 (alignment).
	authStatus = []string{"7.20", "7.21", "7.22", "7.23", "7.24", "7.26", "7.27", "7.32", "7.509", "7.515"}
	authText   = regexp.MustCompile(`(?i)\b(?:SPF|DKIM|DMARC)\b|sender is unauthenticated|authentication level`)
	ipText     = regexp.MustCompile(`(?i)\b(?:PTR|rDNS|reverse DNS|spamhaus|DNSBL|RBL|block ?list(?:ed)?|black ?list(?:ed)?|blocked using|IP reputation)\b`)
)

// relevant returns the checks that a failed recipient's bounce makes
// relevant, in the order of Kinds.
func relevant(r ndr.Recipient) []Kind {
	var auth, ip, mx bool
	switch r.Reason {
	case ndr.ReasonAuthFailure:
		auth = true
	case ndr.ReasonBlocked, ndr.ReasonBadReputation, ndr.ReasonRequirePTR:
		ip = true
	case ndr.ReasonHostUnknown, ndr.ReasonNotAccept, ndr.ReasonNetworkError:
		mx = true
	}
	for _, x := range r.Explanations {
		auth = auth || slices.Contains(authIDs, x.ID)
		ip = ip || slices.Contains(ipIDs, x.ID)
		mx = mx || slices.Contains(mxIDs, x.ID)
	}
	for _, c := range []string{r.Status.String(), r.Cause.Enhanced.String()} {
		if _, rest, ok := strings.Cut(c, "."); ok {
			auth = auth || slices.Contains(authStatus, rest)
			ip = ip || rest == "7.25"
		}
	}
	texts := r.Diagnostic + "\n" + r.Cause.Text
	auth = auth || authText.MatchString(texts)
	ip = ip || ipText.MatchString(texts)
	var out []Kind
	if mx {
		out = append(out, MX)
	}
	if auth {
		out = append(out, SPF, DKIM, DMARC, Propagation)
	}
	if ip {
		out = append(out, PTR, DNSBL)
	}
	return out
}

// recipientDomainOf is the domain of r's address, "" for an address the
// user masked (ndr.Recipient.Masked), whose domain is no real one.
func recipientDomainOf(r ndr.Recipient) string {
	if r.Masked {
		return ""
	}
	return addrDomain(r.Recipient)
}
