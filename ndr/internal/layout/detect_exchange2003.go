package layout

import (
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

// ex2003Markers are the texts by which this layout is recognised before anything
// else is read (see mime/markers.go).
var ex2003Markers = mime.NewMarkers("your message", "the following recipient(s)")

// Microsoft Exchange 5.5 to 2003 (the Internet Mail Service and Connector
// and the Exchange 2000/2003 SMTP service) repeat the returned message's
// To, Subject and Sent lines, then list each recipient with the time of
// the failure and the reason under it, indented:
//
//	Your message
//
//	  To:      user@example.com
//	  Subject: Minutes
//	  Sent:    Thu, 9 May 2005 23:34:45 +0900
//
//	did not reach the following recipient(s):
//
//	user@example.com on Thu, 9 May 2005 23:34:45 +0900
//	    The recipient name is not recognized
//	    The MTS-ID of the original message is: c=us;a= ;p=example;l=...
//	    MSEXCH:IMS:EXAMPLE:SITE:SERVER 0 (000C05A6) Unknown Recipient
//
// Other versions say "The following recipient(s) could not be reached:"
// and give the remote server's reply as "<mx.example.com #5.1.1
// smtp;550 5.1.1 User unknown>".
var (
	ex2003List   = regexp.MustCompile(`(?im)^\s*(?:did not reach the following recipient\(s\)|the following recipient\(s\) (?:could not|cannot|can not) be reached):\s*$`)
	ex2003Rcpt   = regexp.MustCompile(`^\s*(\S+@\S+) on .+$`)
	ex2003MTSID  = regexp.MustCompile(`(?i)^the mts-id of the original message is:`)
	ex2003Remote = regexp.MustCompile(`^<([a-zA-Z0-9][a-zA-Z0-9.-]*) #([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:\s+(?:smtp;\s*)?(.*?))?(?:\s*#SMTP#)?>$`)
)

// detectExchange2003 reads the reports of Exchange 5.5 to 2003.
func detectExchange2003(m *mime.Message, out *found) {
	if !m.InBounce(ex2003Markers[0]) || !m.InBounce(ex2003Markers[1]) {
		return
	}
	low := mime.LowerBounce(m)
	text := m.BounceText()
	loc := textmatch.MatchBlankLines(ex2003List, text, low, "the following recipient(s)")
	if loc == nil || !strings.Contains(strings.ToLower(text[:loc[0]]), "your message") {
		return
	}
	var lines []string
	flush := func() {
		if out.count() == 0 {
			return
		}
		r := out.last()
		var keep []string
		mtsid := false
		for _, l := range lines {
			switch {
			case textutil.HasPrefixLower(l, "the mt") && ex2003MTSID.MatchString(l):
				mtsid = true
				continue
			case mtsid && (!strings.Contains(l, " ") || strings.Contains(l, ";l=")):
				continue // the rest of a wrapped MTS-ID
			}
			mtsid = false
			if x := textmatch.SubmatchIf(strings.HasPrefix(l, "<"), ex2003Remote, l); x != nil {
				r.RemoteMTA = strings.ToLower(x[1])
				if c, err := enhancedcode.Parse(x[2]); err == nil {
					r.Status = c
				}
				if x[3] != "" {
					keep = []string{x[3]}
					break
				}
				continue
			}
			keep = append(keep, l)
		}
		r.Diagnostic = dsn.UnfoldLines(keep)
		code, st := dsn.FailureReply(r.Diagnostic)
		r.ReplyCode = code
		if !st.IsZero() {
			r.Status = st
		}
		lines = nil
	}
	blank := 0
	for l := range strings.SplitSeq(text[loc[1]:], "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			if out.count() > 0 {
				blank++
			}
			if blank >= 2 {
				break
			}
			continue
		}
		if e := textmatch.SubmatchIf(strings.Contains(l, " on "), ex2003Rcpt, l); e != nil {
			if a := mailaddr.CleanAddress(e[1]); mailaddr.IsAddress(a) {
				flush()
				blank = 0
				out.add(record.Recipient{Recipient: a})
				continue
			}
		}
		if out.count() == 0 || blank > 0 && textutil.LineIndent(l) == 0 {
			break
		}
		lines = append(lines, t)
	}
	flush()
}
