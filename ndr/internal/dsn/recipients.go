package dsn

import (
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// RecipientsOf turns the per-recipient blocks of a DSN into recipients.
func RecipientsOf(ds *DeliveryStatus) []record.Recipient {
	reporting := HostOf(FieldOf(ds.Message, "Reporting-MTA"))
	// The report's own arrival date, parsed once, when a recipient gives
	// none of its own.
	arrival := lazyDate{text: FieldOf(ds.Message, "Arrival-Date")}
	out := make([]record.Recipient, 0, len(ds.Recipients))
	for _, fs := range ds.Recipients {
		r := record.Recipient{DecodedBy: "rfc3464", ReportingMTA: reporting}
		_, final := TypedValue(FieldOf(fs, "Final-Recipient"))
		_, orig := TypedValue(FieldOf(fs, "Original-Recipient"))
		r.Recipient = mailaddr.CleanAddress(final)
		r.OriginalRecipient = mailaddr.CleanAddress(orig)
		if r.Recipient == "" || !mailaddr.IsAddress(r.Recipient) && mailaddr.IsAddress(r.OriginalRecipient) {
			// No final recipient, or one in source-route or program form.
			r.Recipient = r.OriginalRecipient
		}
		if x := mailaddr.CleanAddress(FieldOf(fs, "X-Actual-Recipient")); x != "" && r.Recipient == "" {
			r.Recipient = x
		}
		r.Action = record.Action(strings.ToLower(textutil.FirstWord(FieldOf(fs, "Action"))))
		status := FieldOf(fs, "Status")
		if c, err := enhancedcode.Parse(textutil.FirstWord(status)); err == nil {
			r.Status, r.ReportedStatus = c, c
		}
		r.DiagnosticType, r.Diagnostic = TypedValue(FieldOf(fs, "Diagnostic-Code"))
		if r.Diagnostic == "" {
			// A comment after the status is all some MTAs say of the
			// reply (Haraka: "Status: 5.1.2 (550 Domain not found)").
			r.Diagnostic = statusComment(status)
		}
		r.Diagnostic = unfoldReplyText(r.Diagnostic)
		r.RemoteMTA = HostOf(FieldOf(fs, "Remote-MTA"))
		if v := HostOf(FieldOf(fs, "Reporting-MTA")); v != "" {
			r.ReportingMTA = v
		}
		if t, err := MailDate(FieldOf(fs, "Last-Attempt-Date")); err == nil {
			r.LastAttempt = t
		}
		if a := FieldOf(fs, "Arrival-Date"); a != "" {
			if t, err := MailDate(a); err == nil {
				r.ArrivalDate = t
			}
		} else if t, ok := arrival.get(); ok {
			r.ArrivalDate = t
		}
		if c := FieldOf(fs, "X-Postfix-Command"); c != "" {
			r.Command = c
		}
		out = append(out, r)
	}
	return out
}

// lazyDate is a date field parsed on first use.
type lazyDate struct {
	text     string
	t        time.Time
	read, ok bool
}

// get returns the parsed date and whether it is valid.
func (d *lazyDate) get() (time.Time, bool) {
	if !d.read {
		t, err := MailDate(d.text)
		d.t, d.ok, d.read = t, err == nil, true
	}
	return d.t, d.ok
}

// HostOf strips an RFC 3464 type prefix ("dns; mx.example.com") and
// brackets from a host value.
func HostOf(v string) string {
	_, h := TypedValue(v)
	h = strings.TrimSpace(h)
	if k := strings.IndexAny(h, " \t"); k > 0 {
		h = h[:k]
	}
	// A fully qualified name's root dot ("mx2.example.org.") is no part
	// of the name to show or compare.
	return strings.TrimSuffix(strings.Trim(h, "[]<>;"), ".")
}

// statusComment returns the text of an RFC 5322 comment that follows
// the code in a Status field when it is a reply ("5.1.2 (550 Domain not
// found)"), or "": a comment that only words the status ("4.4.0 (other
// or undefined network or routing status)") is not one.
func statusComment(v string) string {
	v = strings.TrimSpace(v)
	i := strings.IndexAny(v, " \t")
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(v[i:])
	if len(rest) < 2 || rest[0] != '(' || rest[len(rest)-1] != ')' {
		return ""
	}
	c := strings.TrimSpace(rest[1 : len(rest)-1])
	if replyPrefixLen(c+" ") == 0 {
		return ""
	}
	return c
}
