package ndr

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// A detector reads one bounce layout. It recognises the layout by its own
// markers (subject, sender, header fields, body text) and returns the
// recipients it finds, or nil when the message is not in its layout.
// Detectors see the message after the MIME walk; they never modify it.
type detector struct {
	// name is reported in Recipient.DecodedBy.
	name string
	// detect reads the message.
	detect func(m *message) []Recipient
	// authoritative says that the layout's own text is more precise than
	// its delivery-status part (a provider that puts its wrapper code in
	// Status and the remote reply in the text): the status, reply code and
	// diagnostic it reads replace the DSN's instead of only filling gaps.
	authoritative bool
}

// detectors lists the layout detectors in the order they are tried: the
// sending MTAs' layouts, then those of mail providers and receivers, the
// generic text scanner last. The first one that finds recipients wins.
// There is no registration at run time: a new layout is one more entry in
// mtaDetectors or providerDetectors.
var detectors = concatDetectors(mtaDetectors, providerDetectors, []detector{
	{name: "text", detect: detectGeneric},
})

func concatDetectors(lists ...[]detector) []detector {
	var out []detector
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// decode finds the recipients of a failure, delay or delivery report. The
// DSN part, when there is one, gives the recipients and their fields; the
// text detectors add what the DSN lacks (the remote server's own code
// behind a generic X.0.0 status, an empty diagnostic), and give the
// recipients by themselves when there is no DSN.
func decode(m *message) []Recipient {
	var fromDSN []Recipient
	if m.dsn != nil {
		fromDSN = dsnRecipients(m.dsn)
	}
	var fromText []Recipient
	var by string
	var auth bool
	for _, d := range detectors {
		if m.canceled() {
			return nil
		}
		if rs := d.detect(m); len(rs) > 0 {
			fromText, by, auth = rs, d.name, d.authoritative
			break
		}
	}
	for i := range fromText {
		if fromText[i].DecodedBy == "" {
			fromText[i].DecodedBy = by
		}
	}
	if len(fromDSN) == 0 {
		return fromText
	}
	byAddr := make(map[string]int, len(fromText))
	for i := len(fromText) - 1; i >= 0; i-- {
		byAddr[strings.ToLower(fromText[i].Recipient)] = i
	}
	for i := range fromDSN {
		if t, ok := matchRecipient(fromText, byAddr, fromDSN[i].Recipient, len(fromDSN)); ok {
			if auth {
				overrideText(&fromDSN[i], t)
			}
			mergeText(&fromDSN[i], t)
		}
	}
	return fromDSN
}

// matchRecipient finds the text detector's entry for a DSN recipient: by
// address (byAddr maps each lower-cased address of rs to its first
// entry), or the only entry when both name one recipient.
func matchRecipient(rs []Recipient, byAddr map[string]int, addr string, n int) (Recipient, bool) {
	if i, ok := byAddr[strings.ToLower(addr)]; ok {
		return rs[i], true
	}
	if len(rs) == 1 && n == 1 {
		return rs[0], true
	}
	return Recipient{}, false
}

// overrideText puts what an authoritative detector read in place of the
// DSN's fields; mergeText then fills the rest.
func overrideText(r *Recipient, t Recipient) {
	if !t.Status.IsZero() {
		r.Status = t.Status
	}
	if t.ReplyCode != 0 {
		r.ReplyCode = t.ReplyCode
	}
	if t.Diagnostic != "" {
		r.Diagnostic = t.Diagnostic
	}
}

// hasReplyCode reports whether text carries an SMTP reply code.
func hasReplyCode(text string) bool {
	return firstReplyCode(enhancedcode.Find(text)) != 0
}

// mergeText completes a DSN recipient with what a text detector read.
func mergeText(r *Recipient, t Recipient) {
	if t.DecodedBy != "" && t.DecodedBy != "text" {
		r.DecodedBy = t.DecodedBy
	}
	// A DSN may name a pipe or a file as the final recipient; the text
	// names the address it was delivered for.
	if !isAddress(r.Recipient) && isAddress(t.Recipient) {
		r.Recipient = t.Recipient
	}
	if r.Diagnostic == "" || (len(enhancedcode.Find(r.Diagnostic)) == 0 && len(enhancedcode.Find(t.Diagnostic)) > 0) {
		if t.Diagnostic != "" {
			r.Diagnostic = t.Diagnostic
		}
	} else if d := unfoldLines([]string{r.Diagnostic}); len(t.Diagnostic) > len(d) && strings.HasPrefix(t.Diagnostic, d) {
		// The DSN kept only the first line of a multi-line reply.
		r.Diagnostic = t.Diagnostic
	} else if t.Diagnostic != d && equalWithoutSpace(t.Diagnostic, d) {
		// The DSN's field was folded inside a word ("Ma\n ximum").
		r.Diagnostic = t.Diagnostic
	}
	if r.ReplyCode == 0 && !hasReplyCode(r.Diagnostic) {
		// The reply code of the DSN's own diagnostic wins; finish reads it.
		r.ReplyCode = t.ReplyCode
	}
	if (r.Status.IsZero() || r.Status.Subject() == 0 && r.Status.Detail() == 0) && !t.Status.IsZero() {
		r.Status = t.Status
	}
	if r.Command == "" {
		r.Command = t.Command
	}
	if r.Command == "" {
		r.Command = commandOf(t.Diagnostic)
	}
	if r.RemoteMTA == "" {
		r.RemoteMTA = t.RemoteMTA
	}
	if r.Reason == "" {
		r.Reason, r.Evidence = t.Reason, t.Evidence
	}
}

// dsnRecipients turns the per-recipient blocks of a DSN into recipients.
func dsnRecipients(ds *deliveryStatus) []Recipient {
	reporting := hostOf(fieldOf(ds.Message, "Reporting-MTA"))
	// The report's own arrival date, parsed once, when a recipient gives
	// none of its own.
	arrival := lazyDate{text: fieldOf(ds.Message, "Arrival-Date")}
	out := make([]Recipient, 0, len(ds.Recipients))
	for _, fs := range ds.Recipients {
		r := Recipient{DecodedBy: "rfc3464", ReportingMTA: reporting}
		_, final := typedValue(fieldOf(fs, "Final-Recipient"))
		_, orig := typedValue(fieldOf(fs, "Original-Recipient"))
		r.Recipient = cleanAddress(final)
		r.OriginalRecipient = cleanAddress(orig)
		if r.Recipient == "" || !isAddress(r.Recipient) && isAddress(r.OriginalRecipient) {
			// No final recipient, or one in source-route or program form.
			r.Recipient = r.OriginalRecipient
		}
		if x := cleanAddress(fieldOf(fs, "X-Actual-Recipient")); x != "" && r.Recipient == "" {
			r.Recipient = x
		}
		r.Action = Action(strings.ToLower(firstWord(fieldOf(fs, "Action"))))
		if c, err := enhancedcode.Parse(firstWord(fieldOf(fs, "Status"))); err == nil {
			r.Status, r.ReportedStatus = c, c
		}
		r.DiagnosticType, r.Diagnostic = typedValue(fieldOf(fs, "Diagnostic-Code"))
		r.Diagnostic = unfoldReplyText(r.Diagnostic)
		r.RemoteMTA = hostOf(fieldOf(fs, "Remote-MTA"))
		if v := hostOf(fieldOf(fs, "Reporting-MTA")); v != "" {
			r.ReportingMTA = v
		}
		if t, err := mailDate(fieldOf(fs, "Last-Attempt-Date")); err == nil {
			r.LastAttempt = t
		}
		if a := fieldOf(fs, "Arrival-Date"); a != "" {
			if t, err := mailDate(a); err == nil {
				r.ArrivalDate = t
			}
		} else if t, ok := arrival.get(); ok {
			r.ArrivalDate = t
		}
		if c := fieldOf(fs, "X-Postfix-Command"); c != "" {
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
		t, err := mailDate(d.text)
		d.t, d.ok, d.read = t, err == nil, true
	}
	return d.t, d.ok
}

// withoutSpace returns s with all white space removed.
func withoutSpace(s string) string {
	return joinFields(s, "")
}

// equalWithoutSpace reports whether withoutSpace(a) == withoutSpace(b),
// without building either.
func equalWithoutSpace(a, b string) bool {
	i, j := 0, 0
	for {
		i = skipSpace(a, i)
		j = skipSpace(b, j)
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

// skipSpace returns the offset of the first byte at or after i that does
// not begin a white-space character.
func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// collapseSpace unfolds text onto one line with single spaces.
func collapseSpace(s string) string {
	return joinFields(s, " ")
}

// joinFields is strings.Join(strings.Fields(s), sep) for sep "" or " ",
// without building the list of fields: s itself is returned when it
// already has that form, as most diagnostics have.
func joinFields(s, sep string) string {
	if joined(s, sep) {
		return s
	}
	b := make([]byte, 0, len(s))
	inField := false
	for i := 0; i < len(s); {
		space, size := spaceAt(s, i)
		if space {
			inField = false
		} else {
			if !inField && len(b) > 0 {
				b = append(b, sep...)
			}
			b = append(b, s[i:i+size]...)
			inField = true
		}
		i += size
	}
	return string(b)
}

// joined reports whether s is its fields joined by sep: no white space
// at either end, and between fields exactly sep.
func joined(s, sep string) bool {
	prevSpace := true // the start of s counts as a separator
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case asciiSpace[c] != 0:
			if prevSpace || sep == "" || c != sep[0] {
				return false
			}
			prevSpace = true
		case spaceLead[c]:
			// A rune starts here (no continuation byte is a lead);
			// the bytes after it are continuation bytes, which no
			// white space starts with.
			if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
				return false
			}
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	return len(s) == 0 || !prevSpace
}

// spaceLead marks the first bytes of the UTF-8 forms of the non-ASCII
// white space runes (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000); see TestSpaceLead.
var spaceLead = [256]bool{0xc2: true, 0xe1: true, 0xe2: true, 0xe3: true}

// spaceAt reports whether the character at s[i] is white space, and its
// length in bytes.
func spaceAt(s string, i int) (space bool, size int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiSpace[c] != 0, 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r), size
}

var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// firstWord returns the first white-space separated word of s, or "".
func firstWord(s string) string {
	start := -1
	for i := 0; i < len(s); {
		space, size := spaceAt(s, i)
		switch {
		case space && start >= 0:
			return s[start:i]
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start < 0 {
		return ""
	}
	return s[start:]
}
