package dnscheck

import (
	"fmt"
	"strings"

	"github.com/ndrkit/ndrkit/remedy"
	"golang.org/x/text/language"
)

// Kind names a check.
type Kind string

// The checks. Each finding belongs to one.
const (
	// SPF checks the sender domain's SPF record (RFC 7208).
	SPF Kind = "spf"
	// DKIM checks DKIM key records and Microsoft 365's selector CNAMEs.
	DKIM Kind = "dkim"
	// DMARC checks the From domain's DMARC record (RFC 7489).
	DMARC Kind = "dmarc"
	// Propagation compares the authoritative name servers' answers with
	// the resolver's, and the parent zone's delegation with the child's.
	Propagation Kind = "propagation"
	// MX checks that the recipient domain accepts mail (RFC 5321,
	// section 5.1; RFC 7505).
	MX Kind = "mx"
	// PTR checks the sending IP address's reverse DNS and that it is
	// forward-confirmed.
	PTR Kind = "ptr"
	// DNSBL looks the sending IP address up in DNS block lists.
	DNSBL Kind = "dnsbl"
)

// Kinds lists every check in the order findings are reported.
var Kinds = []Kind{MX, SPF, DKIM, DMARC, Propagation, PTR, DNSBL}

// Severity says how bad a finding is.
type Severity string

// The severities, from good to bad, and unknown.
const (
	// SeverityOK: the check passed; a RemedyID names the cause it rules out.
	SeverityOK Severity = "ok"
	// SeverityInfo: a fact worth knowing that breaks nothing.
	SeverityInfo Severity = "info"
	// SeverityWarning: something that may make receivers refuse mail.
	SeverityWarning Severity = "warning"
	// SeverityError: a fault that explains the bounce or will cause one; a
	// RemedyID names the cause it confirms.
	SeverityError Severity = "error"
	// SeverityUnknown: no conclusion, because a lookup failed, timed out or
	// was over the lookup limit, or the bounce lacks what the check needs.
	SeverityUnknown Severity = "unknown"
)

// Text is a sentence in each supported language.
type Text struct {
	// EN is the English text.
	EN string
	// JA is the Japanese text.
	JA string
}

// In returns the text in the supported language that best serves tag, as
// remedy.MatchLanguage chooses it (English when none does).
func (t Text) In(tag language.Tag) string {
	if remedy.MatchLanguage(tag.String()) == language.Japanese {
		return t.JA
	}
	return t.EN
}

// Evidence is one DNS answer a finding relies on.
type Evidence struct {
	// Server is the address (host:port) of the server that was asked.
	Server string
	// Name is the name that was asked for, without the final dot.
	Name string
	// Type is the record type asked for ("TXT", "CNAME", ...).
	Type string
	// Authoritative is true when the server answered with authority
	// (the AA bit).
	Authoritative bool
	// Result is NOERROR, NODATA (the name exists without records of this
	// type), NXDOMAIN, or the error that prevented an answer.
	Result string
	// Records are the records' data as a zone file writes it.
	Records []string
}

// String formats the evidence on one line:
// `TXT example.jp @192.0.2.53:53: "v=spf1 -all"`.
func (e Evidence) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s @%s", e.Type, e.Name, e.Server)
	if e.Authoritative {
		b.WriteString(" (authoritative)")
	}
	b.WriteString(": ")
	if len(e.Records) == 0 {
		b.WriteString(e.Result)
	} else {
		b.WriteString(strings.Join(e.Records, " | "))
	}
	return b.String()
}

// Finding is the outcome of one check on one name or address.
type Finding struct {
	// Check is the check that made the finding.
	Check Kind
	// Severity says whether the check passed, found a fault or could not
	// decide.
	Severity Severity
	// Subject is the domain name or IP address the finding is about.
	Subject string
	// Summary says what was found, in English and Japanese.
	Summary Text
	// Evidence lists the answers the finding relies on, with the server
	// that gave each.
	Evidence []Evidence
	// RemedyID is the ID of the remedy catalogue entry (remedy.Default)
	// that the finding confirms (severity warning or error) or rules out
	// (severity ok); "" when none applies.
	RemedyID string
}

// Localized is a finding in one language, in the shape a command-line or
// web front end prints as JSON.
type Localized struct {
	// Check is the check that made the finding.
	Check Kind `json:"check"`
	// Severity is ok, info, warning, error or unknown.
	Severity Severity `json:"severity"`
	// Summary is the finding's text in the chosen language.
	Summary string `json:"summary"`
	// Evidence lists the answers the finding relies on, one line each
	// (Evidence.String).
	Evidence []string `json:"evidence"`
	// RemedyID is the remedy catalogue entry the finding confirms or
	// rules out, "" when none.
	RemedyID string `json:"remedy_id"`
}

// Localize renders the finding in the supported language that best serves
// tag.
func (f Finding) Localize(tag language.Tag) Localized {
	ev := make([]string, len(f.Evidence))
	for i, e := range f.Evidence {
		ev[i] = e.String()
	}
	return Localized{
		Check:    f.Check,
		Severity: f.Severity,
		Summary:  f.Summary.In(tag),
		Evidence: ev,
		RemedyID: f.RemedyID,
	}
}

// Localize renders findings in the supported language that best serves
// tag. It returns an empty, non-nil slice for no findings, so that JSON
// shows [] rather than null.
func Localize(findings []Finding, tag language.Tag) []Localized {
	out := make([]Localized, len(findings))
	for i, f := range findings {
		out[i] = f.Localize(tag)
	}
	return out
}

// text builds a Text from two format strings that take the same arguments.
func text(en, ja string, args ...any) Text {
	return Text{EN: fmt.Sprintf(en, args...), JA: fmt.Sprintf(ja, args...)}
}

// ev collects the evidence of answers, each once, skipping nil ones.
func ev(as ...*answer) []Evidence {
	var out []Evidence
	seen := map[*answer]bool{}
	for _, a := range as {
		if a != nil && !seen[a] {
			seen[a] = true
			out = append(out, a.evidence())
		}
	}
	return out
}
