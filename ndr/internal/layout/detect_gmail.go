package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Gmail's delivery reports come in two layouts, both from
// mailer-daemon@googlemail.com (or @google.com):
//
// The older plain-text layout names the recipients after "Delivery to the
// following recipient failed permanently:" (or "has been delayed:"),
// indented, and explains the failure after "Technical details of
// permanent failure:"; the remote server's reply follows "The error that
// the other server returned was:". It has no delivery-status part.
//
// The newer layout (Gmail and Google Workspace) has a title such as
// "** Address not found **" or "** Message not delivered **", a sentence
// "Your message wasn't delivered to <address> because ...", and the
// remote reply after "The response from the remote server was:" or "The
// response was:", with a delivery-status part next to it that may lack
// the reply.
//
// Google Workspace reports come in the newer layout from the same sender
// and are read here too: the title (for instance "** Message not
// delivered **" when a "Send mail as" address is refused by its own
// server), the explanation, and the quoted reply after "The response
// was:".

var (
	gmailOldHead   = regexp.MustCompile(`(?im)^[ \t]*Delivery to the following recipients? (?:failed permanently|has been delayed|failed)[^\n]*\n`)
	gmailTechnical = regexp.MustCompile(`(?i)Technical details of (permanent|temporary) failure:`)
	gmailReturned  = regexp.MustCompile(`(?i)The error that the other server returned was:`)
	gmailResponse  = regexp.MustCompile(`(?im)^[ \t]*The response (?:from the remote server )?was:[ \t]*\n`)
	gmailTitle     = regexp.MustCompile(`(?m)^[ \t]*\*\* ?(.+?) ?\*\*[ \t]*$`)
	gmailDelivered = regexp.MustCompile(`(?i)(?:wasn't delivered to|was not delivered to|problem delivering your message to|couldn't deliver your message to) <?([^\s<>]+@[^\s<>]*[^\s<>.,;:])>?(?:[\s.,]|$)`)
	gmailRemoteBy  = regexp.MustCompile(`(?i)\bby ([a-z0-9][a-z0-9.-]*[a-z0-9])\.? \[[0-9a-f.:]+\]`)
	gmailSocket    = regexp.MustCompile(`(?i)\[(?:\(\d+\) )?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.? \[?[0-9a-f.:]+\]?(?::\d+)?: [^\]]*\]`)
	gmailState     = regexp.MustCompile(`\(state (\d+)\)\.?`)
)

// gmailDeliveredLeads begin the matches of gmailDelivered, lower case.
var gmailDeliveredLeads = []string{"wasn't delivered to", "was not delivered to", "problem delivering your message to", "couldn't deliver your message to"}

// gmailStateCommand maps the SMTP state Gmail appends to a quoted reply,
// "(state 18)", to the command it answered.
var gmailStateCommand = map[string]string{
	"6":  "MAIL",
	"13": "EHLO",
	"18": "DATA",
}

// detectGmail reads both Gmail layouts.
func detectGmail(m *mime.Message, out *found) {
	if !isGoogleSender(m) {
		return
	}
	text, low := m.BounceText(), mime.LowerBounce(m)
	if strings.Contains(low, "delivery to the following recipient") {
		if loc := gmailOldHead.FindStringIndex(text); loc != nil {
			gmailOld(m, text, loc[1], out)
			return
		}
	}
	if strings.Contains(text, "**") && gmailTitle.MatchString(text) || strings.Contains(low, "the response ") && gmailResponse.MatchString(text) {
		gmailNew(m, text, out)
	}
}

// gmailOld reads the plain-text layout; the recipients start at off.
func gmailOld(m *mime.Message, text string, off int, out *found) {
	delayed := strings.Contains(strings.ToLower(text[:off]), "has been delayed")
	var addrs []string
	rest := text[off:]
	for line := range strings.SplitSeq(rest, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			if len(addrs) > 0 {
				break
			}
			continue
		}
		a := mailaddr.FindAddress(t)
		if a == "" || len(t) > len(a)+2 {
			break
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return
	}
	var details string
	if loc := gmailTechnical.FindStringIndex(rest); loc != nil {
		details = strings.TrimSpace(rest[loc[1]:])
	} else if k := strings.Index(rest, addrs[len(addrs)-1]); k >= 0 {
		// A delay warning may give no details: keep its retry note.
		details = strings.TrimSpace(rest[k+len(addrs[len(addrs)-1]):])
	}
	diag := textutil.CollapseSpace(details)
	r := record.Recipient{Action: record.ActionFailed}
	if delayed {
		r.Action = record.ActionDelayed
	}
	if loc := textmatch.FirstFrom(gmailReturned, diag, "the error that the other server returned was:"); loc != nil {
		diag = strings.TrimSpace(diag[loc[1]:])
	}
	if sm := gmailState.FindStringSubmatch(diag); sm != nil {
		r.Command = gmailStateCommand[sm[1]]
	}
	if sm := gmailRemoteBy.FindStringSubmatch(details); sm != nil {
		r.RemoteMTA = strings.ToLower(sm[1])
	} else if sm := gmailSocket.FindStringSubmatch(details); sm != nil {
		r.RemoteMTA = strings.ToLower(sm[1])
	}
	r.Diagnostic = diag
	lower := strings.ToLower(diag)
	switch {
	case strings.Contains(lower, "did not accept our requests to connect"):
		r.Reason, r.Evidence = record.ReasonExpired, "Gmail could not connect to the recipient's server"
	case details == "" || delayed && !gmailTechnical.MatchString(rest) && strings.Contains(lower, "will be retried"):
		r.Reason, r.Evidence = record.ReasonExpired, "Gmail is still retrying the delivery"
	}
	for _, a := range addrs {
		r.Recipient = a
		out.add(r)
	}
}

// gmailNew reads the newer layout.
func gmailNew(m *mime.Message, text string, out *found) {
	r := record.Recipient{Action: record.ActionFailed}
	var reply string
	head := text
	if loc := gmailResponse.FindStringIndex(text); loc != nil {
		reply = strings.TrimSpace(text[loc[1]:])
		if k := strings.Index(reply, "\n\n"); k >= 0 {
			reply = reply[:k]
		}
		head = text[:loc[0]]
	}
	r.Diagnostic = textutil.CollapseSpace(reply)
	if r.Diagnostic == "" {
		r.Diagnostic = textutil.CollapseSpace(head)
	}
	var addrs []string
	seen := map[string]bool{}
	var delivered [][]string
	if textutil.ContainsLower(head, "deliver") {
		for _, loc := range textmatch.FindAllFrom(gmailDelivered, head, -1, gmailDeliveredLeads...) {
			delivered = append(delivered, textmatch.Submatches(head, loc))
		}
	}
	for _, sm := range delivered {
		a := mailaddr.CleanAddress(sm[1])
		if !seen[strings.ToLower(a)] {
			seen[strings.ToLower(a)] = true
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		// "Message not delivered" names nobody: the whole message failed,
		// so its recipients are those of the returned message.
		if m.HasOriginal {
			addrs = append(addrs, mailaddr.FindAddresses(m.Original.To)...)
		}
	}
	if len(addrs) == 0 {
		for a := range strings.SplitSeq(m.Get("X-Failed-Recipients"), ",") {
			if a = mailaddr.CleanAddress(a); strings.Contains(a, "@") {
				addrs = append(addrs, a)
			}
		}
	}
	switch {
	case strings.Contains(head, "'Send mail as'"):
		r.Reason, r.Evidence = record.ReasonRejected, "Gmail could not send through the sender's 'Send mail as' server"
	case strings.Contains(strings.ToLower(reply), "did not accept our requests to connect"):
		r.Reason, r.Evidence = record.ReasonExpired, "Gmail could not connect to the recipient's server"
	case reply == "" && strings.Contains(head, "the address couldn't be found"):
		r.Reason, r.Evidence = record.ReasonUserUnknown, "Gmail: the address couldn't be found"
	}
	for _, a := range addrs {
		r.Recipient = a
		out.add(r)
	}
}
