package layout

import (
	"regexp"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// postalLead is the text by which this layout is recognised before
// anything else is read (see mime/markers.go).
var postalLead = mime.NewMarker("the message you've sent cannot be delivered. your original message is attached")

// Postal (app/models/bounce_message.rb) returns a message that one of
// its routes could not pass on with a notice that names no cause, only
// the message's envelope:
//
//	The message you've sent cannot be delivered. Your original message is
//	attached to this message.
//	...
//	Mail from: sender@example.com
//	Rcpt To: support@example.org
var postalRcpt = regexp.MustCompile(`(?m)^Rcpt To: *<?([^<>\s]+@[^<>\s]+?)>?\s*$`)

// postalDiagnostic is the notice's own statement, the recipient's
// diagnostic: Postal gives no reply of a server.
const postalDiagnostic = "The message you've sent cannot be delivered."

// detectPostal reads Postal's notices.
func detectPostal(m *mime.Message, out *found) {
	if !m.InBody(postalLead) {
		return
	}
	loc := postalRcpt.FindStringSubmatchIndex(m.Body)
	if loc == nil {
		return
	}
	out.add(record.Recipient{
		Recipient:  mailaddr.CleanAddress(m.Body[loc[2]:loc[3]]),
		Diagnostic: postalDiagnostic,
	})
}
