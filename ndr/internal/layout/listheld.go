package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// A mailing list that holds a post for its moderator tells the poster
// so: GNU Mailman's postheld template ("Your mail to 'List' with the
// subject ... Is being held until the list moderator can review it for
// approval. The reason it is being held: ..."), under the subject "Your
// message to List awaits moderator approval"; in Japanese (Mailman 2.1
// templates/ja/postheld.txt, written in EUC-JP and sent as ISO-2022-JP,
// Python's email output charset for euc-jp) "リスト司会者の
// チェックのために投稿が保留されました。 ... 保留の理由は以下のとおりです。".
// The post is neither delivered nor refused yet: the moderator approves
// or rejects it.

// heldMarkers, lower case, are the words of Mailman's notice.
var heldMarkers = []string{"is being held until the list moderator can review it", "awaits moderator approval", "チェックのために投稿が保留されました"}

// Sympa tells the poster in a DSN of status 2.3.0 (Sympa.pm send_dsn,
// default/mail_tt2/delivery_status_notification.tt2): "Your message to
// the list '%1' has been forwarded to the moderator(s)".
const sympaHeldMarker = "has been forwarded to the moderator(s)"

// The evidence of a held post's recipient; both end in
// record.HeldPostEvidence.
const (
	heldEvidence      = "Mailman: " + record.HeldPostEvidence
	sympaHeldEvidence = "Sympa: " + record.HeldPostEvidence
)

// IsHeldPost reports whether m is a mailing list's notice that it holds
// a post for its moderator.
func IsHeldPost(m *mime.Message) bool {
	lower := mime.LowerBounce(m)
	if m.DSN != nil {
		return strings.Contains(lower, sympaHeldMarker)
	}
	for _, k := range heldMarkers {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// HeldPostRecipients names the list whose moderator holds the post (see
// listAddress), with the reason it is held as the diagnostic. The post
// waits for a person, not for a server's retry: it has no DSN action,
// and the reason is the list's policy.
func HeldPostRecipients(m *mime.Message) []record.Recipient {
	r := record.Recipient{
		Recipient: listAddress(m),
		Reason:    record.ReasonPolicyViolation,
		Evidence:  heldEvidence,
		DecodedBy: record.DecodedByHeldPost,
	}
	text := m.BounceText()
	lower := mime.LowerBounce(m)
	if i := strings.Index(lower, sympaHeldMarker); m.DSN != nil && i >= 0 {
		r.Evidence, r.DecodedBy = sympaHeldEvidence, "sympa"
		start := strings.LastIndexByte(lower[:i], '\n') + 1
		r.Diagnostic = strings.TrimSpace(text[start:textutil.LineEnd(text, i)])
		return []record.Recipient{r}
	}
	// The reason it is held: the first line of text after Mailman's
	// "The reason it is being held:" (2.x, in Japanese "保留の理由は以下の
	// とおりです。") or "The message is being held because:" (3.x).
	for _, k := range []string{"the reason it is being held:", "the message is being held because:", "保留の理由は以下のとおりです。"} {
		if i := strings.Index(lower, k); i >= 0 {
			rest := strings.TrimLeft(text[i+len(k):], " \t\r\n")
			r.Diagnostic = strings.TrimSpace(rest[:textutil.LineEnd(rest, 0)])
			break
		}
	}
	if r.Diagnostic == "" {
		r.Diagnostic = textutil.CollapseSpace(textutil.TruncateRunes(m.Subject, 500))
	}
	return []record.Recipient{r}
}

// mlmmjGreeting, lower case, begins mlmmj's notices (listtexts/en).
const mlmmjGreeting = "this is the mlmmj program managing the mailinglist"

// listAddress returns the address of the list that a notice to a poster
// is about: the Final-Recipient of a DSN, its posting address from
// List-Post or X-BeenThere, else the address on the line after mlmmj's
// greeting or in "Your mail to '...'", else the list's own address that
// the notice came from (LIST-owner@, LIST-bounces@), or "".
func listAddress(m *mime.Message) string {
	if m.DSN != nil && len(m.DSN.Recipients) > 0 {
		// Sympa's notice is a DSN about the list's address.
		_, a := dsn.TypedValue(dsn.FieldOf(m.DSN.Recipients[0], "Final-Recipient"))
		if a = mailaddr.CleanAddress(a); mailaddr.IsAddress(a) {
			return a
		}
	}
	if p := m.Get("List-Post"); p != "" {
		if a := mailaddr.CleanAddress(strings.TrimPrefix(strings.Trim(strings.TrimSpace(p), "<>"), "mailto:")); mailaddr.IsAddress(a) {
			return a
		}
	}
	if a := mailaddr.CleanAddress(m.Get("X-BeenThere")); mailaddr.IsAddress(a) {
		return a
	}
	text := m.BounceText()
	lower := mime.LowerBounce(m)
	// mlmmj's listtexts name the list on the line after "Hi, this is
	// the mlmmj program managing the mailinglist".
	if i := strings.Index(lower, mlmmjGreeting); i >= 0 {
		rest := strings.TrimLeft(text[i+len(mlmmjGreeting):], " \t\n")
		if a := mailaddr.CleanAddress(rest[:textutil.LineEnd(rest, 0)]); mailaddr.IsAddress(a) {
			return a
		}
	}
	if i := strings.Index(lower, "your mail to '"); i >= 0 {
		rest := text[i+len("your mail to '"):]
		if j := strings.IndexByte(rest, '\''); j > 0 && mailaddr.IsAddress(rest[:j]) {
			return rest[:j]
		}
	}
	a := mailaddr.CleanAddress(mailaddr.FirstAddress(m.From))
	at := strings.LastIndexByte(a, '@')
	if at <= 0 {
		return ""
	}
	local := a[:at]
	for _, suffix := range listSuffixes {
		local = strings.TrimSuffix(local, suffix)
	}
	return local + a[at:]
}
