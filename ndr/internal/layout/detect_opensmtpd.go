package layout

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// OpenSMTPD writes an indented preamble and then one line per recipient,
// the address, a colon and the remote server's reply or OpenSMTPD's own
// reason, at the start of the line:
//
//	    Hi!
//
//	    This is the MAILER-DAEMON, please DO NOT REPLY to this email.
//
//	    An error has occurred while attempting to deliver a message for
//	    the following list of recipients:
//
//	user@example.com: 550 5.1.1 <user@example.com>: User unknown
//
//	    Below is a copy of the original message:
//
// A delay notice says "A message is delayed for more than ... for the
// following list of recipients:" instead. Newer versions add a
// delivery-status part without a diagnostic: the reply is only in the
// text.
var (
	opensmtpdMarker = regexp.MustCompile(`(?i)this is the mailer-daemon, please do not reply to this e-?mail`)
	opensmtpdList   = regexp.MustCompile(`(?i)(an error has occurred|a message is delayed)[^\n]*\n?[^\n]*following\s+list of recipients:`)
	opensmtpdLine   = regexp.MustCompile(`^([^\s:@]+@[^\s:]+):[ \t]*(.*)$`)
	opensmtpdExpiry = regexp.MustCompile(`(?i)^envelope expired\b`)
)

// opensmtpdMarks are the literal starts of opensmtpdMarker and of the
// two sentences that opensmtpdList begins with.
var opensmtpdMarks = mime.NewMarkers("this is the mailer-daemon, please do not reply to this e", "an error has occurred", "a message is delayed")

// detectOpenSMTPD reads OpenSMTPD's failure and delay reports.
func detectOpenSMTPD(m *mime.Message, out *found) {
	text := m.Body
	if textmatch.MatchFrom(opensmtpdMarker, text, m.MarkerAt(opensmtpdMarks[0])) == nil {
		return
	}
	// opensmtpdList begins with one of two sentences.
	from := m.MarkerAt(opensmtpdMarks[1])
	if k := m.MarkerAt(opensmtpdMarks[2]); k >= 0 && (from < 0 || k < from) {
		from = k
	}
	loc := textmatch.MatchFrom(opensmtpdList, text, from)
	if loc == nil {
		return
	}
	delayed := strings.HasPrefix(strings.ToLower(text[loc[2]:loc[3]]), "a message")
	blank := false // a blank line since the last recipient line
	for line := range strings.SplitSeq(text[loc[1]:], "\n") {
		if strings.TrimSpace(line) == "" {
			blank = out.count() > 0
			continue
		}
		e := textmatch.SubmatchIf(strings.Contains(line, "@"), opensmtpdLine, line)
		if e == nil {
			// OpenSMTPD writes one line per recipient and a blank
			// line after the list; the closing paragraph is indented,
			// but not once the text has been pasted.
			if out.count() > 0 && (blank || textutil.LineIndent(line) > 0) {
				break // the closing paragraph
			}
			if out.count() > 0 {
				// A reply that went on onto the next line.
				r := out.last()
				r.Diagnostic = dsn.UnfoldLines([]string{r.Diagnostic, line})
				r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
			}
			continue
		}
		blank = false
		r := record.Recipient{Recipient: mailaddr.CleanAddress(e[1]), Diagnostic: dsn.UnfoldLines([]string{e[2]})}
		r.ReplyCode, r.Status = dsn.FailureReply(r.Diagnostic)
		if delayed {
			r.Action = record.ActionDelayed
		}
		if opensmtpdExpiry.MatchString(r.Diagnostic) {
			r.Reason, r.Evidence = record.ReasonExpired, "OpenSMTPD: the envelope expired in the queue"
		}
		out.add(r)
	}
}
