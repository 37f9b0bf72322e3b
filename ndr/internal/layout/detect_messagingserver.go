package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// messagingServerLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var messagingServerLead = mime.NewMarker("this report relates to a message you sent with the following header fields")

// Oracle (Sun ONE, iPlanet) Messaging Server lists each recipient as a
// block of indented "Name: value" lines:
//
//	This report relates to a message you sent with the following header fields:
//	  ...
//	Your message cannot be delivered to the following recipients:
//
//	  Recipient address: user@example.com
//	  Original address: alias@example.com
//	  Reason: Remote SMTP server has rejected address
//	  Diagnostic code: smtp;550 5.1.1 unknown user
//	  Remote system: dns;mx.example.com (TCP|...)
var (
	msList  = regexp.MustCompile(`(?i)your message (?:cannot be delivered|has been enqueued and undeliverable for .*?)\s+to the following recipients:`)
	msField = regexp.MustCompile(`(?i)^\s+(recipient address|original address|reason|diagnostic code|remote system):\s*(.*)$`)
)

// detectMessagingServer reads Oracle Messaging Server's reports.
func detectMessagingServer(m *mime.Message, out *found) {
	// The short end of the marker first: it fails faster.
	if !m.InBounce(messagingServerLead) {
		return
	}
	text := m.BounceText()
	loc := msList.FindStringIndex(text)
	if loc == nil {
		return
	}
	delayed := strings.Contains(strings.ToLower(text[loc[0]:loc[1]]), "enqueued")
	var cur *record.Recipient
	var reason, diag string
	flush := func() {
		if cur == nil {
			return
		}
		cur.Diagnostic = diag
		if cur.Diagnostic == "" {
			cur.Diagnostic = reason
		}
		cur.ReplyCode, cur.Status = dsn.FailureReply(cur.Diagnostic)
		if delayed {
			cur.Action = record.ActionDelayed
		}
		out.add(*cur)
		cur, reason, diag = nil, "", ""
	}
	for l := range strings.SplitSeq(text[loc[1]:], "\n") {
		f := textmatch.SubmatchIf(l != "" && strings.IndexByte("\t\f\r ", l[0]) >= 0, msField, l)
		if f == nil {
			if strings.TrimSpace(l) != "" && textutil.LineIndent(l) == 0 {
				break
			}
			continue
		}
		v := strings.TrimSpace(f[2])
		switch strings.ToLower(f[1]) {
		case "recipient address":
			flush()
			cur = &record.Recipient{Recipient: mailaddr.CleanAddress(v)}
		case "original address":
			if cur != nil {
				cur.OriginalRecipient = mailaddr.CleanAddress(v)
				if !mailaddr.IsAddress(cur.Recipient) && mailaddr.IsAddress(cur.OriginalRecipient) {
					cur.Recipient = cur.OriginalRecipient
				}
			}
		case "reason":
			reason = v
		case "diagnostic code":
			_, diag = dsn.TypedValue(v)
		case "remote system":
			if cur != nil {
				cur.RemoteMTA = strings.ToLower(dsn.HostOf(v))
			}
		}
	}
	flush()
}
