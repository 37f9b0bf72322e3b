package layout

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Zoho Mail reports failures from mailer-daemon@mail.zoho.com (X-Mailer:
// Zoho Mail), one line per recipient:
//
//	This message was created automatically by mail delivery software.
//	A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.
//
//	user@example.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <user@example.jp>... User Unknown
//
// The first ERROR_CODE is the reply code, the second the remote reply
// (or Zoho's own text when the server gave none). The diagnostic is
// written as the reply it stands for, after Zoho's own words:
// "Invalid Address: 550 5.1.1 <user@example.jp>... User Unknown".

var zohoLine = regexp.MustCompile(`^[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]+([^\n]*?ERROR_CODE[ \t]*:[^\n]*)$`)
var zohoCode = regexp.MustCompile(`ERROR_CODE[ \t]*:[ \t]*([245]\d\d)\b`)
var zohoReply = regexp.MustCompile(`ERROR_CODE[ \t]*:[ \t]*([245]\.\d{1,3}\.\d{1,3})\b`)

// zohoLines returns the submatches of zohoLine in text, as
// FindAllStringSubmatch does.
func zohoLines(text string) [][]string {
	return textmatch.LineSubmatches(zohoLine, text, "ERROR_CODE")
}

// detectZoho reads the Zoho Mail layout.
func detectZoho(m *mime.Message, out *found) {
	if !strings.Contains(strings.ToLower(m.From), "zoho") && m.Get("X-ZohoMail") == "" && !strings.Contains(m.Get("X-Mailer"), "Zoho") {
		return
	}
	for _, sm := range zohoLines(m.Body) {
		r := record.Recipient{Recipient: sm[1], Action: record.ActionFailed, Diagnostic: textutil.CollapseSpace(sm[2])}
		if c := zohoCode.FindStringSubmatchIndex(sm[2]); c != nil {
			code := sm[2][c[2]:c[3]]
			r.ReplyCode, _ = strconv.Atoi(code)
			label := strings.TrimRight(strings.TrimSpace(sm[2][:c[0]]), ",: ")
			rest := strings.TrimLeft(sm[2][c[1]:], ", ")
			if k := strings.Index(rest, "ERROR_CODE"); k >= 0 && strings.TrimSpace(rest[:k]) == "" {
				rest = strings.TrimLeft(rest[k+len("ERROR_CODE"):], " \t:")
			}
			reply := textutil.CollapseSpace(code + " " + rest)
			if label != "" {
				reply = label + ": " + reply
			}
			r.Diagnostic = reply
		}
		if c := zohoReply.FindStringSubmatch(sm[2]); c != nil {
			r.Status, _ = enhancedcode.Parse(c[1])
		}
		if strings.Contains(strings.ToLower(sm[2]), "temporary") {
			r.Action = record.ActionDelayed
		}
		out.add(r)
	}
}
