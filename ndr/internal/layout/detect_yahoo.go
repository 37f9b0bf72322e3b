package layout

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// yahooMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var yahooMark = mime.NewMarker("we were unable to deliver your message to the following address")

// Yahoo! Mail (and AOL, which shares its servers) report failures in
// plain text from MAILER-DAEMON@yahoo.com:
//
//	Sorry, we were unable to deliver your message to the following address.
//
//	<user@example.jp>:
//	Remote host said:
//	550 5.1.1 <user@example.jp>... User Unknown
//	[RCPT_TO]
//
//	--- Below this line is a copy of the message.
//
// The reply may also be written "550: 5.2.2 ..." (code, colon) or be
// Yahoo's own text without a code; a bracketed [RCPT_TO], [MAIL_FROM] or
// [DATA] names the SMTP command.

var (
	yahooLead    = regexp.MustCompile(`(?i)Sorry,? we were unable to deliver your message to the following address(?:es)?\.?`)
	yahooRcpt    = regexp.MustCompile(`^[ \t]*<([^<>\s]+@[^<>\s]+)>:?[ \t]*$`)
	yahooCommand = regexp.MustCompile(`\[(RCPT_TO|MAIL_FROM|DATA|EHLO|HELO|CONNECT)\]`)
	yahooCode    = regexp.MustCompile(`^([245]\d\d)[: -]`)
)

// detectYahoo reads the Yahoo! Mail layout.
func detectYahoo(m *mime.Message, out *found) {
	if !m.InBounce(yahooMark) {
		return
	}
	text := m.BounceText()
	loc := yahooLead.FindStringIndex(text)
	if loc == nil {
		return
	}
	text = text[loc[1]:]
	if k := strings.Index(text, "--- Below this line is a copy of the message"); k >= 0 {
		text = text[:k]
	}
	blocks := textmatch.LineMatches(yahooRcpt, text, "@")
	for i, b := range blocks {
		body := strings.TrimSpace(textmatch.AfterMatch(text, blocks, i))
		r := record.Recipient{Recipient: text[b[2]:b[3]], Action: record.ActionFailed}
		if sm := yahooCommand.FindStringSubmatch(body); sm != nil {
			r.Command = strings.Replace(sm[1], "_", " ", 1)
			body = strings.TrimSpace(strings.Replace(body, sm[0], "", 1))
		}
		body = strings.TrimSpace(strings.TrimPrefix(body, "Remote host said:"))
		r.Diagnostic = textutil.CollapseSpace(body)
		if sm := yahooCode.FindStringSubmatch(r.Diagnostic); sm != nil {
			r.ReplyCode, _ = strconv.Atoi(sm[1])
		}
		out.add(r)
	}
}
