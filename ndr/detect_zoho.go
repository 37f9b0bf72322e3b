package ndr

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
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
// (or Zoho's own text when the server gave none).

var zohoLine = regexp.MustCompile(`(?m)^[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]+([^\n]*?ERROR_CODE[ \t]*:[^\n]*)$`)
var zohoCode = regexp.MustCompile(`ERROR_CODE[ \t]*:[ \t]*([245]\d\d)\b`)
var zohoReply = regexp.MustCompile(`ERROR_CODE[ \t]*:[ \t]*([245]\.\d{1,3}\.\d{1,3})\b`)

// zohoLines returns the submatches of zohoLine in text, as
// FindAllStringSubmatch does; it matches within one line, so only the
// lines that hold "ERROR_CODE" are tried.
func zohoLines(text string) [][]string {
	var out [][]string
	for off := 0; off < len(text); {
		k := strings.Index(text[off:], "ERROR_CODE")
		if k < 0 {
			break
		}
		k += off
		start := strings.LastIndexByte(text[:k], '\n') + 1
		end := len(text)
		if e := strings.IndexByte(text[k:], '\n'); e >= 0 {
			end = k + e
		}
		if sm := zohoLine.FindStringSubmatch(text[start:end]); sm != nil {
			out = append(out, sm)
		}
		off = end + 1
	}
	return out
}

// detectZoho reads the Zoho Mail layout.
func detectZoho(m *message) []Recipient {
	if !strings.Contains(strings.ToLower(m.from), "zoho") && m.get("X-ZohoMail") == "" && !strings.Contains(m.get("X-Mailer"), "Zoho") {
		return nil
	}
	var out []Recipient
	for _, sm := range zohoLines(m.body) {
		r := Recipient{Recipient: sm[1], Action: ActionFailed, Diagnostic: collapseSpace(sm[2])}
		if c := zohoCode.FindStringSubmatch(sm[2]); c != nil {
			r.ReplyCode, _ = strconv.Atoi(c[1])
		}
		if c := zohoReply.FindStringSubmatch(sm[2]); c != nil {
			r.Status, _ = enhancedcode.Parse(c[1])
		}
		if strings.Contains(strings.ToLower(sm[2]), "temporary") {
			r.Action = ActionDelayed
		}
		out = append(out, r)
	}
	return out
}
