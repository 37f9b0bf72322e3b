package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// A mailing list that refuses a post tells the poster in words of its
// own, with no delivery status: the list, not a mail server, decided.
// A list's notice to a member about the member's own subscription (a
// probe after bounces, a membership disabled by bounces) is no bounce of
// anything the member sent.

// listRefusal is one list manager's notice that it refused a post.
type listRefusal struct {
	// marker and also, lower case, are both in the notice ("" for no
	// second marker).
	marker, also string
	// after, when not "", begins the text that is the diagnostic: the
	// reason that a person gave. Else the diagnostic is the notice's
	// paragraphs from the one that holds the marker up to a trailer.
	after    string
	evidence string
	// reason is the reason of a refusal whose diagnostic holds a
	// person's words: a moderator may write anything. "" lets the
	// phrasebook read the list manager's own words.
	reason    record.Reason
	decodedBy string
	// inDSN says that the notice is a delivery status notification:
	// Sympa reports a refused post in one (Sympa.pm send_dsn), the
	// reason in its text part only.
	inDSN bool
}

// listRefusals are the refusal notices, from the list managers' sources.
var listRefusals = []listRefusal{
	// GNU Mailman 2.1 templates/en/refuse.txt and Mailman 3
	// templates/en/list:user:notice:refuse.txt, for the request
	// "Posting of your message titled ..." (ListAdmin.py __handlepost,
	// app/moderator.py); the same template for a subscription request
	// refused is about no post. Japanese: templates/ja/refuse.txt and the
	// ja catalogue's "件名 %(subject)s で投稿されたメール".
	{marker: "has been rejected by the list moderator", also: "posting of your message titled",
		after: "following reason for rejecting your request:", evidence: mailmanModerator,
		reason: record.ReasonPolicyViolation, decodedBy: "mailman"},
	{marker: "リスト司会者により拒否されました", also: "で投稿されたメール",
		after: "司会者による拒否の理由は以下の通りです。", evidence: mailmanModerator,
		reason: record.ReasonPolicyViolation, decodedBy: "mailman"},
	// Mailman 2.1 (Handlers/SpamDetect.py of the mailman2-python3 port of
	// 2.1) and Mailman 3 (rules/dmarc.py,
	// a reason of list:user:notice:rejected.txt): a list whose DMARC
	// mitigation rejects posts From: a domain with a DMARC policy of
	// reject or quarantine. The list's own rule about the sender's
	// domain, not a failed authentication.
	{marker: "you are not allowed to post to this mailing list from: a domain which",
		evidence: mailmanDMARC, reason: record.ReasonPolicyViolation, decodedBy: "mailman"},
	// Mailman 3 templates/en/list:user:notice:rejected.txt, which
	// chains/reject.py fills with the reasons of the rules that hit.
	{marker: "mailing-list was rejected for the following reasons:",
		evidence: mailmanRefused, decodedBy: "mailman"},
	// Mailman 2.1 Handlers/Moderate.py do_reject: a post from a
	// non-member of a list whose generic_nonmember_action is Reject.
	{marker: "your message has been rejected, probably because you are not subscribed",
		evidence: mailmanRefused, decodedBy: "mailman"},
	// Sympa's moderator rejection, default/mail_tt2/reject.tt2 ("Your
	// message for list %1@%2 has been rejected by the moderator (%3).").
	{marker: "has been rejected by the moderator (", also: "your message for list",
		evidence: sympaModerator, reason: record.ReasonPolicyViolation, decodedBy: "sympa"},
	// Sympa's DSN for a post that its send scenario refused, status
	// 5.7.1, default/mail_tt2/delivery_status_notification.tt2 with the
	// scenario's reason from report.tt2 ("Message distribution in the
	// list is restricted to list subscribers.").
	{marker: "you are not allowed to send this message for the following reason:",
		after:    "you are not allowed to send this message for the following reason:",
		evidence: sympaRefused, decodedBy: "sympa", inDSN: true},
	// The same DSN, status 5.2.3, for a post over the list's max_size.
	{marker: "your message could not be sent because its size (", also: "allowed on this list",
		after: "for the following reason:", evidence: sympaTooBig, reason: record.ReasonMesgTooBig, decodedBy: "sympa", inDSN: true},
	// mlmmj's listtexts (mlmmj, listtexts/en): subonlypost, for a
	// post from an address that is not subscribed to a list that only
	// subscribers may post to; access, for a post that an access rule
	// of the list's administrator denied; maxmailsize, over the list's
	// size limit; notintocc, for a post that names the list in neither
	// To: nor Cc:.
	{marker: "but this address is not subscribed, and only subscribers may post to", also: "this is the mlmmj program",
		evidence: mlmmjRefused, decodedBy: "mlmmj"},
	{marker: "rejected because it matched a rule set up by the list administrator", also: "this is the mlmmj program",
		evidence: mlmmjRefused, reason: record.ReasonPolicyViolation, decodedBy: "mlmmj"},
	{marker: "your mail was rejected due to the size limit of", also: "this is the mlmmj program",
		evidence: mlmmjTooBig, reason: record.ReasonMesgTooBig, decodedBy: "mlmmj"},
	{marker: "the list address must be contained in either the to: or cc: header", also: "this is the mlmmj program",
		evidence: mlmmjRefused, reason: record.ReasonPolicyViolation, decodedBy: "mlmmj"},
}

// refusalTrailers, lower case, end a refusal's diagnostic: Mailman 3's
// "The original message as received by Mailman is attached."
// (list:user:notice:rejected.txt), Sympa's "For further information,
// please contact ..." (delivery_status_notification.tt2), Sympa's note
// on encoded attachments, and mlmmj's lead-in to the denied message and
// its advice on subscribed addresses (listtexts/en).
var refusalTrailers = []string{"the original message as received by mailman is attached.", "for further information, please contact", "note: because binary files have to be encoded",
	"(the denied message is below.)", "(the beginning of the denied message is below.)", "if you believe you are correctly subscribed"}

// The evidence of the refusals.
const (
	mailmanModerator = "Mailman: the list moderator rejected the post"
	mailmanRefused   = "Mailman: the list refused the post"
	mailmanDMARC     = "Mailman: the list refuses posts from domains with a DMARC policy of reject or quarantine"
	sympaModerator   = "Sympa: the list moderator rejected the post"
	sympaRefused     = "Sympa: the list refused the post"
	sympaTooBig      = "Sympa: the post is over the list's size limit"
	mlmmjRefused     = "mlmmj: the list refused the post"
	mlmmjTooBig      = "mlmmj: the post is over the list's size limit"
)

// refusalOf returns the notice of a refused post that m is, if any, and
// the lower-cased bounce text of m with its white space collapsed (the
// list managers fill and wrap their sentences: a marker may span lines).
func refusalOf(m *mime.Message) (k listRefusal, lower string, ok bool) {
	lower = mime.CollapsedBounce(m)
	for _, k := range listRefusals {
		if (m.DSN == nil || k.inDSN) && strings.Contains(lower, k.marker) && (k.also == "" || strings.Contains(lower, k.also)) &&
			(m.Pasted || k.inDSN || fromList(m, lower)) {
			return k, lower, true
		}
	}
	return listRefusal{}, lower, false
}

// listSuffixes are the lower-case ends of the local parts of a list's
// own addresses that list managers send their notices from: Mailman's
// and Sympa's LIST-owner, LIST-bounces, LIST-request and LIST-admin,
// mlmmj's LIST+owner. listManagers end the addresses of the managers
// themselves (mailman@, sympa@).
var (
	listSuffixes = []string{"-owner", "-bounces", "-request", "-admin", "+owner"}
	listManagers = []string{"mailman", "sympa"}
)

// fromList reports whether m, a whole message whose lower-cased bounce
// text is lower, comes from a mailing list: it has a list's header
// (X-List-Administrivia, List-Id, X-BeenThere, X-Mailman-Version), its
// sender is a list's or a list manager's address (listSuffixes,
// listManagers), or its text begins
// as mlmmj's notices do. A person's message that quotes a list's notice
// is none of these.
func fromList(m *mime.Message, lower string) bool {
	for _, h := range []string{"X-List-Administrivia", "List-Id", "X-BeenThere", "X-Mailman-Version"} {
		if m.Get(h) != "" {
			return true
		}
	}
	a := strings.ToLower(mailaddr.FirstAddress(m.From))
	if at := strings.LastIndexByte(a, '@'); at > 0 {
		for _, ends := range [][]string{listSuffixes, listManagers} {
			for _, end := range ends {
				if strings.HasSuffix(a[:at], end) {
					return true
				}
			}
		}
	}
	return strings.Contains(lower, mlmmjGreeting)
}

// IsRefusedPost reports whether m is a mailing list's notice that it
// refused a post.
func IsRefusedPost(m *mime.Message) bool {
	_, _, ok := refusalOf(m)
	return ok
}

// RefusedPostRecipients names the list that refused the post (see
// listAddress), failed, with the notice's reason as the diagnostic.
func RefusedPostRecipients(m *mime.Message) []record.Recipient {
	k, lower, _ := refusalOf(m)
	r := record.Recipient{
		Recipient: listAddress(m),
		Action:    record.ActionFailed,
		Reason:    k.reason,
		Evidence:  k.evidence,
		DecodedBy: k.decodedBy,
	}
	// text has the same length and offsets as lower, its lower-cased
	// form.
	text := textutil.CollapseSpace(m.BounceText())
	if k.after != "" {
		if i := strings.Index(lower, k.after); i >= 0 {
			// The reason, which the template quotes, up to the
			// sentence after it.
			text, lower = strings.TrimSpace(text[i+len(k.after):]), strings.TrimSpace(lower[i+len(k.after):])
			if j := strings.IndexByte(text[min(1, len(text)):], '"'); text != "" && text[0] == '"' && j >= 0 {
				text, lower = text[1:j+1], lower[1:j+1]
			}
		}
	}
	for _, e := range refusalTrailers {
		if j := strings.Index(lower, e); j >= 0 {
			text, lower = text[:j], lower[:j]
		}
	}
	r.Diagnostic = textutil.CollapseSpace(textutil.TruncateRunes(text, 500))
	if k.inDSN && m.DSN != nil && len(m.DSN.Recipients) > 0 {
		// Sympa's DSN gives the status of the refusal (5.7.1 for
		// the send scenario, 5.2.3 for the size).
		if c, err := enhancedcode.Parse(dsn.FieldOf(m.DSN.Recipients[0], "Status")); err == nil && c.Class() == enhancedcode.Permanent {
			r.Status = c
		}
	}
	return []record.Recipient{r}
}

// memberNotices are the pairs of lower-case sentences, both in the text,
// of a list's notices to a member about the member's own subscription:
// GNU Mailman's bounce probe (2.1 templates/en/probe.txt, Mailman 3
// templates/en/list:user:notice:probe.txt; 2.1 templates/ja/probe.txt)
// and the notice that bounces disabled the membership (2.1
// templates/en/disabled.txt with Bouncer.py's reason "due to excessive
// bounces"; templates/ja/disabled.txt).
var memberNotices = [][2]string{
	{"this is a probe message.", "mailing list has received a number of bounces from you"},
	{"これは探査メールです。", "配送エラー通知を"},
	{"your membership in the mailing list", "has been disabled"},
	{"メーリングリストでの会員権が", "一時的に停止されています"},
}

// IsMemberNotice reports whether m is a mailing list's notice to a member
// about the member's own subscription: no bounce of the member's
// message, even though it may carry a bounce of the list's delivery to
// the member as a sample.
func IsMemberNotice(m *mime.Message) bool {
	if m.DSN != nil {
		return false
	}
	lower := mime.CollapsedBounce(m)
	for _, p := range memberNotices {
		if strings.Contains(lower, p[0]) && strings.Contains(lower, p[1]) {
			return true
		}
	}
	return false
}
