package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// The parts of a Sendmail report that detectSendmail gathers: what each
// recipient's line says, the failure replies of the SMTP transcript, and
// the names in angle brackets that tie a reply to a recipient.

// sendmailRcpt collects what the report says about one recipient.
type sendmailRcpt struct {
	addr     string
	alias    string   // the address it was expanded from, when that is another
	reason   []string // the pieces of the "(reason: ...)" text
	reply    string   // the remote reply the transcript gives for it
	line     string   // Sendmail's own verdict line, after the text before it
	verdict  string   // the verdict line alone
	command  string
	host     string
	action   record.Action
	deferred bool
}

// sendmailBlock is one failure reply of the transcript, with the command
// and host it answered.
type sendmailBlock struct {
	text, command, host string
	lines               []string // the reply's lines, unfolded into text
}

// replyNaming returns the first of blocks that names addr in angle
// brackets, and whether there is one; names maps each name in brackets
// to the first block that holds it (blockNames).
func replyNaming(blocks []sendmailBlock, names map[string]int, addr string) (sendmailBlock, bool) {
	if i, ok := names[strings.ToLower(addr)]; ok {
		return blocks[i], true
	}
	return sendmailBlock{}, false
}

// blockNames maps the names of the blocks, lower-cased, to the first
// block that has each: a block that answers a RCPT command has the
// command's address as its only name, since the reply is about that
// recipient whatever else it names; any other block has the names in
// angle brackets in its text.
func blockNames(blocks []sendmailBlock) map[string]int {
	names := map[string]int{}
	add := func(n string, i int) {
		if _, ok := names[n]; !ok {
			names[n] = i
		}
	}
	for i, b := range blocks {
		if a := rcptAddress(b.command); a != "" {
			add(strings.ToLower(a), i)
			continue
		}
		for n := range bracketNames(b.text) {
			add(n, i)
		}
	}
	return names
}

// bracketNames returns the texts between "<" and ">" in s, lower-cased:
// s contains "<x>" for a lower-case x without brackets exactly when x is
// one of them.
func bracketNames(s string) map[string]bool {
	out := map[string]bool{}
	open := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			open = i
		case '>':
			if open >= 0 {
				out[strings.ToLower(s[open+1:i])] = true
				open = -1
			}
		}
	}
	return out
}

// appendPiece adds a non-empty piece of text to pieces that are later
// joined with single spaces.
func appendPiece(pieces []string, p string) []string {
	if p == "" {
		return pieces
	}
	return append(pieces, p)
}
