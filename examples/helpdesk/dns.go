package main

import (
	"context"
	"time"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/examples/internal/present"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
)

// dnsRequestTime bounds the DNS checks of one request.
const dnsRequestTime = 20 * time.Second

// maxDNSReports is the largest number of messages of one request whose
// DNS is checked; the recipients of later messages get no findings.
const maxDNSReports = 10

// dnsItem is one entry of POST /api/dnscheck: the findings for one
// recipient, in the order of POST /api/view's entries, or a Problem for
// a message that gives no recipient.
type dnsItem struct {
	Recipient string           `json:"recipient,omitempty"` // the recipient's address
	Message   int              `json:"message,omitempty"`   // position in an mbox
	Checked   bool             `json:"checked"`             // the DNS was checked for this message
	Findings  []dnsFinding     `json:"findings"`            // what the checks found, empty when none applies
	Problem   *present.Problem `json:"problem,omitempty"`   // a message that is not a bounce or could not be read
}

// dnsFinding is a finding in the request's language with the words the
// page shows for its severity and check.
type dnsFinding struct {
	dnscheck.Localized
	SeverityLabel string `json:"severity_label"` // the severity in words
	CheckLabel    string `json:"check_label"`    // the check in words
}

// dnsChecker runs the DNS checks of one request: at most maxDNSReports
// messages, all within one deadline.
type dnsChecker struct {
	ctx  context.Context
	opts []dnscheck.Option
	done int
}

// check returns the items for the recipients of rep.
func (c *dnsChecker) check(pos int, rep *ndr.Report, tag language.Tag) []any {
	var res *dnscheck.Result
	if c.done < maxDNSReports {
		c.done++
		res, _ = dnscheck.Check(c.ctx, rep, c.opts...)
	}
	var out []any
	for i, r := range rep.Recipients {
		it := dnsItem{Recipient: r.Recipient, Message: pos, Findings: []dnsFinding{}}
		if res != nil && i < len(res.Recipients) {
			it.Checked = true
			for _, f := range dnscheck.Localize(res.Recipients[i].Findings, tag) {
				it.Findings = append(it.Findings, dnsFinding{
					Localized:     f,
					SeverityLabel: present.SeverityLabel(f.Severity, tag),
					CheckLabel:    present.CheckLabel(f.Check, tag),
				})
			}
		}
		out = append(out, it)
	}
	return out
}
