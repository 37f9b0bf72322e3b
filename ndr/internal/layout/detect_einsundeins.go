package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// 1&1 (IONOS, mailer-daemon@kundenserver.de) writes:
//
//	The following address failed:
//
//	user@example.org
//
//	For the following reason:
//
//	Mail size limit exceeded. For explanation visit
//	http://postmaster.1and1.com/en/error-messages?ip=%1s
//
//	--- The header of the original message is following. ---

var einsAddr = regexp.MustCompile(`(?i)The following address(?:es)? failed:\s*\n`)
var einsReason = regexp.MustCompile(`(?i)\n[ \t]*For the following reason:\s*\n`)

// detectEinsUndEins reads the 1&1 layout.
func detectEinsUndEins(m *mime.Message, out *found) {
	k := strings.Index(m.Body, gmxCopyMarker)
	if k < 0 {
		return
	}
	text := m.Body[:k]
	a := einsAddr.FindStringIndex(text)
	rsn := einsReason.FindStringIndex(text)
	if a == nil || rsn == nil || rsn[0] < a[1] {
		return
	}
	diag := textutil.CollapseSpace(text[rsn[1]:])
	for _, addr := range mailaddr.FindAddresses(text[a[1]:rsn[0]]) {
		r := record.Recipient{Recipient: addr, Action: record.ActionFailed, Diagnostic: diag}
		out.add(r)
	}
}
