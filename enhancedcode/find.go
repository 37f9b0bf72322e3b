package enhancedcode

import (
	"iter"
	"strings"
)

// Reply is one SMTP reply found in free text: a reply code, an enhanced
// status code, or both, with the text that follows them.
type Reply struct {
	// Code is the three-digit SMTP reply code, or 0 when the text gives
	// only an enhanced status code.
	Code int
	// Enhanced is the enhanced status code, or the zero Code when the
	// text gives only a reply code.
	Enhanced Code
	// Text is the reply text after the codes, up to the end of the line
	// or up to the closing quote or bracket of a reply that began inside
	// one. The lines of a multi-line reply (550-5.1.1 ... 550 5.1.1 ...)
	// are joined with single spaces, without their repeated codes. Text
	// never contains a line break.
	Text string
	// Start and End are the byte offsets of the whole reply, codes
	// included, in the text given to Find: Start is at the first digit
	// of the first code and End just after the last byte of the reply's
	// text (or of its codes, when it has no text). A closing quote or
	// bracket is not part of the reply.
	Start, End int
}

// Temporary reports whether the reply is a transient failure: a 4.X.X
// enhanced code, or a 4XX reply code when there is no enhanced code.
func (r Reply) Temporary() bool {
	if !r.Enhanced.IsZero() {
		return r.Enhanced.Temporary()
	}
	return r.Code/100 == 4
}

// Permanent reports whether the reply is a permanent failure: a 5.X.X
// enhanced code, or a 5XX reply code when there is no enhanced code.
func (r Reply) Permanent() bool {
	if !r.Enhanced.IsZero() {
		return r.Enhanced.Permanent()
	}
	return r.Code/100 == 5
}

// Find returns every SMTP reply in text, in order of their start: a
// reply code with an enhanced status code ("550 5.1.1 ..."), an enhanced
// status code alone ("Status: 5.1.1", "#5.1.1"), and a reply code alone
// ("554 Transaction failed"). A multi-line reply, whether its lines are
// still on separate lines, folded like a header field or unfolded onto
// one line, is returned as one Reply. A reply quoted inside another reply's text is returned as a
// Reply of its own as well, so replies may overlap.
//
// Dotted numbers with more than three parts, such as IP addresses, are
// not taken for codes. A reply code alone needs more evidence than a
// three-digit number: it must stand at the start of a line, after a
// quote or bracket, after punctuation such as "said:" or "smtp;", or
// continue a multi-line reply, and it must be followed by text that is
// not a unit ("250 KB", "450 seconds").
func Find(text string) []Reply {
	// Counting first costs a second pass over the text but no memory
	// (the replies' texts are not joined for it), and the slice then
	// takes exactly the room its replies need.
	n := 0
	for range replies(text, false) {
		n++
	}
	if n == 0 {
		return nil
	}
	out := make([]Reply, 0, n)
	for r := range Replies(text) {
		out = append(out, r)
	}
	return out
}

// Replies yields the replies that Find returns, in the same order, one at
// a time: a caller that needs only some of them, such as the first
// failure, keeps no slice of them all.
func Replies(text string) iter.Seq[Reply] {
	return replies(text, true)
}

// replies is Replies; without texts, the replies it yields have no Text,
// which saves joining the pieces of multi-line replies.
func replies(text string, texts bool) iter.Seq[Reply] {
	return func(yield func(Reply) bool) {
		// The last reply, which the next one may continue (when have is
		// set), the pieces of its text, where its last piece starts,
		// and whether that piece announced a continuation with "-".
		var prev Reply
		have := false
		var pieces []string
		var segStart int
		var open bool
		// bodyAt is where the text of the last piece starts in text.
		var bodyAt int
		lines := lineEnds{s: text}
		for i := 0; i < len(text); {
			if !isDigit(text[i]) {
				// Every code starts with a digit (see scanAt).
				i++
				continue
			}
			cont := 0
			if open {
				cont = prev.Code
			}
			r, ok := scanAt(text, i, cont)
			if !ok {
				i++
				continue
			}
			codesEnd := r.End
			i = codesEnd
			body, textEnd := replyText(text, r, codesEnd, &lines)
			if body == "" {
				// No text: the reply ends with its codes, not with the
				// separator after a bare reply code.
				for textEnd > r.Start+3 && (text[textEnd-1] == ' ' || text[textEnd-1] == '\t' || text[textEnd-1] == '-' ||
					text[textEnd-1] == '\r' || text[textEnd-1] == '\n') {
					textEnd--
				}
			}
			if trailing, onLine := trailingStatus(text, prev, pieces, bodyAt, r); have && trailing {
				// qmail's convention, which MessageLabs and others
				// follow: the enhanced status after the text, in
				// "(#5.7.1)", belongs to the reply it ends.
				if onLine {
					pieces[len(pieces)-1] = text[bodyAt : r.Start-2]
				}
				prev.Enhanced = r.Enhanced
				prev.End = r.End
				if r.End < len(text) && text[r.End] == ')' && !blankPieces(pieces) {
					// The span ends with the text's closing
					// parenthesis; a reply with no other text ends
					// with its codes.
					prev.End++
				}
				open = false
				continue
			}
			switch continues(text, prev, have && open, r) {
			case newReply:
				if have {
					// A reply of several pieces ends its text where
					// this one starts on the same line: its joined
					// text is a copy, and copies that overlap the
					// replies after them would cost more than the
					// text.
					if last := len(pieces) - 1; last > 0 && bodyAt <= r.Start && r.Start < bodyAt+len(pieces[last]) {
						pieces[last] = text[bodyAt:r.Start]
						// Its span ends with its text, before this one.
						e := bodyAt + len(strings.TrimRight(pieces[last], " \t"))
						for e > prev.Start+3 && (text[e-1] == ' ' || text[e-1] == '\t') {
							e--
						}
						prev.End = min(prev.End, e)
					}
					if texts {
						prev.Text = joinPieces(pieces)
					}
					if !yield(prev) {
						return
					}
				}
				r.End = textEnd
				prev, have = r, true
				pieces = append(pieces[:0], body)
			case sameLine:
				// Unfolded onto the line of the previous piece: that
				// piece ran up to here, and this one ends where it did
				// unless its codes were folded onto the next line.
				pieces[len(pieces)-1] = text[segStart:r.Start]
				if codesEnd < prev.End && prev.End < textEnd {
					textEnd = prev.End
					body = text[codesEnd:textEnd]
				}
				pieces = append(pieces, body)
				prev.End = textEnd
			case nextLine:
				pieces = append(pieces, body)
				prev.End = textEnd
			case foldedLine:
				// The previous piece's text went on over folded lines.
				pieces = append(pieces, Unfold(text[prev.End:r.Start]), body)
				prev.End = textEnd
			}
			segStart = codesEnd
			bodyAt = textEnd - len(body)
			open = r.Code != 0 && text[r.Start+3] == '-'
		}
		if have {
			if texts {
				prev.Text = joinPieces(pieces)
			}
			yield(prev)
		}
	}
}

// trailingStatus reports whether r, an enhanced status without a reply
// code, stands in "(#x.y.z)" right after the text of prev, a reply with
// a reply code and no enhanced status: inside the last piece of its text
// (onLine), or after only white space. pieces and bodyAt are prev's
// pieces and where its last piece starts in text.
func trailingStatus(text string, prev Reply, pieces []string, bodyAt int, r Reply) (trailing, onLine bool) {
	if r.Code != 0 || prev.Code == 0 || !prev.Enhanced.IsZero() || r.Start < 2 || text[r.Start-2:r.Start] != "(#" {
		return false, false
	}
	open := r.Start - 2
	if last := len(pieces) - 1; last >= 0 && bodyAt <= open && open <= bodyAt+len(pieces[last]) {
		return true, true
	}
	return prev.End <= open && strings.TrimSpace(text[prev.End:open]) == "", false
}

// blankPieces reports whether every piece of a reply's text is blank.
func blankPieces(pieces []string) bool {
	for _, p := range pieces {
		if strings.TrimSpace(p) != "" {
			return false
		}
	}
	return true
}

// joinPieces joins the pieces of a reply's text with single spaces,
// trimming each and leaving out empty ones.
func joinPieces(pieces []string) string {
	if len(pieces) == 1 {
		return strings.TrimSpace(pieces[0])
	}
	var b strings.Builder
	for _, p := range pieces {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if strings.ContainsAny(p, "\r\n") {
			// A piece that ran over a line break the gap before the
			// next code did not fold ("200-\"\n !200"): the text
			// stays on one line.
			p = strings.Join(strings.Fields(p), " ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// lineEnds finds line ends in s and remembers the last line it found,
// so that many replies on one long line do not each scan it again.
type lineEnds struct {
	s      string
	lo, hi int // s[lo:hi] has no line break; hi is a line break or len(s)
}

// after returns the offset of the first line break at or after j, or
// len(s).
func (l *lineEnds) after(j int) int {
	if l.lo <= j && j <= l.hi && l.hi > 0 {
		return l.hi
	}
	k := strings.IndexAny(l.s[j:], "\r\n")
	if k < 0 {
		k = len(l.s) - j
	}
	l.lo, l.hi = j, j+k
	return l.hi
}

// continuation tells how a reply relates to the reply before it.
type continuation int

// The ways a reply can follow the one before it.
const (
	// newReply: the reply starts a reply of its own.
	newReply continuation = 0
	// sameLine: it continues a multi-line reply that was unfolded onto
	// one line, on the line of the previous piece.
	sameLine continuation = 1
	// nextLine: it continues a multi-line reply on a later line, with
	// only white space (and transcript marks such as "<<<") between.
	nextLine continuation = 2
	// foldedLine: it continues a multi-line reply whose previous piece
	// went on over folded lines, as in a folded Diagnostic-Code field.
	foldedLine continuation = 3
)

// continues decides whether r, just found in text, continues prev, the
// last reply found. open tells whether there is one and its last piece
// announced more with "-" after its reply code.
func continues(text string, prev Reply, open bool, r Reply) continuation {
	if !open || !sameReply(prev, r) {
		return newReply
	}
	if r.Start < prev.End {
		return sameLine
	}
	gap := text[prev.End:r.Start]
	switch {
	case strings.TrimSpace(gap) == "":
		return nextLine
	case strings.ContainsAny(gap, "\r\n") && strings.Trim(gap, " \t\r\n<>") == "":
		return nextLine
	case foldedGap(gap):
		return foldedLine
	}
	return newReply
}

// foldedGap reports whether gap, the text between the end of one piece
// of a reply and the codes of the next, is the rest of the first piece
// folded onto indented lines: it starts at a line end, every line break
// in it is followed by a space or tab, and no line but the last is
// blank.
func foldedGap(gap string) bool {
	g := strings.TrimLeft(gap, " \t")
	if g == "" || g[0] != '\r' && g[0] != '\n' {
		return false
	}
	for g != "" {
		k := afterFold(g, 0)
		if k < 0 {
			return false
		}
		g = g[k:]
		line := g
		if e := strings.IndexAny(g, "\r\n"); e >= 0 {
			line = g[:e]
			if strings.TrimSpace(line) == "" {
				return false
			}
		}
		g = g[len(line):]
	}
	return true
}

// sameReply reports whether r repeats the codes of prev, as the lines of
// one multi-line reply do.
func sameReply(prev, r Reply) bool {
	if prev.Code == 0 || prev.Code != r.Code {
		return false
	}
	return prev.Enhanced.IsZero() || r.Enhanced.IsZero() || prev.Enhanced == r.Enhanced
}

// Unfold joins folded lines: every line break (CRLF, LF or CR) that is
// followed by spaces or tabs becomes a single space, together with the
// white space around it. Header fields such as Diagnostic-Code are
// folded this way (RFC 5322, section 2.2.3), and so are the wrapped
// reports of Postfix and other MTAs. Find reads a reply's text up to
// the end of its line, so unfold such text before calling Find when the
// whole reply text is wanted; offsets then refer to the unfolded text.
func Unfold(text string) string {
	if !strings.ContainsAny(text, "\r\n") {
		return text
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); {
		if k := afterFold(text, i); k >= 0 {
			for len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == '\t') {
				out = out[:len(out)-1]
			}
			out = append(out, ' ')
			i = k
			continue
		}
		out = append(out, text[i])
		i++
	}
	return string(out)
}
