package layout

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// sesNewMark is sesNewMarker as a detector gate.
// sesNewMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var sesNewMark = mime.NewMarker(sesNewMarker)

// sesJSONMarks are the fields that name the kind of an SES notification
// (notificationType) or event (eventType).
var sesJSONMarks = mime.NewMarkers("notificationType", "eventType")

// Amazon SES reports failures in three layouts:
//
//   - the older bounce from MAILER-DAEMON@email-bounces.amazonses.com:
//     "The following message to <user@example.jp> was undeliverable. The
//     reason for the problem: 5.1.0 - Unknown address error 550-'5.7.1
//     ...'", with a delivery-status part whose Status is SES's own
//     wrapper code (5.0.0, 5.1.0) rather than the remote server's;
//   - the newer one from MAILER-DAEMON@amazonses.com: "An error occurred
//     while trying to deliver the mail to the following recipients:",
//     with a delivery-status part whose Diagnostic-Code may wrap the
//     remote reply ("554 4.4.7 Message expired ... <421 4.4.2 ...>");
//   - JSON notifications (Bounce, Complaint, Delivery), as SES sends them
//     to an e-mail address directly or through SNS ("AWS Notification
//     Message", the JSON as the Message string of an SNS envelope).
//
// In every layout the remote server's reply, the innermost one, gives the
// status and reply code.

var (
	sesOldLead = regexp.MustCompile(`(?i)The following message to <?([^\s<>]+@[^\s<>]+?)>? was undeliverable\.?\s+The reason for the problem:\s*`)
	// sesNewMarker is the lower-case start of what sesNewLead matches.
	sesNewMarker = "an error occurred while trying to deliver the mail to the following recipient"
	sesNewLead   = regexp.MustCompile(`(?i)An error occurred while trying to deliver the mail to the following recipients?:`)
	// sesQuoted is the remote reply quoted in SES's older summary.
	sesQuoted = regexp.MustCompile(`\b([245]\d\d)[ -]'([^']+)'`)
	// sesExpired is SES's own wrapper when it stopped retrying.
	sesExpired = regexp.MustCompile(`(?i)Message expired: unable to deliver in \d+ minutes`)
)

// detectAmazonSES reads the SES layouts.
func detectAmazonSES(m *mime.Message, out *found) {
	if sesJSON(m, out); out.count() > 0 {
		return
	}
	if !isSESMessage(m) {
		return
	}
	text, low := m.BounceText(), mime.LowerBounce(m)
	if sm := sesOldLeadIn(text, low); sm != nil {
		rest := text[sm[1]:]
		if k := strings.Index(rest, "\n\n"); k >= 0 {
			rest = rest[:k]
		}
		r := record.Recipient{Recipient: text[sm[2]:sm[3]], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(rest)}
		if m.DSN != nil && len(m.DSN.Recipients) > 0 {
			if _, d := dsn.TypedValue(dsn.FieldOf(m.DSN.Recipients[0], "Diagnostic-Code")); d != "" {
				r.Diagnostic = textutil.CollapseSpace(d)
			}
		}
		// "5.1.0 - Unknown address error 550-'5.7.1 ... Access denied'":
		// SES's summary wraps the remote reply in quotes; keep the reply.
		if sm := sesQuoted.FindStringSubmatch(r.Diagnostic); sm != nil {
			r.Diagnostic = sm[1] + " " + strings.TrimSpace(sm[2])
		}
		r.ReplyCode, r.Status = deepestReply(r.Diagnostic)
		out.add(r)
		return
	}
	if m.DSN == nil || !m.InBounce(sesNewMark) || !sesNewLead.MatchString(text) {
		return
	}
	out.addDSN(m.DSN, func(r *record.Recipient) bool {
		r.DecodedBy = ""
		r.ReplyCode, r.Status = deepestReply(r.Diagnostic)
		if sesExpired.MatchString(r.Diagnostic) {
			r.Reason, r.Evidence = record.ReasonExpired, "Amazon SES gave up: "+sesExpired.FindString(r.Diagnostic)
		}
		return true
	})
}

// sesOldLeadIn returns the submatch offsets of sesOldLead in text, whose
// lower-cased form is low, or nil.
func sesOldLeadIn(text, low string) []int {
	if !strings.Contains(low, "was undeliverable") {
		return nil
	}
	return sesOldLead.FindStringSubmatchIndex(text)
}

// isSESMessage reports whether m was sent by Amazon SES.
func isSESMessage(m *mime.Message) bool {
	if fromHas(m, "amazonses.com") && strings.HasSuffix(strings.ToLower(mailaddr.FirstAddress(m.From)), "amazonses.com") {
		return true
	}
	return m.Get("X-SES-Outgoing") != "" || m.Get("X-AWS-Outgoing") != ""
}

// deepestReply follows the replies of a diagnostic into the ones quoted
// inside them and returns the innermost reply code and enhanced status
// ("5.1.0 - ... 550-'5.7.1 ...'" gives 550 and 5.7.1).
func deepestReply(diag string) (int, enhancedcode.Code) {
	rs := enhancedcode.Find(diag)
	if len(rs) == 0 {
		return 0, enhancedcode.Code{}
	}
	cur := rs[0]
	code, status := cur.Code, cur.Enhanced
	for _, r := range rs[1:] {
		if r.Start < cur.Start || r.Start >= cur.End {
			continue
		}
		cur = r
		if r.Code != 0 {
			code = r.Code
			status = r.Enhanced
		} else if !r.Enhanced.IsZero() {
			status = r.Enhanced
		}
	}
	return code, status
}

// sesEnvelope is the SNS message that carries a notification as a JSON
// string in Message.
type sesEnvelope struct {
	Type    string `json:"Type"`
	Message string `json:"Message"`
}

// sesDecode decodes raw, an SNS message that carries the notification in
// its Message or the notification itself when Message is empty. Both
// must be valid JSON with fields of the expected types. raw is decoded
// once as an envelope and a notification together; only when that fails
// is the envelope decoded alone, as the notification's own fields do not
// matter when Message carries it.
func sesDecode(raw string) (sesNotification, bool) {
	var doc struct {
		sesEnvelope
		sesNotification
	}
	err := json.Unmarshal([]byte(raw), &doc)
	if err == nil && doc.Message == "" {
		return doc.sesNotification, true
	}
	env := doc.sesEnvelope
	if err != nil {
		env = sesEnvelope{}
		if json.Unmarshal([]byte(raw), &env) != nil || env.Message == "" {
			return sesNotification{}, false
		}
	}
	var n sesNotification
	if json.Unmarshal([]byte(env.Message), &n) != nil {
		return sesNotification{}, false
	}
	return n, true
}

// sesNotification is the part of an SES event notification read here.
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Action         string `json:"action"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
		ReportingMTA string `json:"reportingMTA"`
		RemoteMtaIP  string `json:"remoteMtaIp"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
	} `json:"complaint"`
	Delivery *struct {
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
		RemoteMtaIP  string   `json:"remoteMtaIp"`
	} `json:"delivery"`
}

// sesJSON reads an SES notification in JSON, bare or inside an SNS
// envelope.
func sesJSON(m *mime.Message, out *found) {
	if !m.InBodyAny(sesJSONMarks...) {
		return
	}
	body := m.Body
	start, end := strings.IndexByte(body, '{'), strings.LastIndexByte(body, '}')
	if start < 0 || end < start {
		return
	}
	// Mail transport may have folded the long JSON line: a line break
	// followed by a space was inserted, and JSON has no line breaks
	// inside strings.
	raw := strings.ReplaceAll(body[start:end+1], "\n ", "")
	raw = strings.ReplaceAll(raw, "\n", "")
	n, ok := sesDecode(raw)
	if !ok {
		return
	}
	kind := n.NotificationType
	if kind == "" {
		kind = n.EventType
	}
	switch {
	case kind == "Bounce" && n.Bounce != nil:
		for _, b := range n.Bounce.BouncedRecipients {
			r := record.Recipient{Recipient: b.EmailAddress, Action: record.Action(strings.ToLower(b.Action))}
			if r.Action == "" {
				r.Action = record.ActionFailed
			}
			r.DiagnosticType, r.Diagnostic = dsn.TypedValue(b.DiagnosticCode)
			if c, err := enhancedcode.Parse(b.Status); err == nil {
				r.Status = c
			}
			code, status := deepestReply(r.Diagnostic)
			r.ReplyCode = code
			if !status.IsZero() && (r.Status.IsZero() || dsn.IsGeneric(r.Status)) {
				r.Status = status
			}
			r.ReportingMTA = dsn.HostOf(n.Bounce.ReportingMTA)
			r.RemoteMTA = n.Bounce.RemoteMtaIP
			if ev := sesSuppressed(n.Bounce.BounceType, n.Bounce.BounceSubType); ev != "" {
				r.Reason, r.Evidence = record.ReasonSuppressed, ev
			}
			out.add(r)
		}
	case kind == "Delivery" && n.Delivery != nil:
		for _, a := range n.Delivery.Recipients {
			r := record.Recipient{Recipient: a, Action: record.ActionDelivered, Diagnostic: n.Delivery.SMTPResponse}
			r.ReplyCode, r.Status = deepestReply(r.Diagnostic)
			r.ReportingMTA = dsn.HostOf(n.Delivery.ReportingMTA)
			r.RemoteMTA = n.Delivery.RemoteMtaIP
			out.add(r)
		}
	case kind == "Complaint" && n.Complaint != nil:
		for _, c := range n.Complaint.ComplainedRecipients {
			out.add(record.Recipient{
				Recipient:  c.EmailAddress,
				Diagnostic: strings.TrimSpace("complaint " + n.Complaint.ComplaintFeedbackType),
				Reason:     record.ReasonFeedback,
				Evidence:   "Amazon SES complaint notification",
			})
		}
	}
	for i := range out.rs {
		out.rs[i].DecodedBy = "amazonses"
		if out.rs[i].ReplyCode == 0 {
			if k, err := strconv.Atoi(textutil.FirstWord(out.rs[i].Diagnostic)); err == nil && k >= 200 && k < 600 {
				out.rs[i].ReplyCode = k
			}
		}
	}
}

// sesSuppressed returns the evidence for an SES bounce whose type and
// subtype say that SES did not try the recipient because the address is
// on a suppression list, or "": bounceType "Permanent" with subtype
// "Suppressed" for the global list ("Amazon SES has suppressed sending to
// this address because it has a recent history of bouncing as an invalid
// address") or "OnAccountSuppressionList" for the sending account's own
// (docs.aws.amazon.com/ses/latest/dg/notification-contents.html).
func sesSuppressed(kind, sub string) string {
	if kind != "Permanent" {
		return ""
	}
	switch sub {
	case "Suppressed":
		return sesGlobalSuppressed
	case "OnAccountSuppressionList":
		return sesAccountSuppressed
	}
	return ""
}

// The evidence texts of sesSuppressed.
const (
	sesGlobalSuppressed  = "Amazon SES: the address is on the global suppression list"
	sesAccountSuppressed = "Amazon SES: the address is on the account's suppression list"
)
