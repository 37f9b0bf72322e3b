package ndr

import (
	"regexp"
	"strings"
)

// Outlook.com (Hotmail, postmaster@hotmail.com and the like) writes a
// short text next to its delivery-status part:
//
//	This is an automatically generated Delivery Status Notification.
//
//	Unable to deliver message to the following recipients, due to being
//	unable to connect successfully to the destination mail server.
//
//	       user@example.com
//
// The sentence before the indented addresses is the only explanation
// when the delivery-status part has no Diagnostic-Code.

var (
	outlookLead  = regexp.MustCompile(`(?i)This is an automatically generated Delivery Status Notification\.?`)
	outlookAbout = regexp.MustCompile(`(?im)^[ \t]*([^\n]*the following recipients[^\n]*)\n`)
	outlookAddr  = regexp.MustCompile(`^[ \t]+<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$`)
)

// detectOutlook reads the Outlook.com layout.
func detectOutlook(m *message) []Recipient {
	if !strings.Contains(lowerBounce(m), "this is an automatically generated delivery status notification") {
		return nil
	}
	text := m.bounceText()
	lead := outlookLead.FindStringIndex(text)
	if lead == nil {
		return nil
	}
	rest := text[lead[1]:]
	sm := outlookAbout.FindStringSubmatchIndex(rest)
	if sm == nil {
		return nil
	}
	sentence := collapseSpace(rest[sm[2]:sm[3]])
	var out []Recipient
	for _, line := range strings.Split(rest[sm[1]:], "\n") {
		if strings.TrimSpace(line) == "" {
			if len(out) > 0 {
				break
			}
			continue
		}
		a := outlookAddr.FindStringSubmatch(line)
		if a == nil {
			break
		}
		r := Recipient{Recipient: a[1], Action: ActionFailed, Diagnostic: sentence}
		if strings.Contains(strings.ToLower(sentence), "has been delayed") {
			r.Action = ActionDelayed
		}
		out = append(out, r)
	}
	return out
}
