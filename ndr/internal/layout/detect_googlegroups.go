package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// detectGoogleGroups reads the notice Google Groups sends when a post to a
// group is refused: the group does not exist or the sender may not post
// to it. The notice is plain text in the sender's language, from
// Google's mail delivery subsystem, with the group in X-Failed-Recipients
// and a link to the Google Groups help centre; it carries no SMTP reply.
func detectGoogleGroups(m *mime.Message, out *found) {
	failed := m.Get("X-Failed-Recipients")
	if failed == "" || !isGoogleSender(m) {
		return
	}
	text := m.BounceText()
	if !strings.Contains(text, "groups.google.com") {
		return
	}
	diag := textutil.CollapseSpace(googleGroupsNotice(text))
	for a := range strings.SplitSeq(failed, ",") {
		a = mailaddr.CleanAddress(a)
		if !strings.Contains(a, "@") {
			continue
		}
		out.add(record.Recipient{
			Recipient:  a,
			Action:     record.ActionFailed,
			Diagnostic: diag,
			Reason:     record.ReasonRejected,
			Evidence:   "Google Groups refused the post: the group does not exist or does not accept posts from the sender",
		})
	}
}

// googleGroupsNotice cuts the sign-off ("Thanks, Google Groups" in any
// language) from the notice: the text ends with the help-centre link.
func googleGroupsNotice(text string) string {
	k := strings.Index(text, "groups.google.com")
	if end := strings.IndexByte(text[k:], '\n'); end >= 0 {
		return text[:k+end]
	}
	return text
}

// isGoogleSender reports whether the report comes from Google's mail
// delivery subsystem (mailer-daemon@googlemail.com or @google.com).
func isGoogleSender(m *mime.Message) bool {
	if !fromHas(m, "@google") {
		return false
	}
	from := strings.ToLower(mailaddr.FirstAddress(m.From))
	return strings.HasSuffix(from, "@googlemail.com") || strings.HasSuffix(from, "@google.com")
}
