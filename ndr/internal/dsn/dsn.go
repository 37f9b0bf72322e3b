package dsn

import (
	"errors"
	"iter"
	"net/mail"
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// DeliveryStatus is the content of message/delivery-status parts: the
// per-message fields and one block of fields per recipient.
type DeliveryStatus struct {
	Message    []record.Field
	Recipients [][]record.Field
}

// Parse reads the blocks of a delivery-status body (RFC
// 3464, section 2.1). It is lenient: a block that names a recipient is a
// per-recipient block wherever it stands, and other blocks add to the
// per-message fields. global says the body is message/global-delivery-status
// (RFC 6533), whose addresses may be UTF-8 or carry \x{HHHH} escapes.
//
// Control bytes in the body are dropped first (see CountControls), so
// that a NUL after an address or between two blocks breaks neither.
func Parse(body string, global bool) *DeliveryStatus {
	ds := &DeliveryStatus{}
	for _, block := range splitBlocks(DropControls(body)) {
		fs := ParseFields(block)
		if len(fs) == 0 {
			continue
		}
		for i := range fs {
			// The ASCII form of a UTF-8 address (utf-8-addr-xtext, RFC
			// 6533, section 3) may stand in a message/delivery-status
			// part as well, whose writer could not send UTF-8.
			if global || textutil.EqualFold(fs[i].Name, "Final-Recipient") || textutil.EqualFold(fs[i].Name, "Original-Recipient") {
				fs[i].Value = mailaddr.UnescapeUTF8Addr(fs[i].Value)
			}
		}
		if FieldOf(fs, "Final-Recipient") != "" || FieldOf(fs, "Original-Recipient") != "" {
			ds.Recipients = append(ds.Recipients, recipientGroups(fs)...)
		} else {
			ds.Message = append(ds.Message, fs...)
		}
	}
	return ds
}

// recipientGroups splits the fields of one block into the groups of
// their recipients: a writer that leaves out the blank line between two
// recipients' fields (RFC 3464, section 2.1, asks for it) still names
// each with its own Final-Recipient. A group begins at a Final-Recipient
// field when the group before it is whole, with a Final-Recipient and an
// Action or Status field, or at the Original-Recipient field right
// before it. Final-Recipient fields in a row with nothing of their own
// stay one group, as before.
func recipientGroups(fs []record.Field) [][]record.Field {
	var out [][]record.Field
	start, final, whole := 0, false, false
	for i, f := range fs {
		switch {
		case strings.EqualFold(f.Name, "Action"), strings.EqualFold(f.Name, "Status"):
			whole = true
			continue
		case !strings.EqualFold(f.Name, "Final-Recipient"):
			continue
		}
		if final && whole {
			at := i
			if at-1 > start && strings.EqualFold(fs[at-1].Name, "Original-Recipient") {
				at--
			}
			out = append(out, fs[start:at:at])
			start, whole = at, false
		}
		final = true
	}
	return append(out, fs[start:])
}

// splitBlocks splits text at blank lines. A line of only white space
// inside a block, followed by a folded line, is no blank line: it
// continues the field before it (RFC 5322, section 4.2, allows such
// lines in a folded field), as in a Diagnostic-Code whose reply had an
// empty line.
func splitBlocks(text string) []string {
	var blocks []string
	start, end := -1, -1 // the current block, text[start:end]
	for off := 0; off <= len(text); {
		line, rest, found := strings.Cut(text[off:], "\n")
		if strings.TrimSpace(line) == "" && !(start >= 0 && line != "" && line != "\r" && folded(rest)) {
			if start >= 0 {
				blocks = append(blocks, text[start:end])
				start = -1
			}
		} else {
			if start < 0 {
				start = off
			}
			end = off + len(line)
		}
		if !found {
			break
		}
		off = len(text) - len(rest)
	}
	if start >= 0 {
		blocks = append(blocks, text[start:end])
	}
	return blocks
}

// folded reports whether text begins with a folded line: white space,
// then more than white space on that line.
func folded(text string) bool {
	if text == "" || text[0] != ' ' && text[0] != '\t' {
		return false
	}
	line, _, _ := strings.Cut(text, "\n")
	return strings.TrimSpace(line) != ""
}

// ParseFields reads "Name: value" lines with folded continuation lines.
// A line that is neither continues the previous field. White space
// before the colon is allowed (see IsFieldLine), and control bytes are
// dropped (see CountControls).
func ParseFields(text string) []record.Field {
	text = DropControls(text)
	fs := make([]record.Field, 0, strings.Count(text, "\n")+1)
	// cont collects the value of the last field while continuation
	// lines follow it, so that many of them cost no more than their
	// length.
	var cont strings.Builder
	active := false
	flush := func() {
		if active {
			fs[len(fs)-1].Value = cont.String()
			cont.Reset()
			active = false
		}
	}
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' || !IsFieldLine(line) {
			if n := len(fs); n > 0 {
				if !active {
					cont.WriteString(fs[n-1].Value)
					active = true
				}
				if cont.Len() > 0 {
					cont.WriteByte(' ')
				}
				cont.WriteString(strings.TrimSpace(line))
			}
			continue
		}
		flush()
		colon := strings.IndexByte(line, ':')
		fs = append(fs, record.Field{Name: strings.TrimRight(line[:colon], " \t"), Value: strings.TrimSpace(line[colon+1:])})
	}
	flush()
	if len(fs) == 0 {
		return nil
	}
	return fs
}

// IsFieldLine reports whether line starts with a field name and a colon.
// White space between the name and the colon is allowed, as RFC 5322
// allows it in obsolete syntax (section 4.5.3, obs-optional) and RFC
// 3464 fields follow that syntax ("Final-Recipient :rfc822;...").
func IsFieldLine(line string) bool {
	colon := strings.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	name := strings.TrimRight(line[:colon], " \t")
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// isJunkControl reports whether c is a C0 control byte that has no place
// in field text: all but tab, line feed and escape, which shifts
// ISO-2022-JP text in and out of its two-byte set.
func isJunkControl(c byte) bool {
	return c < ' ' && c != '\t' && c != '\n' && c != 0x1b
}

// CountControls returns the number of control bytes in s that Parse and
// ParseFields drop: C0 control bytes other than tab, line feed and
// escape, such as the NUL bytes that broken or hostile reports put after
// an address or a field value.
func CountControls(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isJunkControl(s[i]) {
			n++
		}
	}
	return n
}

// DropControls returns s without the control bytes that CountControls
// counts; s itself when it has none.
func DropControls(s string) string {
	return cleanControls(s, false)
}

// CleanText returns s for a diagnostic: without the control bytes that
// CountControls counts, except carriage return, vertical tab and form
// feed, which part words and become spaces; s itself when it has none.
func CleanText(s string) string {
	return cleanControls(s, true)
}

// cleanControls drops from s the control bytes that CountControls
// counts, or, when spaces is true, turns carriage returns, vertical tabs
// and form feeds among them into spaces; s itself when it has none.
func cleanControls(s string, spaces bool) string {
	i := 0
	for i < len(s) && !isJunkControl(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case !isJunkControl(c):
			b = append(b, c)
		case spaces && (c == '\r' || c == '\v' || c == '\f'):
			b = append(b, ' ')
		}
	}
	return string(b)
}

// CleanTextCut returns CleanText of s cut to at most limit bytes, reading
// no more than 2*limit bytes of s, so that its cost is bounded by limit
// however long s is. The cut falls where the cleaned text is cut when s
// has fewer than limit control bytes in the bytes read.
func CleanTextCut(s string, limit int) string {
	d := CleanText(s[:min(len(s), 2*limit)])
	return d[:min(len(d), limit)]
}

// FieldOf returns the first field named name, or "".
func FieldOf(fs []record.Field, name string) string {
	for _, f := range fs {
		if textutil.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// TypedValue splits an RFC 3464 typed value such as "rfc822; a@b" or
// "smtp; 550 ..." into its type (lower case) and value. White space may
// stand on either side of the semicolon ("rfc822 ; a@b"), but not inside
// the type.
func TypedValue(v string) (typ, val string) {
	if k := strings.IndexByte(v, ';'); k > 0 {
		if t := strings.TrimSpace(v[:k]); t != "" && !strings.ContainsAny(t, " \t<@\"") {
			return strings.ToLower(t), strings.TrimSpace(v[k+1:])
		}
	}
	return "", strings.TrimSpace(v)
}

var (
	errNoDate  = errors.New("no date")
	errBadDate = errors.New("unreadable date")
)

// commonDate parses "Mon, 2 Jan 2006 15:04:05 -0700", optionally
// followed by a comment such as "(JST)", the form nearly every mail
// system writes. It reports false for anything else.
func commonDate(s string) (time.Time, bool) {
	if k := strings.IndexByte(s, '('); k > 0 {
		s = strings.TrimSpace(s[:k])
	}
	// Cheap shape test first: "Ddd, " and a numeric zone, or a zone name
	// of three letters, at the end.
	if len(s) < 26 || s[3] != ',' {
		return time.Time{}, false
	}
	layout := "Mon, _2 Jan 2006 15:04:05 -0700"
	switch z := s[len(s)-4:]; {
	case s[len(s)-5] == '+' || s[len(s)-5] == '-':
	case z[0] == ' ' && textutil.IsUpper(z[1]) && textutil.IsUpper(z[2]) && textutil.IsUpper(z[3]):
		layout = "Mon, _2 Jan 2006 15:04:05 MST"
	default:
		return time.Time{}, false
	}
	t, err := time.Parse(layout, textutil.CollapseSpace(s))
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// MailDate parses an RFC 5322 date, tolerating common deviations.
func MailDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errNoDate
	}
	// The common form, with or without a trailing zone comment, parses
	// without the error allocations of the general parser's fallbacks.
	if t, ok := commonDate(s); ok {
		return t, nil
	}
	if !strings.ContainsFunc(s, textutil.IsASCIILetter) {
		// Every form read below names the month ("Jan") or has the
		// "T" of RFC 3339; without a letter, all of them would fail,
		// each with an error of its own.
		return time.Time{}, errBadDate
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t, nil
	}
	// Drop a trailing comment such as "(JST)" or "(GMT+09:00)".
	if k := strings.IndexByte(s, '('); k > 0 {
		if t, err := mail.ParseDate(strings.TrimSpace(s[:k])); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{
		"Mon, 2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 2006 15:04:05 -0700 MST",
		"2 Jan 2006 15:04:05 -0700",
		"Mon Jan 2 15:04:05 2006",
		"Mon, 2 Jan 2006 15:04 -0700",
		time.RFC3339,
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return mail.ParseDate(s)
}

// RetryUntilLines yields, from text that holds a DSN's fields as plain
// lines (a pasted delay notice), the value of each Final-Recipient field
// and of the Will-Retry-Until field that follows it in its group (no
// blank line between), at most limit pairs. It reads each line once and
// keeps nothing but the last Final-Recipient.
func RetryUntilLines(text string, limit int) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		final := ""
		n := 0
		for start := 0; start < len(text) && n < limit; {
			end := textutil.LineEnd(text, start)
			line := strings.TrimSpace(text[start:end])
			start = end + 1
			name, value, ok := strings.Cut(line, ":")
			switch {
			case line == "":
				final = ""
			case !ok:
			case textutil.EqualFold(name, "Final-Recipient"):
				final = strings.TrimSpace(value)
			case textutil.EqualFold(name, "Will-Retry-Until") && final != "":
				n++
				if !yield(final, strings.TrimSpace(value)) {
					return
				}
				final = ""
			}
		}
	}
}
