package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// ignoredLocalParts are mailbox names of mail systems, which bounce text
// names without being the failed recipient.
var ignoredLocalParts = map[string]bool{
	"postmaster": true, "mailer-daemon": true, "mailerdaemon": true, "abuse": true,
	"hostmaster": true, "noreply": true, "no-reply": true, "root": true, "double-bounce": true,
}

// skipAddress reports whether an address found in bounce text is not a
// recipient: a mail system mailbox or the report's own sender.
func skipAddress(addr string, m *mime.Message) bool {
	local, domain, _ := strings.Cut(strings.ToLower(addr), "@")
	if ignoredLocalParts[local] {
		return true
	}
	if domain == "" || strings.HasSuffix(domain, ".png") || strings.HasSuffix(domain, ".gif") {
		return true
	}
	if f := mailaddr.CleanAddress(m.From); f != "" && strings.EqualFold(f, addr) {
		return true
	}
	return false
}

// detectGeneric is the fallback for layouts no other detector knows: it
// takes the addresses named in the bounce text (or in X-Failed-Recipients)
// and, for each, the reply that follows it.
//
// It reads at most maxAddresses address mentions (0: all); cut says
// that it stopped there.
func detectGeneric(m *mime.Message, maxAddresses int, out *found) (cut bool) {
	text := m.BounceText()
	var addrs []string
	seen := map[string]bool{}
	add := func(a string) {
		a = mailaddr.CleanAddress(a)
		k := strings.ToLower(a)
		if a == "" || seen[k] || !strings.Contains(a, "@") {
			return
		}
		seen[k] = true
		addrs = append(addrs, a)
	}
	for a := range strings.SplitSeq(m.Get("X-Failed-Recipients"), ",") {
		add(a)
	}
	// An address inside a server's reply ("553 5.7.1 <me@example.org>:
	// Sender address rejected") is part of the diagnostic, not a failed
	// recipient, unless no address stands outside a reply.
	replies := enhancedcode.Find(text)
	var quoted []string
	// mentions are the places of the addresses in the text, in order;
	// the segment of each recipient runs from its first mention to the
	// next mention of another recipient.
	var mentions []mention
	inReply := replyCursor{replies: replies}
	n := 0
	for loc := range mailaddr.AddressesIn(text) {
		if n++; maxAddresses > 0 && n > maxAddresses {
			cut = true
			break
		}
		a := text[loc[0]:loc[1]]
		if skipAddress(a, m) || inURL(text, loc[0]) || helpContact(text, loc[0], loc[1]) {
			continue
		}
		mentions = append(mentions, mention{loc[0], loc[1]})
		if inReply.covers(loc[0]) {
			quoted = append(quoted, a)
			continue
		}
		add(a)
	}
	if len(addrs) == 0 {
		for _, a := range quoted {
			add(a)
		}
	}
	if len(addrs) == 0 {
		return cut
	}
	segs := segments(text, addrs, mentions)
	var whole *string
	for i, a := range addrs {
		if !out.keeps(a) {
			out.add(record.Recipient{Recipient: a})
			continue
		}
		seg := segs[i]
		diag := strings.TrimLeft(strings.TrimPrefix(diagnosticIn(seg), a), " >:,;")
		if diag == "" {
			if whole == nil {
				d := diagnosticFrom(text, replies)
				whole = &d
			}
			diag = *whole
		}
		if diag == "" {
			diag = textutil.CollapseSpace(strings.ReplaceAll(seg, a, ""))
			diag = strings.Trim(diag, " :<>-")
		}
		out.add(record.Recipient{Recipient: a, Diagnostic: diag})
	}
	return cut
}

// replyCursor answers whether an offset lies inside a reply, for offsets
// given in increasing order, walking the replies once.
type replyCursor struct {
	replies []enhancedcode.Reply
	next    int // the replies before next start before the last offset
	maxEnd  int // the furthest end of those replies that carry a code
}

// covers reports whether offset i lies in the text of a reply, after its
// codes. Offsets must not decrease from call to call.
func (c *replyCursor) covers(i int) bool {
	for c.next < len(c.replies) && c.replies[c.next].Start < i {
		if r := c.replies[c.next]; r.Code != 0 || !r.Enhanced.IsZero() {
			c.maxEnd = max(c.maxEnd, r.End)
		}
		c.next++
	}
	return c.maxEnd > i
}

// A mention is the place of an address in a text.
type mention struct{ start, end int }

// segments returns, for each address, the text from its first mention to
// the next mention of a different address of addrs (the end of the text
// when none follows), or "" when the text does not mention it. Addresses
// compare without regard to ASCII case. The work is linear in the number
// of mentions and the length of the segments.
func segments(text string, addrs []string, mentions []mention) []string {
	index := make(map[string]int, len(addrs))
	for i, a := range addrs {
		index[literal.LowerASCII(a)] = i
	}
	first := make([]int, len(addrs))
	for i := range first {
		first[i] = -1
	}
	var ks []int  // the mentions of recipients, in order
	var who []int // their addresses
	for k, mt := range mentions {
		i, ok := index[literal.LowerASCII(mailaddr.CleanAddress(text[mt.start:mt.end]))]
		if !ok {
			continue
		}
		if first[i] < 0 {
			first[i] = len(ks)
		}
		ks = append(ks, k)
		who = append(who, i)
	}
	// nextOther[j] is the first recipient mention after j that names a
	// different address, len(ks) when there is none.
	nextOther := make([]int, len(ks))
	for j := len(ks) - 1; j >= 0; j-- {
		switch {
		case j == len(ks)-1:
			nextOther[j] = len(ks)
		case who[j+1] != who[j]:
			nextOther[j] = j + 1
		default:
			nextOther[j] = nextOther[j+1]
		}
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		j := first[i]
		if j < 0 {
			// Named only outside the text (X-Failed-Recipients).
			if k := textutil.IndexFold(text, a); k >= 0 {
				out[i] = text[k:]
			}
			continue
		}
		start := mentions[ks[j]].start
		end := len(text)
		if n := nextOther[j]; n < len(ks) {
			end = mentions[ks[n]].start
		}
		out[i] = text[start:end]
	}
	return out
}

// contactWords, lower case, introduce the address a report gives for
// help ("For further assistance, please contact <support@example.net>"),
// which is no recipient.
var contactWords = []string{"contact", "assistance", "send mail to", "write to", "問い合わせ", "ご連絡"}

// contactLookBack bounds how far before an address helpContact looks, so
// that the work per address is constant.
const contactLookBack = 64

// helpContact reports whether the address at text[i:j] is given for
// help: one of contactWords stands before it on its line, or after it up
// to the end of the next line ("... <support@example.net>\nへご連絡くだ
// さい"), each side within contactLookBack bytes.
func helpContact(text string, i, j int) bool {
	before := text[max(0, i-contactLookBack):i]
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	after := text[j:min(len(text), j+contactLookBack)]
	if k := strings.IndexByte(after, '\n'); k >= 0 {
		if e := strings.IndexByte(after[k+1:], '\n'); e >= 0 {
			after = after[:k+1+e]
		}
	}
	return textutil.ContainsAny(literal.LowerASCII(before), contactWords...) ||
		textutil.ContainsAny(literal.LowerASCII(after), contactWords...)
}

// inURL reports whether the match at i is part of a URL.
func inURL(text string, i int) bool {
	k := strings.LastIndexAny(text[:i], " \t\n<(\"'")
	word := text[k+1 : i]
	return strings.Contains(word, "://") || strings.Contains(word, "mailto:")
}

// diagnosticIn returns the paragraph of text that holds its first
// failure reply, unfolded onto one line, or "".
func diagnosticIn(text string) string {
	return diagnosticFrom(text, enhancedcode.Find(text))
}

// diagnosticFrom is diagnosticIn with the replies of text already found.
func diagnosticFrom(text string, replies []enhancedcode.Reply) string {
	for _, r := range replies {
		if !r.Temporary() && !r.Permanent() {
			continue
		}
		start := strings.LastIndex(text[:r.Start], "\n\n")
		if start < 0 {
			start = 0
		}
		// Begin at the line of the reply when the paragraph is long.
		if ls := strings.LastIndexByte(text[:r.Start], '\n'); ls > start && r.Start-start > 300 {
			start = ls
		}
		end := strings.Index(text[r.Start:], "\n\n")
		if end < 0 {
			end = len(text)
		} else {
			end += r.Start
		}
		return textutil.CollapseSpace(text[start:end])
	}
	return ""
}
