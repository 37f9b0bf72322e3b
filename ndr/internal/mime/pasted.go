package mime

import (
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Pasted returns the Message for bounce text given without a message
// header, as a user copies it out of a mail program: the text of an HTML
// view ("&lt;user@example.com&gt;: host ...<br>") is turned into plain
// text, and quote marks that begin every line of a quoted report ("> ")
// are taken off.
func Pasted(text string) *Message {
	body := text
	if looksLikeHTML(body) {
		body = htmlText(body)
	}
	body = pastedQuotedPrintable(body)
	body = narrowASCII(body)
	body = unquoteAll(body)
	body = joinWrappedAddresses(body)
	return &Message{Raw: text, Body: body, Pasted: true}
}

// pastedQPField is the field line of a part's header that a user who
// copied a message's source pasted with it, lower case.
const pastedQPField = "content-transfer-encoding: quoted-printable"

// pastedQuotedPrintable undoes the quoted-printable encoding of the text
// under a pasted "Content-Transfer-Encoding: quoted-printable" line (a
// message's source viewed in a mail program and copied): its soft line
// breaks split replies and addresses ("55=\n0 5.1.1", "<sup=\nport@...").
// The text before the field's block is kept as it is.
func pastedQuotedPrintable(body string) string {
	at := textutil.IndexLower(body, pastedQPField)
	if at < 0 {
		return body
	}
	k := strings.Index(body[at:], "\n\n")
	if k < 0 {
		return body
	}
	start := at + k + 2
	d, _ := decodeQuotedPrintable(body[start:])
	return body[:start] + d
}

// narrowASCII returns body with the full-width forms of the characters
// of codes and addresses (digits, Latin letters and @ . - _ + < >) as
// their ASCII counterparts, and an ideographic space (U+3000) between
// two of them as a space: a user who retyped a bounce with a Japanese
// input method writes "５５０　５．１．１" and "ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ",
// which the readers of codes and addresses take in ASCII only. Japanese
// punctuation, such as the full-width colon and parentheses, is kept.
// Body is copied only when it holds such a form.
func narrowASCII(body string) string {
	if !strings.ContainsFunc(body, isWideCode) {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	prev := rune(-1) // the last rune written, narrowed
	for i, r := range body {
		switch {
		case isWideCode(r):
			r = r - 0xff01 + '!'
		case r == '\u3000' && isCodeRune(prev):
			if next, _ := utf8.DecodeRuneInString(body[i+len("\u3000"):]); isWideCode(next) || isCodeRune(next) {
				r = ' '
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// isWideCode reports whether r is the full-width form of a character of
// codes and addresses (see narrowASCII).
func isWideCode(r rune) bool {
	return r >= '\uff01' && r <= '\uff5e' && isCodeRune(r-0xff01+'!')
}

// isCodeRune reports whether r is an ASCII character of codes and
// addresses: a digit, a Latin letter or one of @ . - _ + < >.
func isCodeRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("@.-_+<>", r)
}

// joinWrappedAddresses joins the addresses that a narrow window or a
// chat program broke across two lines when the text was copied: a line
// that ends inside an address's domain just after a hyphen (where word
// wrapping breaks and no domain ends), or just after the "@", goes on
// with the next line's first word ("<nakamura@shizuoka-" and
// "seimitsu.co.jp>: host ..."). Mail servers never break a line there;
// they break lines at spaces. A dot at the end of a line ends a
// sentence as often as a domain, and is left alone. Each line end is
// looked at once, back over its last word only.
func joinWrappedAddresses(body string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '\n' {
			continue
		}
		// The domain characters before the line break, back to an "@".
		k := i
		for k > 0 && isDomainByte(body[k-1]) {
			k--
		}
		if k == 0 || body[k-1] != '@' || k-1 == 0 || !isLocalByte(body[k-2]) {
			continue
		}
		if run := body[k:i]; run != "" && run[len(run)-1] != '-' {
			continue
		}
		// The next line's first word must go on with the domain.
		j := i + 1
		for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
			j++
		}
		if j >= len(body) || !isDomainByte(body[j]) || body[j] == '-' || body[j] == '.' {
			continue
		}
		b.WriteString(body[last:i])
		last = j
		i = j - 1
	}
	if last == 0 {
		return body
	}
	b.WriteString(body[last:])
	return b.String()
}

// isDomainByte reports whether c is a letter, a digit, a hyphen or a dot.
func isDomainByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// isLocalByte reports whether c may end the local part of an address.
func isLocalByte(c byte) bool {
	return isDomainByte(c) || c == '_' || c == '+' || c == '%'
}

// htmlSigns are texts that HTML source has and bounce text does not,
// lower case; each begins with '<' or '&'.
var htmlSigns = []string{"<br", "</", "<p>", "<p ", "<div", "<html", "<pre", "<span", "<table", "&lt;", "&gt;", "&nbsp;", "&amp;", "&quot;", "&#"}

// looksLikeHTML reports whether text is HTML source rather than plain
// text: it holds a tag or an entity of htmlSigns. The text is read once.
func looksLikeHTML(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c != '<' && c != '&' {
			continue
		}
		for _, s := range htmlSigns {
			if textutil.HasPrefixLower(text[i:], s) {
				return true
			}
		}
	}
	return false
}

// maxQuoteDepth bounds the quote levels unquoteAll takes off.
const maxQuoteDepth = 8

// unquoteAll takes one level of quote marks off text while every
// non-blank line of it begins with ">", up to maxQuoteDepth levels. A
// text with a line that is not quoted is returned as it is.
func unquoteAll(text string) string {
	for range maxQuoteDepth {
		if !allQuoted(text) {
			return text
		}
		var b strings.Builder
		b.Grow(len(text))
		for i, l := range strings.Split(text, "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			l = strings.TrimLeft(l, " \t")
			if strings.HasPrefix(l, ">") {
				l = strings.TrimPrefix(l[1:], " ")
			}
			b.WriteString(l)
		}
		text = b.String()
	}
	return text
}

// allQuoted reports whether every non-blank line of text begins, after
// blanks, with ">", and there is one such line.
func allQuoted(text string) bool {
	quoted := false
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimLeft(l, " \t")
		switch {
		case t == "":
		case t[0] == '>':
			quoted = true
		default:
			return false
		}
	}
	return quoted
}

// Forwarded returns the text after the line that ends m's bounce text,
// read as pasted text: a copy marker such as "-----Original Message-----"
// or "Begin forwarded message:" below a note that a user wrote above the
// bounce they forwarded, pasted or in the body of a message forwarded
// inline. It returns false when m has no such line, or is itself a
// report (a delivery status or disposition notification), whose text
// after the marker is the returned message.
func (m *Message) Forwarded() (*Message, bool) {
	if !m.Pasted && (m.DSN != nil || m.ReportType != "") {
		return nil, false
	}
	m.BounceText()
	if m.markEnd < 0 || m.markEnd >= len(m.Body) {
		return nil, false
	}
	rest := m.Body[m.markEnd+1:]
	return &Message{Raw: rest, Body: unquoteAll(rest), Pasted: true}, true
}

// Attached returns the message that m carries as a message/rfc822 or
// message/global part, read within limits: the bounce that a user
// forwarded as an attachment. It returns false when m is pasted text, is
// itself a report (a delivery status or disposition notification) or
// carries no such part, or when the part cannot be read as a message.
func (m *Message) Attached(limits Limits) (*Message, bool) {
	if m.Pasted || m.Enclosed == "" || m.DSN != nil || m.ReportType != "" {
		return nil, false
	}
	next, err := Walk(m.Enclosed, limits)
	if err != nil || next.Header == nil {
		return nil, false
	}
	return next, true
}
