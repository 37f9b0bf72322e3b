package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

// dmaLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var dmaLead = mime.NewMarker("this is the dragonfly mail agent")

// The DragonFly Mail Agent (dma) reports one recipient per message:
//
//	This is the DragonFly Mail Agent v0.13 at host.example.org.
//
//	There was an error delivering your mail to <user@example.com>.
//
//	mx.example.com [192.0.2.1] did not like our RCPT TO:
//	550 5.1.1 <user@example.com>: Recipient address rejected
//
//	Message headers follow.
var (
	dmaRcpt    = regexp.MustCompile(`(?i)there was an error delivering your mail to <([^<>]+)>`)
	dmaEnd     = regexp.MustCompile(`(?im)^(?:message headers|original message) follows?\.?\s*$`)
	dmaDislike = regexp.MustCompile(`(?is)^(\S+) \[[0-9a-f.:]+\] did not like our (final DATA|DATA|RCPT TO|MAIL FROM|EHLO|HELO|STARTTLS|AUTH|QUIT|[A-Z ]+?):\s*(.*)$`)
	dmaDNS     = regexp.MustCompile(`(?i)dns lookup failure: host \S+ not found`)
	dmaGaveUp  = regexp.MustCompile(`(?i)could not deliver for the last \d+ seconds\. giving up`)
)

// dmaNoReason is the text dma starts its bounce text with (dma.c,
// deliver) and keeps when a remote delivery fails at EHLO (net.c,
// deliver_to_host: perform_server_greeting) without a reply to report;
// classify reads it as a failure with no reply. dma v0.13 and v0.14.
const dmaNoReason = "unknown bounce reason"

// detectDragonfly reads the reports of the DragonFly Mail Agent.
func detectDragonfly(m *mime.Message, out *found) {
	text := m.Body
	if !m.InBody(dmaLead) {
		return
	}
	loc := textmatch.FirstFrom(dmaRcpt, text, "there was an error delivering your mail to <")
	if loc == nil {
		return
	}
	r := record.Recipient{Recipient: mailaddr.CleanAddress(text[loc[2]:loc[3]])}
	rest := text[loc[1]:]
	if k := strings.IndexByte(rest, '\n'); k >= 0 {
		rest = rest[k+1:]
	}
	if e := textmatch.FirstFromLines(dmaEnd, rest, "message headers", "original message"); e != nil {
		rest = rest[:e[0]]
	}
	rest = strings.TrimSpace(rest)
	if d := dmaDislike.FindStringSubmatch(rest); d != nil {
		r.RemoteMTA = strings.ToLower(d[1])
		r.Command = strings.TrimPrefix(strings.ToUpper(d[2]), "FINAL ")
		r.Diagnostic = dsn.UnfoldLines(strings.Split(d[3], "\n"))
	} else {
		r.Diagnostic = dsn.UnfoldLines(strings.Split(rest, "\n"))
	}
	r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
	switch {
	case dmaGaveUp.MatchString(r.Diagnostic):
		r.Reason, r.Evidence = record.ReasonExpired, "dma: gave up after the queue lifetime"
	case dmaDNS.MatchString(r.Diagnostic):
		r.Reason, r.Evidence = record.ReasonHostUnknown, "dma: the recipient's domain was not found in the DNS"
	case strings.EqualFold(strings.TrimSpace(r.Diagnostic), dmaNoReason):
		r.Command = "HELO"
	}
	out.add(r)
}
