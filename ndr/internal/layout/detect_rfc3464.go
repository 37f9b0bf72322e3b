package layout

import (
	"github.com/ndrkit/ndrkit/internal/literal"
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// dsnTextMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var dsnTextMark = mime.NewMarker("final-recipient:")

// Some reports carry the RFC 3464 delivery-status fields in their text
// rather than in a message/delivery-status part: old Sendmail without
// MIME, and reports whose MIME boundaries are broken so that the
// delivery-status part reads as text. detectDSNText reads those fields
// when the MIME walk found no delivery-status part. A recipient block
// without Diagnostic-Code takes the failing reply of the session
// transcript before the fields, or the comment after its Status.

var (
	dsnTextField = regexp.MustCompile(`(?i)^[ \t]*(?:>[ \t]?)*[ \t]*Final-Recipient:[ \t]*\S`)
	dsnTextStart = regexp.MustCompile(`(?i)^([ \t]*(?:>[ \t]?)*[ \t]*)(?:Reporting-MTA|Original-Recipient|Final-Recipient):`)
	statusNote   = regexp.MustCompile(`^\s*[245]\.\d{1,3}\.\d{1,3}\s*\((.+)\)\s*$`)
)

// detectDSNText reads delivery-status fields written as text.
func detectDSNText(m *mime.Message, out *found) {
	if m.DSN != nil || !m.InBody(dsnTextMark) || textmatch.LineMatch(dsnTextField, m.Body, mime.LowerBody(m), "final-recipient:") == nil {
		return
	}
	text := m.BounceText()
	loc := textmatch.LineMatch(dsnTextStart, text, mime.LowerBounce(m), "reporting-mta:", "original-recipient:", "final-recipient:")
	if loc == nil {
		return
	}
	before, fields := text[:loc[0]], dedentFields(text[loc[0]:], text[loc[2]:loc[3]])
	ds := dsn.Parse(fields, false)
	out.addDSN(ds, func(r *record.Recipient) bool {
		r.DecodedBy = ""
		return r.Recipient != "" && strings.Contains(r.Recipient, "@")
	})
	// The recipients named in the text before the fields, and the
	// Status of each recipient's block, are gathered once.
	var named map[string]bool
	var reply *string
	var status map[string]string
	for i := range out.rs {
		if out.rs[i].Diagnostic != "" {
			continue
		}
		if named == nil {
			named = map[string]bool{}
			for _, a := range mailaddr.FindAddresses(before) {
				named[literal.LowerASCII(mailaddr.CleanAddress(a))] = true
			}
			status = map[string]string{}
			for _, fs := range ds.Recipients {
				_, v := dsn.TypedValue(dsn.FieldOf(fs, "Final-Recipient"))
				k := literal.LowerASCII(mailaddr.CleanAddress(v))
				if _, ok := status[k]; !ok {
					status[k] = dsn.FieldOf(fs, "Status")
				}
			}
		}
		key := literal.LowerASCII(out.rs[i].Recipient)
		if out.count() == 1 || named[key] {
			if reply == nil {
				t := failingReplyText(before)
				reply = &t
			}
			out.rs[i].Diagnostic = *reply
		}
		if out.rs[i].Diagnostic == "" {
			if sm := statusNote.FindStringSubmatch(status[key]); sm != nil && !strings.Contains(strings.ToLower(sm[1]), "failure)") {
				out.rs[i].Diagnostic = sm[1]
			}
		}
	}
}

// dedentFields takes prefix, the indentation or quote marks ("> ") that
// a user's paste or forward put before the first field, off each line of
// fields that starts with it, so that the fields start their lines and a
// folded value's continuation keeps its own indentation; a line that is
// only the quote marks becomes blank. Other lines stay as they are.
func dedentFields(fields, prefix string) string {
	if prefix == "" {
		return fields
	}
	bare := strings.TrimRight(prefix, " \t")
	var b strings.Builder
	b.Grow(len(fields))
	first := true
	for l := range strings.SplitSeq(fields, "\n") {
		if !first {
			b.WriteByte('\n')
		}
		first = false
		switch {
		case strings.HasPrefix(l, prefix):
			l = l[len(prefix):]
		case bare != "" && strings.TrimRight(l, " \t\r") == bare:
			l = ""
		}
		b.WriteString(l)
	}
	return b.String()
}

// failingReplyText returns the first failing SMTP reply in text, from its
// code to the end of its paragraph, unfolded; or "".
func failingReplyText(text string) string {
	for r := range enhancedcode.Replies(text) {
		if !dsn.FailingReply(r) {
			continue
		}
		end := strings.Index(text[r.Start:], "\n\n")
		if end < 0 {
			return textutil.CollapseSpace(text[r.Start:])
		}
		return textutil.CollapseSpace(text[r.Start : r.Start+end])
	}
	return ""
}
