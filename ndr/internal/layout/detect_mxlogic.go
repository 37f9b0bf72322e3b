package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// mxlogicMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var mxlogicMark = mime.NewMarker("(mxl_mta-")

// MX Logic (McAfee's hosted mail filter) runs a modified Exim, mxl_mta.
// Its reports carry message ids of the form "<mxl~...@host>" and an
// Exim-like text with one line per address, the reply after a colon:
//
//	This message was created automatically by mail delivery software.
//
//	A message that you have sent could not be delivered to one or more
//	recipients.  This is a permanent error.  The following address failed:
//
//	  <user@example.com>: 550 5.1.1 <user@example.com>: Recipient address rejected
//
//	Included is a copy of the message header:
//
// The returned header names "mxl_mta" in its Received fields.

// detectMXLogic reads MX Logic's reports.
func detectMXLogic(m *mime.Message, out *found) {
	if !strings.Contains(m.Get("Message-Id"), "<mxl~") && !m.InBody(mxlogicMark) {
		return
	}
	detectExim(m, out)
}
