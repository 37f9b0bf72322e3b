package ndr

import (
	"github.com/ndrkit/ndrkit/internal/literal"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// mtaDetectors read the layouts of sending MTAs and mail gateways, in the
// order they are tried.
var mtaDetectors = []detector{
	{name: "amavis", detect: detectAmavis},
	{name: "barracuda", detect: detectBarracuda},
	{name: "surfcontrol", detect: detectSurfControl},
	{name: "mcafee", detect: detectMcAfee},
	{name: "powermta", detect: detectPowerMTA},
	{name: "sendgrid", detect: detectSendGrid},
	{name: "mailru", detect: detectMailRu},
	{name: "mxlogic", detect: detectMXLogic},
	{name: "exim", detect: detectExim},
	{name: "bigfoot", detect: detectBigfoot},
	{name: "sendmail", detect: detectSendmail},
	{name: "yandex", detect: detectYandex},
	{name: "postfix", detect: detectPostfix},
	{name: "dragonfly", detect: detectDragonfly},
	{name: "qmail", detect: detectQmail},
	{name: "messagingserver", detect: detectMessagingServer},
	{name: "x2", detect: detectX2},
	{name: "mfilter", detect: detectMfilter},
	{name: "activehunter", detect: detectActiveHunter},
	{name: "imailserver", detect: detectIMailServer},
	{name: "opensmtpd", detect: detectOpenSMTPD},
	{name: "domino", detect: detectDomino},
	{name: "notes", detect: detectNotes},
	{name: "exchange2003", detect: detectExchange2003},
	{name: "exchange2007", detect: detectExchange2007},
	{name: "x1", detect: detectX1},
	{name: "x3", detect: detectX3},
	{name: "x6", detect: detectX6},
	{name: "trendmicro", detect: detectTrendMicro},
	{name: "mailfoundry", detect: detectMailFoundry},
	{name: "mailmarshal", detect: detectMailMarshal},
	{name: "verizon", detect: detectVerizon},
	{name: "fml", detect: detectFML},
	{name: "courier", detect: detectCourier},
	{name: "apachejames", detect: detectApacheJames},
}

// lowerBody returns the body with ASCII letters lower-cased, offsets
// unchanged, made when first asked for: what detectors search for their
// lower-case texts before they run a regular expression.
func lowerBody(m *message) string {
	if !m.hasLowerBody {
		m.lowerBody, m.hasLowerBody = literal.LowerASCII(m.body), true
	}
	return m.lowerBody
}

// lowerBounce returns the lower-cased bounce text, the start of
// lowerBody with the same offsets as m.bounceText().
func lowerBounce(m *message) string {
	return lowerBody(m)[:len(m.bounceText())]
}

// containsAny reports whether s contains one of the markers.
func containsAny(s string, markers ...string) bool {
	for _, mk := range markers {
		if strings.Contains(s, mk) {
			return true
		}
	}
	return false
}

// fromHas reports whether the From field, lower-cased, contains one of
// markers: a cheap test before the address is parsed out of it.
func fromHas(m *message, markers ...string) bool {
	for _, mk := range markers {
		if containsLower(m.from, mk) {
			return true
		}
	}
	return false
}

// containsLower reports whether s contains marker, a lower-case ASCII
// string, ignoring the case of ASCII letters in s, without allocating.
func containsLower(s, marker string) bool {
	return indexLower(s, marker) >= 0
}

// indexLower returns the offset of the first occurrence of marker, a
// lower-case ASCII string, in s, ignoring the case of ASCII letters in
// s, or -1.
func indexLower(s, marker string) int {
	if marker == "" {
		return 0
	}
	first, other := marker[0], marker[0]
	switch {
	case first >= 'a' && first <= 'z':
		other = first - 'a' + 'A'
	case first >= 'A' && first <= 'Z':
		return -1 // no lower-cased byte is an upper-case letter
	}
	for i := nextEither(s, 0, first, other); ; i = nextEither(s, i+1, first, other) {
		if i+len(marker) > len(s) {
			return -1
		}
		if hasPrefixLower(s[i+1:], marker[1:]) {
			return i
		}
	}
}

// nextEither returns the offset of the first a or b in s at or after
// from, or len(s). It searches windows that double in size, so that its
// cost follows the distance to the byte found, not to the rarer byte's
// next place.
func nextEither(s string, from int, a, b byte) int {
	if a == b {
		return nextByte(s, from, a)
	}
	for w := 64; from < len(s); w *= 2 {
		end := min(len(s), from+w)
		chunk := s[from:end]
		i := strings.IndexByte(chunk, a)
		if i >= 0 {
			chunk = chunk[:i]
		}
		if j := strings.IndexByte(chunk, b); j >= 0 {
			return from + j
		}
		if i >= 0 {
			return from + i
		}
		from = end
	}
	return len(s)
}

// nextByte returns the offset of the first c in s at or after from, or
// len(s).
func nextByte(s string, from int, c byte) int {
	if k := strings.IndexByte(s[from:], c); k >= 0 {
		return from + k
	}
	return len(s)
}

// hasPrefixLower reports whether s begins with prefix, a lower-case
// string, ignoring the case of ASCII letters in s.
func hasPrefixLower(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if literal.LowerByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether strings.ToLower(s) contains marker, a
// lower-case ASCII string; s is only copied when it holds non-ASCII text,
// whose lower case may differ from the ASCII folding of containsLower.
func containsFold(s, marker string) bool {
	if containsLower(s, marker) {
		return true
	}
	return !isASCII(s) && strings.Contains(strings.ToLower(s), marker)
}

// isASCII reports whether s holds only ASCII bytes: then a
// case-insensitive pattern matches s as ASCII case folding does, as no
// non-ASCII letter can stand for an ASCII one.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// submatchIf returns re.FindStringSubmatch(s) when ok, nil otherwise:
// ok is a cheap test that every match of re passes.
func submatchIf(ok bool, re *regexp.Regexp, s string) []string {
	if !ok {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// matchFrom returns the submatch offsets in text of the first match of
// re in text[from:], or nil; from < 0 gives nil. The caller knows that
// no match of re in text starts before from and that re has no "^" or
// "\b" that the cut would change, other than a multi-line "^" at a line
// start.
func matchFrom(re *regexp.Regexp, text string, from int) []int {
	if from < 0 {
		return nil
	}
	loc := re.FindStringSubmatchIndex(text[from:])
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += from
		}
	}
	return loc
}

// findAllFrom is re.FindAllStringSubmatchIndex(text, n) for a pattern
// with no "^" or "\b" whose every match begins with one of literals, in
// lower-case ASCII, which re matches ignoring case: each search starts
// where the next of them is, not where the last match ended, and none
// runs once none is left. A text holding a non-ASCII letter that folds
// to an ASCII one, which the literals would miss, is matched as a whole.
func findAllFrom(re *regexp.Regexp, text string, n int, literals ...string) [][]int {
	return findAllWith(re, text, n, literals, func(k, _ int) int { return k })
}

// findAllFromLines is findAllFrom for a multi-line pattern "^..." or
// "^\s*..." whose every match holds one of literals on the line of its
// first non-blank character: each search starts at the first line start
// after the last match and before the blank lines that precede the next
// literal.
func findAllFromLines(re *regexp.Regexp, text string, n int, literals ...string) [][]int {
	return findAllWith(re, text, n, literals, func(k, pos int) int {
		if pos > 0 && text[pos-1] != '\n' {
			// The next line start, if there is one.
			nl := strings.IndexByte(text[pos:], '\n')
			if nl < 0 {
				return -1
			}
			pos += nl + 1
		}
		return max(pos, blankStart(text, k))
	})
}

// nextPlaces remembers, for each of several strings searched for in one
// text, the place of its next occurrence, so that a scan that asks again
// and again for the earliest one from a growing offset searches the text
// for each string once in all.
type nextPlaces []int

// newNextPlaces returns places for n strings, none searched for yet.
func newNextPlaces(n int) nextPlaces {
	p := make(nextPlaces, n)
	for i := range p {
		p[i] = -2
	}
	return p
}

// earliest returns the smallest place at or after from of any of the
// strings, or -1. search(i, from) returns the offset of string i in the
// text from from on, relative to from, or -1. from must not decrease
// from call to call.
func (p nextPlaces) earliest(from int, search func(i, from int) int) int {
	k := -1
	for i, at := range p {
		if at == -2 || at >= 0 && at < from {
			at = search(i, from)
			if at >= 0 {
				at += from
			}
			p[i] = at
		}
		if at >= 0 && (k < 0 || at < k) {
			k = at
		}
	}
	return k
}

// findAllWith runs the searches of findAllFrom and findAllFromLines:
// start gives where to search for a match holding the literal found at
// k when the last match ended at pos, or -1 when no match can follow.
func findAllWith(re *regexp.Regexp, text string, n int, literals []string, start func(k, pos int) int) [][]int {
	if hasASCIIFold(text) {
		return re.FindAllStringSubmatchIndex(text, n)
	}
	var out [][]int
	next := newNextPlaces(len(literals))
	for pos := 0; pos < len(text) && (n < 0 || len(out) < n); {
		k := next.earliest(pos, func(i, from int) int { return indexLower(text[from:], literals[i]) })
		if k < 0 {
			break
		}
		loc := matchFrom(re, text, start(k, pos))
		if loc == nil {
			break
		}
		out = append(out, loc)
		pos = loc[1]
	}
	return out
}

// firstFrom is re.FindStringSubmatchIndex(text) for a pattern that
// findAllFrom takes.
func firstFrom(re *regexp.Regexp, text string, literals ...string) []int {
	return first(findAllFrom(re, text, 1, literals...))
}

// firstFromLines is re.FindStringSubmatchIndex(text) for a pattern that
// findAllFromLines takes.
func firstFromLines(re *regexp.Regexp, text string, literals ...string) []int {
	return first(findAllFromLines(re, text, 1, literals...))
}

// first returns the first of locs, or nil.
func first(locs [][]int) []int {
	if len(locs) == 0 {
		return nil
	}
	return locs[0]
}

// matchBlankLines is matchFrom(re, text, blankStart(text, k)), k the
// first offset of marker in low (text lower-cased with the same
// offsets), for a multi-line pattern "^\s*X\s*$" (or "^X\s*$") where X
// matches two or more characters within one line and holds marker. For
// each line that holds marker, in turn, the pattern runs on the text from
// the blank lines before it up to and including the first non-blank
// character after it: a match whose X is on that line lies there, and
// nothing the matcher reads there differs from the whole text. A text
// holding a non-ASCII letter that folds to an ASCII one, which the
// marker search would miss, is matched from the first marker on.
func matchBlankLines(re *regexp.Regexp, text, low, marker string) []int {
	if hasASCIIFold(text) {
		return matchFrom(re, text, blankStart(text, strings.Index(low, marker)))
	}
	for start, end := range markedLines(text, low, marker) {
		from := blankStart(text, start)
		p := end
		for p < len(text) && strings.IndexByte("\t\n\f\r ", text[p]) >= 0 {
			p++
		}
		if p == len(text) {
			return matchFrom(re, text, from)
		}
		if loc := matchIn(re, text, from, p+1); loc != nil {
			return loc
		}
	}
	return nil
}

// blankStart returns where to start matching a multi-line pattern of the
// form "^\s*..." whose matches hold, on the line of their first non-blank
// character, a marker first found at offset k (k < 0 gives -1): the
// start of the blank lines before that line, where the earliest match
// can begin.
func blankStart(text string, k int) int {
	if k < 0 {
		return -1
	}
	ls := strings.LastIndexByte(text[:k], '\n') + 1
	w := ls
	for w > 0 && strings.IndexByte("\t\n\f\r ", text[w-1]) >= 0 {
		w--
	}
	if w == 0 {
		return 0
	}
	// The first line start at or after w; text[ls-1] is a line break.
	return w + strings.IndexByte(text[w:ls], '\n') + 1
}

// markedLines yields the start and the end (the line break or the end of
// text) of every line of text, in order, where low holds one of markers.
// low is text lower-cased with the same offsets, or text itself for
// case-sensitive markers.
func markedLines(text, low string, markers ...string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		// next holds each marker's next place at or after off (-1: no
		// more), so that each marker is searched for once over the text
		// rather than once per line found.
		next := newNextPlaces(len(markers))
		for off := 0; off < len(text); {
			k := next.earliest(off, func(i, from int) int { return strings.Index(low[from:], markers[i]) })
			if k < 0 {
				return
			}
			start, end := lineAt(text, k)
			if !yield(start, end) {
				return
			}
			off = end + 1
		}
	}
}

// firstLineWhere returns the start and the end of the first line of text
// that holds one of markers, as markedLines finds them, and passes is,
// or -1, -1.
func firstLineWhere(text, low string, is func(line string) bool, markers ...string) (int, int) {
	for start, end := range markedLines(text, low, markers...) {
		if is(text[start:end]) {
			return start, end
		}
	}
	return -1, -1
}

// lineMatches returns the submatch offsets of every match of re on the
// lines of text that hold marker, for a pattern written for one line
// ("^...$", anchored at the line's start and end, nothing that takes a
// line break): what re in multi-line mode finds in the whole text,
// re.FindAllStringSubmatchIndex(text, -1), but without trying re at every
// offset of every line.
func lineMatches(re *regexp.Regexp, text, marker string) [][]int {
	var out [][]int
	for start, end := range markedLines(text, text, marker) {
		if loc := matchIn(re, text, start, end); loc != nil {
			out = append(out, loc)
		}
	}
	return out
}

// lineAt returns the offsets of the start and of the end of the line of
// text that holds offset k.
func lineAt(text string, k int) (int, int) {
	start := strings.LastIndexByte(text[:k], '\n') + 1
	end := len(text)
	if e := strings.IndexByte(text[k:], '\n'); e >= 0 {
		end = k + e
	}
	return start, end
}

// matchIn returns the submatch offsets in text of the first match of re
// in text[start:end], or nil.
func matchIn(re *regexp.Regexp, text string, start, end int) []int {
	loc := re.FindStringSubmatchIndex(text[start:end])
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += start
		}
	}
	return loc
}

// lineMatch returns the submatch offsets of the first match of re on the
// lines of text that hold one of markers, for a pattern written for one
// line ("^" and "$" the line's start and end; no "\s" or other class
// that takes a line break) whose matches always contain a marker: what
// re in multi-line mode finds in the whole text with
// FindStringSubmatchIndex. low is text lower-cased with the same
// offsets, or text itself for case-sensitive markers.
func lineMatch(re *regexp.Regexp, text, low string, markers ...string) []int {
	for start, end := range markedLines(text, low, markers...) {
		if loc := matchIn(re, text, start, end); loc != nil {
			return loc
		}
	}
	return nil
}

// lineSubmatch is lineMatch with one case-sensitive marker, giving the
// submatches.
func lineSubmatch(re *regexp.Regexp, text, marker string) []string {
	return submatches(text, lineMatch(re, text, text, marker))
}

// lineSubmatches is lineMatches giving the submatches.
func lineSubmatches(re *regexp.Regexp, text, marker string) [][]string {
	var out [][]string
	for _, loc := range lineMatches(re, text, marker) {
		out = append(out, submatches(text, loc))
	}
	return out
}

// headAndRest is re.FindStringSubmatch(s) for re followed by `\s*(.*)$`,
// where re matches at the start of s only, in one way: the text after the
// match of re and the blanks that follow it is the last submatch, when
// it holds no line break. The long rest is not run through the matcher.
func headAndRest(re *regexp.Regexp, s string) []string {
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return nil
	}
	rest := strings.TrimLeft(s[loc[1]:], "\t\n\f\r ")
	if strings.Contains(rest, "\n") {
		return nil
	}
	sm := submatches(s, loc)
	sm[0] = s
	return append(sm, rest)
}

// submatches turns submatch offsets in text into the submatches, as
// FindStringSubmatch gives them; nil gives nil.
func submatches(text string, loc []int) []string {
	if loc == nil {
		return nil
	}
	sm := make([]string, len(loc)/2)
	for i := range sm {
		if loc[2*i] >= 0 {
			sm[i] = text[loc[2*i]:loc[2*i+1]]
		}
	}
	return sm
}

// mailSystemLocal are the local parts that mail systems send their
// reports from.
var mailSystemLocal = map[string]bool{
	"mailer-daemon": true, "mailerdaemon": true, "postmaster": true,
	"mail-daemon": true, "mail.daemon": true, "maildaemon": true,
}

// isMailSystem reports whether a From value names a mail system mailbox
// (MAILER-DAEMON, postmaster) rather than a person.
func isMailSystem(from string) bool {
	a := firstAddress(from)
	local, _, ok := strings.Cut(strings.ToLower(cleanAddress(a)), "@")
	if !ok {
		local = strings.ToLower(strings.TrimSpace(from))
	}
	return mailSystemLocal[local]
}

// failureReply returns the first 4XX or 5XX reply in text: its reply code
// (0 when the text gives only an enhanced code) and enhanced status.
func failureReply(text string) (int, enhancedcode.Code) {
	for _, r := range enhancedcode.Find(text) {
		if r.Temporary() || r.Permanent() {
			code := r.Code
			if code != 0 && code/100 != 4 && code/100 != 5 {
				code = 0
			}
			return code, r.Enhanced
		}
	}
	// A reply code with no text at all, as in "<<< 421".
	if t := strings.TrimSpace(text); len(t) >= 3 {
		if k := strings.LastIndexAny(t, " :"); k >= 0 {
			t = t[k+1:]
		}
		if len(t) == 3 && (t[0] == '4' || t[0] == '5') && t[1] >= '0' && t[1] <= '5' && t[2] >= '0' && t[2] <= '9' {
			return int(t[0]-'0')*100 + int(t[1]-'0')*10 + int(t[2]-'0'), enhancedcode.Code{}
		}
	}
	return 0, enhancedcode.Code{}
}

// replyPrefixLen returns the length of the codes at the start of one
// line of an SMTP reply, "550-5.1.1 ", "550 " or "451-": a reply code
// [245][0-5][0-9], a space or "-", and an enhanced code [245].D.D (one
// to three digits each) followed by a space when there is one. It
// returns 0 when the line does not start with a reply code.
func replyPrefixLen(l string) int {
	if len(l) < 4 || l[0] != '2' && l[0] != '4' && l[0] != '5' || l[1] < '0' || l[1] > '5' || !isDigit(l[2]) || l[3] != ' ' && l[3] != '-' {
		return 0
	}
	e := l[4:]
	if len(e) < 2 || e[0] != '2' && e[0] != '4' && e[0] != '5' || e[1] != '.' {
		return 4
	}
	n := 2
	for part := range 2 {
		d := 0
		for n+d < len(e) && d < 4 && isDigit(e[n+d]) {
			d++
		}
		if d == 0 || d > 3 || n+d >= len(e) {
			return 4
		}
		sep := byte('.')
		if part == 1 {
			sep = ' '
		}
		if e[n+d] != sep {
			return 4
		}
		n += d + 1
	}
	return 4 + n
}

// unfoldLines joins lines of a diagnostic into one line. The repeated
// codes of a multi-line SMTP reply ("550-5.1.1 a" / "550 5.1.1 b") are
// dropped from the continuation lines, giving "550 5.1.1 a b".
func unfoldLines(lines []string) string {
	// One line is only trimmed; the first line keeps its codes.
	n, single := 0, ""
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			n += len(t) + 1
			single = t
		}
	}
	if n == len(single)+1 {
		return unfoldReplyText(single)
	}
	var b strings.Builder
	b.Grow(n)
	open := ""
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if n := replyPrefixLen(l); n > 0 {
			code, more := l[:3], l[3] == '-'
			if open != "" && code == open {
				l = l[n:]
			}
			if more {
				open = code
			} else {
				open = ""
			}
		} else {
			open = ""
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return unfoldReplyText(b.String())
}

// unfoldReplyText rewrites a multi-line SMTP reply that was unfolded onto
// one line with its codes repeated ("550-5.7.1 a 550-5.7.1 b 550 5.7.1
// c") as one reply ("550 5.7.1 a b c"), and collapses white space.
func unfoldReplyText(s string) string {
	if !hasContinuedCode(s) {
		return collapseSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, r := range enhancedcode.Find(s) {
		if r.Code == 0 || r.Start < last || r.Start+3 >= len(s) || s[r.Start+3] != '-' {
			continue
		}
		if r.Start > 0 && strings.IndexByte("'\"<([", s[r.Start-1]) >= 0 {
			continue
		}
		b.WriteString(s[last:r.Start])
		b.WriteString(strconv.Itoa(r.Code))
		if !r.Enhanced.IsZero() {
			b.WriteByte(' ')
			b.WriteString(r.Enhanced.String())
		}
		b.WriteByte(' ')
		b.WriteString(r.Text)
		last = r.End
	}
	b.WriteString(s[last:])
	return collapseSpace(b.String())
}

// hasContinuedCode reports whether s holds three digits followed by "-",
// as every reply code that announces a continuation line does.
func hasContinuedCode(s string) bool {
	for i := 3; i < len(s); i++ {
		if s[i] == '-' && isDigit(s[i-1]) && isDigit(s[i-2]) && isDigit(s[i-3]) {
			return true
		}
	}
	return false
}

// lineIndent returns the number of leading blanks of a line, a tab
// counting as eight.
func lineIndent(l string) int {
	n := 0
	for _, c := range l {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 8
		default:
			return n
		}
	}
	return n
}

// headerList splits a header value holding a comma-separated address
// list into addresses.
func headerList(v string) []string {
	var out []string
	for a := range strings.SplitSeq(v, ",") {
		if a = cleanAddress(a); strings.Contains(a, "@") {
			out = append(out, a)
		}
	}
	return out
}

// isAddress reports whether s is one bare e-mail address.
func isAddress(s string) bool {
	return strings.Contains(s, "@") && !strings.ContainsAny(s, " \t|/") && !strings.HasPrefix(s, "@")
}

// unquoteBlock removes the quoting of a forwarded report: when the line
// at pos begins with ">", one level of "> " is taken off every quoted
// line of text.
func unquoteBlock(text string, pos int) string {
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	prefix := text[start:pos]
	if k := strings.IndexAny(text[pos:], "-\n"); k > 0 {
		prefix = text[start : pos+k]
	}
	if !strings.Contains(prefix, ">") {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ">") {
			lines[i] = strings.TrimPrefix(l[1:], " ")
		}
	}
	return strings.Join(lines, "\n")
}

// inlineFieldNames begin the delivery-status fields written into the
// text of a report without MIME structure.
var inlineFieldNames = []string{"Reporting-MTA:", "Final-Recipient:", "Original-Recipient:"}

// inlineFieldStart returns the offset of the first line of text that
// begins with one of inlineFieldNames (in any case), or -1.
func inlineFieldStart(text string) int {
	for off := 0; off < len(text); {
		line := text[off:]
		if len(line) > 0 && strings.IndexByte("rRfFoO", line[0]) >= 0 {
			for _, f := range inlineFieldNames {
				if len(line) >= len(f) && strings.EqualFold(line[:len(f)], f) {
					return off
				}
			}
		}
		k := strings.IndexByte(line, '\n')
		if k < 0 {
			break
		}
		off += k + 1
	}
	return -1
}

// inlineDSN reads delivery-status fields that a report without MIME
// structure (or a forwarded one) carries in its text.
func inlineDSN(text string) inlineSet {
	start := inlineFieldStart(text)
	if start < 0 {
		return inlineSet{}
	}
	var lines []string
	for l := range strings.SplitSeq(text[start:], "\n") {
		t := strings.TrimSpace(l)
		if t != "" && l[0] != ' ' && l[0] != '\t' && !isFieldLine(l) {
			break
		}
		if strings.HasPrefix(t, "--") && !strings.Contains(t, " ") {
			break
		}
		lines = append(lines, l)
	}
	ds := parseDeliveryStatus(strings.Join(lines, "\n"), false)
	return newInlineSet(dsnRecipients(ds))
}

// inlineSet is the recipients of an inline DSN, indexed by address.
type inlineSet struct {
	ds []Recipient
	by map[string]int // lower-cased address -> first entry
}

// newInlineSet indexes the inline DSN entries ds.
func newInlineSet(ds []Recipient) inlineSet {
	s := inlineSet{ds: ds, by: make(map[string]int, len(ds))}
	for i, d := range ds {
		k := strings.ToLower(d.Recipient)
		if _, ok := s.by[k]; !ok {
			s.by[k] = i
		}
	}
	return s
}

// match finds the inline DSN entry for a recipient: the entry of its
// address, or the only entry.
func (s inlineSet) match(addr string) (Recipient, bool) {
	if i, ok := s.by[strings.ToLower(addr)]; ok {
		return s.ds[i], true
	}
	if len(s.ds) == 1 {
		return s.ds[0], true
	}
	return Recipient{}, false
}

// mergeInline combines a recipient read from the text with the inline DSN
// entry for it, as decode combines a DSN part with the text: the DSN's
// fields first, the text's where they say more.
func mergeInline(r *Recipient, d Recipient) {
	d.DecodedBy = ""
	mergeText(&d, *r)
	d.DecodedBy = r.DecodedBy
	*r = d
}

// afterMatch returns the text between the end of match i of locs (from a
// FindAll...Index call on text) and the start of the next match, or the
// end of text after the last.
func afterMatch(text string, locs [][]int, i int) string {
	if i+1 < len(locs) {
		return text[locs[i][1]:locs[i+1][0]]
	}
	return text[locs[i][1]:]
}
