package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// GMX and mail.com (MAILER-DAEMON@mail.gmx.com) write an Exim-like report
// with each failed address quoted and the remote host on a line of its
// own:
//
//	"user@example.jp":
//	SMTP error from remote server after RCPT command:
//	host: mx.example.jp
//	5.1.1 <user@example.jp>... User Unknown
//
//	--- The header of the original message is following. ---
//
// The remote reply often lacks its reply code.

// gmxCopyMarker starts the returned header in the GMX and 1&1 layouts.
const gmxCopyMarker = "--- The header of the original message is following. ---"

var (
	gmxAddr    = regexp.MustCompile(`^[ \t]*"([^"\s]+@[^"\s]+)":[ \t]*$`)
	gmxCommand = regexp.MustCompile(`(?i)SMTP error from remote server (?:after|in reply to) ([A-Z]+(?: TO| FROM)?)(?: command)?`)
	gmxHost    = regexp.MustCompile(`(?im)^[ \t]*host:[ \t]*([^\s]+)[ \t]*$`)
)

// detectGMX reads the GMX layout.
func detectGMX(m *mime.Message, out *found) {
	k := strings.Index(m.Body, gmxCopyMarker)
	if k < 0 {
		return
	}
	text := m.Body[:k]
	blocks := textmatch.LineMatches(gmxAddr, text, "@")
	for i, b := range blocks {
		seg := textmatch.AfterMatch(text, blocks, i)
		r := record.Recipient{Recipient: text[b[2]:b[3]], Action: record.ActionFailed}
		if sm := gmxCommand.FindStringSubmatch(seg); sm != nil {
			r.Command = sm[1]
		}
		reply := seg
		if loc := gmxHost.FindStringSubmatchIndex(seg); loc != nil {
			r.RemoteMTA = strings.ToLower(seg[loc[2]:loc[3]])
			reply = seg[loc[1]:]
		} else if loc := gmxCommand.FindStringIndex(seg); loc != nil {
			reply = strings.TrimLeft(seg[loc[1]:], ": \t")
		}
		r.Diagnostic = textutil.CollapseSpace(reply)
		if c, err := enhancedcode.Parse(textutil.FirstWord(r.Diagnostic)); err == nil {
			r.Status = c
		}
		out.add(r)
	}
}
