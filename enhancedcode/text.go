package enhancedcode

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// replyText returns the text of reply r, whose codes end at j, and the
// offset where it ends: the rest of the line, cut by unquote, without
// trailing white space (as strings.TrimSpace sees it). When a reply code
// ends its line and the next line is folded ("said: 452 4.2.2" and an
// indented "Mailbox full ..."), the text is that next line. A reply's
// text is at most maxQuoted bytes (cut at a character's start), so that
// a line of many replies costs time in proportion to its length.
func replyText(s string, r Reply, j int, lines *lineEnds) (string, int) {
	eol := textEnd(s, j, lines.after(j))
	t := strings.TrimRightFunc(unquote(s, r.Start, s[j:eol]), unicode.IsSpace)
	if r.Code != 0 && strings.TrimSpace(t) == "" {
		if k := afterFold(s, eol); k >= 0 {
			n := strings.TrimRightFunc(unquote(s, r.Start, s[k:textEnd(s, k, lines.after(k))]), unicode.IsSpace)
			if n != "" {
				return n, k + len(n)
			}
		}
	}
	return t, j + len(t)
}

// maxQuoted is how far into a line unquote looks for the end of a
// quotation, which bounds the work for a long line with many replies.
// It is well over the 512 bytes that RFC 5321 allows for a reply line.
const maxQuoted int = 4096

// unquote cuts a reply's text at the end of the quotation or bracket
// that the reply began inside: '554 Transaction failed' gives
// "Transaction failed", "(reason: 550 Host unknown)" gives "Host
// unknown", Exchange's "#550 5.1.1 ... ##" drops the closing "##" and
// qmail's "(#5.1.1)" drops the closing parenthesis.
func unquote(s string, start int, t string) string {
	at := openerBefore(s, start)
	if at < 0 {
		return t
	}
	var closer byte
	switch open := s[at]; open {
	case '\'', '"':
		if k := strings.LastIndexByte(t[:min(len(t), maxQuoted)], open); k >= 0 {
			return t[:k]
		}
		return t
	case '#':
		// qmail's "(#5.1.1)": the parenthesis closes it; Exchange's
		// "#550 5.1.1 ... ##" ends at "##".
		if at > 0 && s[at-1] == '(' {
			return unquote(s, at, t)
		}
		if k := strings.Index(t[:min(len(t), maxQuoted)], "##"); k >= 0 {
			return t[:k]
		}
		return unquote(s, at, t)
	case '<':
		closer = '>'
	case '(':
		closer = ')'
	case '[':
		closer = ']'
	}
	open := s[at]
	depth := 0
	for k := 0; k < len(t) && k < maxQuoted; k++ {
		switch t[k] {
		case open:
			depth++
		case closer:
			if depth == 0 {
				return t[:k]
			}
			depth--
		}
	}
	return t
}

// openerBefore returns the offset of the quote, bracket or '#' that a
// reply starting at start begins inside, or -1: the byte just before
// the reply, or an opener a few words back on the same line with only
// letters, blanks, colons and semicolons between ("(reason: 550",
// "'smtp; 550").
func openerBefore(s string, start int) int {
	const maxBack int = 40
	for k := start - 1; k >= 0 && start-k <= maxBack; k-- {
		switch b := s[k]; {
		case b == '\'' || b == '"' || b == '<' || b == '(' || b == '[':
			return k
		case b == '#':
			if k == start-1 {
				return k
			}
			return -1
		case !isLetter(b) && b != ' ' && b != '\t' && b != ':' && b != ';':
			return -1
		}
	}
	return -1
}

// textEnd returns eol, the end of the line that a reply's text starting
// at j runs to, or j+maxQuoted moved back to the start of a character
// when the line is longer.
func textEnd(s string, j, eol int) int {
	if eol-j <= maxQuoted {
		return eol
	}
	k := j + maxQuoted
	for k > j && !utf8.RuneStart(s[k]) {
		k--
	}
	return k
}
