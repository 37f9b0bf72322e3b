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
func detectGeneric(m *mime.Message) []record.Recipient {
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
	for _, loc := range mailaddr.AddressIndexes(text) {
		a := text[loc[0]:loc[1]]
		if skipAddress(a, m) || inURL(text, loc[0]) {
			continue
		}
		if insideReply(replies, loc[0]) {
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
		return nil
	}
	lowText := literal.LowerASCII(text)
	lowAddrs := make([]string, len(addrs))
	for i, a := range addrs {
		lowAddrs[i] = literal.LowerASCII(a)
	}
	var out []record.Recipient
	for _, a := range addrs {
		seg := segmentFor(text, lowText, a, lowAddrs)
		diag := strings.TrimLeft(strings.TrimPrefix(diagnosticIn(seg), a), " >:,;")
		if diag == "" {
			diag = diagnosticIn(text)
		}
		if diag == "" {
			diag = textutil.CollapseSpace(strings.ReplaceAll(seg, a, ""))
			diag = strings.Trim(diag, " :<>-")
		}
		out = append(out, record.Recipient{Recipient: a, Diagnostic: diag})
	}
	return out
}

// insideReply reports whether offset i lies in the text of one of the
// replies, after its codes.
func insideReply(replies []enhancedcode.Reply, i int) bool {
	for _, r := range replies {
		if r.Start < i && i < r.End && (r.Code != 0 || !r.Enhanced.IsZero()) {
			return true
		}
	}
	return false
}

// inURL reports whether the match at i is part of a URL.
func inURL(text string, i int) bool {
	k := strings.LastIndexAny(text[:i], " \t\n<(\"'")
	word := text[k+1 : i]
	return strings.Contains(word, "://") || strings.Contains(word, "mailto:")
}

// segmentFor returns the text from the first mention of addr to the
// first mention of a later address.
// Addresses are compared ignoring ASCII case: low is text and lowAddrs
// the addresses, lower-cased once by the caller.
func segmentFor(text, low, addr string, lowAddrs []string) string {
	la := literal.LowerASCII(addr)
	start := strings.Index(low, la)
	if start < 0 {
		return ""
	}
	end := len(text)
	from := start + len(la)
	for _, other := range lowAddrs {
		if other == la {
			continue
		}
		if k := strings.Index(low[from:], other); k >= 0 && from+k < end {
			end = from + k
		}
	}
	return text[start:end]
}

// diagnosticIn returns the paragraph of text that holds its first
// failure reply, unfolded onto one line, or "".
func diagnosticIn(text string) string {
	for _, r := range enhancedcode.Find(text) {
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
