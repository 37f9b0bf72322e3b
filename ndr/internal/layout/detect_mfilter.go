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

// mfilterMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var mfilterMark = mime.NewMarker("m-FILTER")

// m-FILTER (Digital Arts) writes a Japanese preamble, the failed
// addresses, then dashed sections:
//
//	user@example.com
//
//	-------server message
//	550 5.1.1 <user@example.com>: Recipient address rejected
//
//	-------SMTP command
//	DATA
//
//	-------original message
var (
	mfilterMarker = regexp.MustCompile(`(?m)^-------server message\s*$`)
	// mfilterSections are the section headings, lower case.
	mfilterSections = []string{"-------server message", "-------smtp command", "-------original message", "-------original mail info"}
	mfilterSection  = regexp.MustCompile(`(?m)^-------(server message|SMTP command|original (?:message|mail info))\s*$`)
)

// detectMfilter reads m-FILTER's reports.
func detectMfilter(m *mime.Message, out *found) {
	text := m.Body
	if !m.InBody(mfilterMark) || !strings.Contains(text, "m-FILTER") || textmatch.FirstFromLines(mfilterMarker, text, "-------server message") == nil {
		return
	}
	locs := textmatch.FindAllFromLines(mfilterSection, text, -1, mfilterSections...)
	head := text[:locs[0][0]]
	section := func(name string) string {
		for i, l := range locs {
			if text[l[2]:l[3]] == name {
				return textmatch.AfterMatch(text, locs, i)
			}
		}
		return ""
	}
	diag := dsn.UnfoldLines(strings.Split(section("server message"), "\n"))
	cmd := strings.ToUpper(textutil.FirstWord(section("SMTP command")))
	code, status := dsn.FailureReply(diag)
	for l := range strings.SplitSeq(head, "\n") {
		a := strings.TrimSpace(l)
		if !mailaddr.IsAddress(a) || !mailaddr.AddrPattern.MatchString(a) {
			continue
		}
		out.add(record.Recipient{Recipient: mailaddr.CleanAddress(a), Diagnostic: diag, Command: cmd, ReplyCode: code, Status: status})
	}
}
