package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// fmlLead is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var fmlLead = mime.NewMarker("you are not a member of this mailing list <")

// The fml mailing list manager returns a post from a sender who is not a
// member of the list, saying so in its first sentence:
//
//	You are not a member of this mailing list <list@example.org>.
//
// The list address is the recipient that refused the message.
var fmlNotMember = regexp.MustCompile(`(?im)^you are not a member of this mailing list <([^<>\s]+@[^<>\s]+)>\.`)

// detectFML reads fml's refusals of posts from non-members.
func detectFML(m *mime.Message, out *found) {
	if !m.InBody(fmlLead) {
		return
	}
	loc := fmlNotMember.FindStringSubmatchIndex(m.Body)
	if loc == nil {
		return
	}
	line := m.Body[loc[0]:]
	if k := strings.IndexByte(line, '\n'); k >= 0 {
		line = line[:k]
	}
	out.add(record.Recipient{
		Recipient:  mailaddr.CleanAddress(m.Body[loc[2]:loc[3]]),
		Diagnostic: textutil.CollapseSpace(line),
		Reason:     record.ReasonRejected,
		Evidence:   "fml: the sender is not a member of the mailing list",
	})
}
