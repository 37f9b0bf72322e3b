package mime

import (
	"strings"

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
	body = unquoteAll(body)
	return &Message{Raw: text, Body: body, Pasted: true}
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

// Forwarded returns, for pasted text, the text after the line that ends
// its bounce text: a copy marker such as "-----Original Message-----" or
// "Begin forwarded message:" below a note that a user wrote above the
// bounce they forwarded. It returns false when m is not pasted text or
// has no such line.
func (m *Message) Forwarded() (*Message, bool) {
	if !m.Pasted {
		return nil, false
	}
	m.BounceText()
	if m.markEnd < 0 || m.markEnd >= len(m.Body) {
		return nil, false
	}
	rest := m.Body[m.markEnd+1:]
	return &Message{Raw: rest, Body: unquoteAll(rest), Pasted: true}, true
}
