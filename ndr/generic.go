package ndr

import (
	"regexp"
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// addrPattern matches an e-mail address in running text, including
// UTF-8 local parts and domains (RFC 6531).
var addrPattern = regexp.MustCompile(`[\p{L}\p{N}.!#$%&'*+/=?^_{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+`)

// copyMarker matches the line that starts the returned copy of the
// original message in a plain-text bounce.
var copyMarker = regexp.MustCompile(`(?im)^[ \t>]*(?:` +
	`-+ ?(?:original message|message original|returned message|unsent message|below this line is a copy|this is a copy of|original message headers|message headers? follow|the original message|undelivered message)` +
	`|original message follows|the original message (?:was|is) (?:attached|included|below|follows)|-+ ?(?:begin|start) (?:of )?(?:original|returned|forwarded) message` +
	`|content-type: message/rfc822|content-type: text/rfc822-headers` +
	`|-+ ?元のメッセージ|-+ ?Original message|以下、?元のメール` +
	`)`)

// bounceText returns the part of the body before the returned copy of
// the original message.
func bounceText(body string) string {
	if loc := copyMarker.FindStringIndex(body); loc != nil {
		return body[:loc[0]]
	}
	if k := originalHeaderStart(body); k >= 0 {
		return body[:k]
	}
	return body
}

// originalHeaderStart finds a returned header block written inline in
// the text without a marker: a line beginning with a field that only a
// message header has, followed by more header lines.
func originalHeaderStart(body string) int {
	for _, name := range []string{"\nReturn-Path:", "\nReceived: from", "\nDKIM-Signature:", "\nX-Received:", "\nARC-Seal:"} {
		if k := strings.Index(body, name); k >= 0 && looksLikeHeader(body[k+1:]) {
			return k + 1
		}
	}
	return -1
}

// originalInText finds the header of the returned message in plain text,
// after a copy marker or where a header block starts.
func originalInText(body string) (Original, bool) {
	start := -1
	if loc := copyMarker.FindStringIndex(body); loc != nil {
		rest := body[loc[1]:]
		// Skip to the first header line after the marker line.
		lines := strings.SplitAfter(rest, "\n")
		off := loc[1]
		for i, l := range lines {
			if i > 12 {
				break
			}
			t := strings.TrimLeft(l, " \t>")
			if isFieldLine(t) && looksLikeHeader(strings.TrimLeft(body[off:], " \t>")) {
				start = off
				break
			}
			off += len(l)
		}
	}
	if start < 0 {
		start = originalHeaderStart(body)
	}
	if start < 0 {
		return Original{}, false
	}
	block := body[start:]
	if k := strings.Index(block, "\n\n"); k >= 0 {
		block = block[:k]
	}
	fs := parseFields(block)
	for i := range fs {
		fs[i].Value = decodeHeader(fs[i].Value)
	}
	o := originalFrom(fs)
	return o, o.MessageID != "" || o.Subject != "" || o.From != "" || o.To != ""
}

// ignoredLocalParts are mailbox names of mail systems, which bounce text
// names without being the failed recipient.
var ignoredLocalParts = map[string]bool{
	"postmaster": true, "mailer-daemon": true, "mailerdaemon": true, "abuse": true,
	"hostmaster": true, "noreply": true, "no-reply": true, "root": true, "double-bounce": true,
}

// skipAddress reports whether an address found in bounce text is not a
// recipient: a mail system mailbox or the report's own sender.
func skipAddress(addr string, m *message) bool {
	local, domain, _ := strings.Cut(strings.ToLower(addr), "@")
	if ignoredLocalParts[local] {
		return true
	}
	if domain == "" || strings.HasSuffix(domain, ".png") || strings.HasSuffix(domain, ".gif") {
		return true
	}
	if f := cleanAddress(m.from); f != "" && strings.EqualFold(f, addr) {
		return true
	}
	return false
}

// detectGeneric is the fallback for layouts no other detector knows: it
// takes the addresses named in the bounce text (or in X-Failed-Recipients)
// and, for each, the reply that follows it.
func detectGeneric(m *message) []Recipient {
	text := bounceText(m.body)
	var addrs []string
	seen := map[string]bool{}
	add := func(a string) {
		a = cleanAddress(a)
		k := strings.ToLower(a)
		if a == "" || seen[k] || !strings.Contains(a, "@") {
			return
		}
		seen[k] = true
		addrs = append(addrs, a)
	}
	for _, a := range strings.Split(m.get("X-Failed-Recipients"), ",") {
		add(a)
	}
	for _, loc := range addrPattern.FindAllStringIndex(text, -1) {
		a := text[loc[0]:loc[1]]
		if skipAddress(a, m) || inURL(text, loc[0]) {
			continue
		}
		add(a)
	}
	if len(addrs) == 0 {
		return nil
	}
	var out []Recipient
	for i, a := range addrs {
		seg := segmentFor(text, a, addrs, i)
		diag := strings.TrimLeft(strings.TrimPrefix(diagnosticIn(seg), a), " >:,;")
		if diag == "" {
			diag = diagnosticIn(text)
		}
		if diag == "" {
			diag = collapseSpace(strings.ReplaceAll(seg, a, ""))
			diag = strings.Trim(diag, " :<>-")
		}
		out = append(out, Recipient{Recipient: a, Diagnostic: diag})
	}
	return out
}

// inURL reports whether the match at i is part of a URL.
func inURL(text string, i int) bool {
	k := strings.LastIndexAny(text[:i], " \t\n<(\"'")
	word := text[k+1 : i]
	return strings.Contains(word, "://") || strings.Contains(word, "mailto:")
}

// segmentFor returns the text from the first mention of addrs[i] to the
// first mention of a later address.
func segmentFor(text, addr string, addrs []string, i int) string {
	start := indexFold(text, addr)
	if start < 0 {
		return ""
	}
	end := len(text)
	for _, other := range addrs {
		if strings.EqualFold(other, addr) {
			continue
		}
		if k := indexFold(text[start+len(addr):], other); k >= 0 && start+len(addr)+k < end {
			end = start + len(addr) + k
		}
	}
	return text[start:end]
}

// indexFold is a case-insensitive strings.Index for ASCII text.
func indexFold(s, sub string) int {
	return strings.Index(strings.ToLower(s), strings.ToLower(sub))
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
		return collapseSpace(text[start:end])
	}
	return ""
}
