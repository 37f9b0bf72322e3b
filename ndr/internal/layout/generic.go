package layout

import (
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
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
// Not every address in the text is a recipient: never the sender of the
// returned message (its From, Sender or Return-Path). The lines of a
// summary of the returned message name its sender, subject and recipients
// ("From: <sender>", "To: <recipients>", in English or in the labels of
// other languages): the sender is never the failed recipient, and the
// To line lists everyone the message was for, so that its addresses
// stand for the failed recipients only when nothing else names one. A
// greeting ("Dear <sender>,", "<sender> 様") names the sender; "from
// <address>" a sender or a parent address ("expanded from", "generated
// from"), which is not the failed recipient; "message <id>" and
// "Message-ID: <id>" a message. Words of Chinese or Japanese text that
// run into an address are cut off it (see runInTrimmed).
//
// It reads at most maxAddresses address mentions (0: all); cut says
// that it stopped there.
func detectGeneric(m *mime.Message, maxAddresses int, out *found) (cut bool) {
	return scanText(m, maxAddresses, out, nil)
}

// detectOwners reads, like detectGeneric, the recipients of a text, but
// adds only those followed by a failing reply of their own, before any
// other address, and not in except (lower-cased addresses): the
// recipients a bounce of another format names beside the ones a layout
// read, when a user pasted two together.
func detectOwners(m *mime.Message, maxAddresses int, out *found, except map[string]bool) {
	scanText(m, maxAddresses, out, except)
}

// logKeys, lower case, are the keys before "=" with which an
// application's or a mail server's log gives the envelope's addresses
// ("from=a@example.jp to=b@example.com"; Postfix writes "from=<...>",
// "to=<...>" and "orig_to=<...>"), and whether the key names the sender.
var logKeys = []struct {
	key    string
	sender bool
}{{"from=", true}, {"sender=", true}, {"mail_from=", true}, {"envelope_from=", true}, {"to=", false}, {"rcpt=", false}, {"recipient=", false}, {"orig_to=", false}, {"rcpt_to=", false}}

// logKey returns the length of a log key that begins a, an address as
// the scanner found it ("to=b@example.com"), and whether the key names
// the sender; 0 when a begins with none.
func logKey(a string) (int, bool) {
	for _, k := range logKeys {
		if len(a) > len(k.key) && strings.EqualFold(a[:len(k.key)], k.key) {
			return len(k.key), k.sender
		}
	}
	return 0, false
}

// scanText is detectGeneric; with a non-nil except, it is detectOwners.
func scanText(m *mime.Message, maxAddresses int, out *found, except map[string]bool) (cut bool) {
	text := m.BounceText()
	var addrs []string
	seen := map[string]bool{}
	// senders are the lower-cased addresses that the text or the
	// returned message gives as the sender's.
	senders := map[string]bool{}
	o, ok := m.Original, m.HasOriginal
	if !ok {
		o, ok = mime.OriginalInBody(m)
	}
	if ok {
		for _, f := range []string{o.From, o.Get("Sender"), o.Get("Return-Path")} {
			if f = mailaddr.CleanAddress(mailaddr.FirstAddress(f)); f != "" {
				senders[strings.ToLower(f)] = true
			}
		}
	}
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
	replies := m.BounceReplies()
	// named are the addresses named outside replies and summaries;
	// addressees those of a summary's To and Cc lines; quoted those
	// inside replies.
	var named, addressees, quoted []string
	// mentions are the places of the addresses in the text, in order;
	// the segment of each recipient runs from its first mention to the
	// next mention of another recipient or of a summary's line.
	var mentions []mention
	inReply := replyCursor{replies: replies}
	var lines lineCursor
	senderLineStart := -1 // the start of the last sender line met
	systemFrom := -1      // the start of the last sender line naming a mail system
	n := 0
	for loc := range mailaddr.AddressesIn(text) {
		if n++; maxAddresses > 0 && n > maxAddresses {
			cut = true
			break
		}
		loc = runInTrimmed(text, loc)
		if loc == nil {
			continue
		}
		if k, sender := logKey(text[loc[0]:loc[1]]); k > 0 {
			// A log's "from=<address>" or "to=<address>": the key is
			// no part of the address, and the sender's is no recipient.
			if sender {
				senders[strings.ToLower(mailaddr.CleanAddress(text[loc[0]+k:loc[1]]))] = true
				// It ends the segment of the recipient before it, as a
				// summary's line does.
				mentions = append(mentions, mention{start: loc[0], end: loc[1], summary: true, from: loc[0]})
				continue
			}
			loc = []int{loc[0] + k, loc[1]}
		}
		a := text[loc[0]:loc[1]]
		start := lines.start(text, loc[0])
		kind := lineKindOf(text[start:min(len(text), start+maxLabelLine)])
		if kind == senderLine {
			// The field names one sender; what follows on its line
			// ("From: <postmaster@host> RCPT: <address>") is no sender,
			// nor, on a sender's line, a recipient.
			if start == senderLineStart {
				kind = fieldLine
			} else if isMailSystem(mailaddr.CleanAddress(a)) {
				systemFrom = start
			}
			senderLineStart = start
		}
		if kind == addresseeLine && systemFrom >= 0 && start-systemFrom <= maxHeaderBlock && !strings.Contains(text[systemFrom:start], "\n\n") {
			// The To line of the bounce's own header, forwarded
			// ("From: Mail Delivery Subsystem <mailer-daemon@...>",
			// "To: <me@example.jp>"): the bounce went back to the
			// sender of the message that failed.
			senders[strings.ToLower(mailaddr.CleanAddress(a))] = true
			continue
		}
		if skipAddress(a, m) || inURL(text, loc[0]) || helpContact(text, loc[0], loc[1]) {
			continue
		}
		if kind == plainLine {
			from := max(start, loc[0]-contactLookBack)
			w := wordsBefore(text[from:loc[0]], from == start)
			if w == anyWords && greetsAfter(a, text[loc[1]:min(len(text), loc[1]+contactLookBack)]) {
				w = senderWords
			}
			if w == anyWords && dsn.TaskAccount(text, loc[0], loc[1]) {
				// The account of the mail program's failed task
				// ("Task '<account> - Sending' reported error
				// (0x...)"), the user's own.
				w = senderWords
			}
			switch w {
			case senderWords:
				senders[strings.ToLower(mailaddr.CleanAddress(a))] = true
				continue
			case otherWords:
				continue
			}
		}
		mt := mention{start: loc[0], end: loc[1], summary: kind != plainLine, from: loc[0]}
		switch {
		case kind == senderLine:
			senders[strings.ToLower(mailaddr.CleanAddress(a))] = true
		case kind == fieldLine:
		case kind == addresseeLine:
			addressees = append(addressees, a)
		case inReply.covers(loc[0]) && namesSender(text, loc[1]):
			// The reply refuses this address as the sender's (Postfix's
			// "<me@example.jp>: Sender address rejected: not owned by
			// user"): it is no recipient.
			senders[strings.ToLower(mailaddr.CleanAddress(a))] = true
		case inReply.covers(loc[0]):
			if !namesRecipient(text, loc[1]) {
				quoted = append(quoted, a)
				break
			}
			// The reply refuses this recipient: the address counts
			// as named, and its segment begins with the reply's codes.
			if k := len(mentions); k == 0 || mentions[k-1].end <= inReply.start {
				mt.from = inReply.start
			}
			named = append(named, a)
		default:
			named = append(named, a)
		}
		mentions = append(mentions, mt)
	}
	cutOff, full := cutFirstAddress(text, mentions, named, quoted)
	if cutOff != "" {
		// The tail's segment is the longer address's: the reply after
		// it is that recipient's, even when the reply names it.
		mentions[0].name = full
		add(full)
	}
	for i, tier := range [][]string{named, addressees, quoted} {
		if i > 0 && len(addrs) > 0 {
			break
		}
		for _, a := range tier {
			if !senders[strings.ToLower(mailaddr.CleanAddress(a))] && a != cutOff {
				add(a)
			}
		}
	}
	if len(addrs) == 0 {
		return cut
	}
	var failStarts []int // the starts of the failing replies, in order
	for _, r := range replies {
		if dsn.FailingReply(r) {
			failStarts = append(failStarts, r.Start)
		}
	}
	segs, starts := segments(text, addrs, mentions, failStarts)
	// The first failure reply of the whole text stands for a recipient
	// whose segment holds none, as in a list of addresses with one
	// reason above or below it; but not when that reply lies in the
	// segment of another recipient and this one has words of its own:
	// then the reply is that recipient's, and these words are this one's
	// reason.
	var whole *string
	owner := -1 // the recipient in whose segment the first reply lies
	for _, r := range replies {
		if r.Temporary() || r.Permanent() {
			for j := range addrs {
				if starts[j] >= 0 && starts[j] <= r.Start && r.Start < starts[j]+len(segs[j]) {
					owner = j
					break
				}
			}
			break
		}
	}
	owns, failing := replyOwners(addrs, segs, starts, replies)
	var note []bool
	if m.Pasted && failing {
		note = noteAddresses(text, addrs, segs, starts, owns)
	}
	for i, a := range addrs {
		if note != nil && note[i] || except != nil && (!owns[i] || except[strings.ToLower(a)]) {
			continue
		}
		if !out.keeps(a) {
			out.add(record.Recipient{Recipient: a})
			continue
		}
		seg := segs[i]
		diag := strings.TrimLeft(strings.TrimPrefix(diagnosticIn(seg), a), " >:,;")
		if diag == "" && owner >= 0 && owner != i && starts[i] >= 0 {
			diag = wordsOf(seg, a)
		}
		if diag == "" {
			if whole == nil {
				d := diagnosticFrom(text[:diagnosticEnd(text, replies, mentions)], slices.Values(replies))
				whole = &d
			}
			diag = *whole
		}
		if diag == "" {
			diag = afterResponseCue(wordsOf(seg, a))
		}
		if a == full {
			// Not the cut tail that begins the segment.
			diag = strings.TrimLeft(strings.TrimPrefix(diag, cutOff), " >:,;")
		}
		out.add(record.Recipient{Recipient: a, Diagnostic: diag})
	}
	return cut
}

// noteAddresses tells, for pasted text, which addresses belong to the
// note a user wrote around the bounce rather than to the bounce: an
// address written within a line of prose ("高橋 (takahashi@example.co.jp /
// 内線 2345)", "木村（kimura@example.co.jp）", a signature) with no other
// address on its line, whose segment holds no failing reply and after
// which no words of failure follow in its paragraph, in a text with a
// failing reply where another address is the bounce's. The bounce's own
// recipients stand alone on their line, in a list, or next to their
// reply. It returns nil when no address is a note's. The work is
// O(n log n) in the addresses plus linear in the replies and the text.
func noteAddresses(text string, addrs, segs []string, starts []int, owns []bool) []bool {
	if len(addrs) < 2 {
		return nil
	}
	order := textOrder(addrs, starts)
	// The start of each address's line, to leave alone the addresses
	// that share a line with another.
	lineOf := make([]int, len(order))
	var lines lineCursor
	for k, j := range order {
		lineOf[k] = lines.start(text, starts[j])
	}
	// An address is a note's candidate when it owns no reply, has its
	// line to itself and sits in prose (or in the signature, after "-- ",
	// or on a log line that says it was sent), and no words of failure
	// follow it;
	// the candidates are a note's only when some other address is the
	// bounce's: it owns a reply or stands apart from prose.
	sig := signatureStart(text)
	var note []bool
	bounce := false
	for k, j := range order {
		inSig := sig >= 0 && starts[j] > sig || sentLine(text, lineOf[k])
		if owns[j] || !inSig && (k > 0 && lineOf[k-1] == lineOf[k] || k+1 < len(order) && lineOf[k+1] == lineOf[k] ||
			!proseAround(text, lineOf[k], starts[j], len(addrs[j]))) || failureAfter(text, starts[j]+len(addrs[j])) {
			bounce = true
			continue
		}
		if note == nil {
			note = make([]bool, len(addrs))
		}
		note[j] = true
	}
	if !bounce {
		return nil
	}
	return note
}

// textOrder returns the indexes of the addresses that start a segment,
// in the order of the text.
func textOrder(addrs []string, starts []int) []int {
	order := make([]int, 0, len(addrs))
	for j := range addrs {
		if starts[j] >= 0 {
			order = append(order, j)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return starts[a] - starts[b] })
	return order
}

// replyOwners tells which addresses own a failing reply: one that lies in
// the segment that starts at the address. failing is whether the text
// holds a failing reply at all. The work is O(n log n) in the addresses
// plus linear in the replies: both lists are walked once in the order of
// the text.
func replyOwners(addrs, segs []string, starts []int, replies []enhancedcode.Reply) (owns []bool, failing bool) {
	order := textOrder(addrs, starts)
	owns = make([]bool, len(addrs))
	k := 0
	for _, r := range replies {
		if !dsn.FailingReply(r) {
			continue
		}
		failing = true
		for k < len(order) && starts[order[k]]+len(segs[order[k]]) <= r.Start {
			k++
		}
		if k < len(order) && starts[order[k]] <= r.Start {
			owns[order[k]] = true
		}
	}
	return owns, failing
}

// sentWords, lower case, say on a log line that a message was sent or
// delivered ("INFO [mailer] sent to <address>", Postfix's
// "status=sent").
var sentWords = []string{"sent to", "delivered to", "status=sent", "successfully sent", "送信しました", "送信完了", "配信しました"}

// sentLine reports whether the line that starts at ls says that a
// message was sent; failureAfter, asked too, keeps a line that also
// says it failed.
func sentLine(text string, ls int) bool {
	line := literal.LowerASCII(text[ls:min(textutil.LineEnd(text, ls), ls+maxFailureLook)])
	return textutil.ContainsAny(line, sentWords...)
}

// signatureStart returns the offset of the last signature separator of
// text, a line that is "-- " or "--" (RFC 3676 section 4.3), after
// which a user's signature stands; -1 when there is none. It reads each
// line once.
func signatureStart(text string) int {
	at := -1
	for start := 0; start < len(text); {
		end := textutil.LineEnd(text, start)
		if l := strings.TrimRight(strings.TrimLeft(text[start:end], "> "), " \t\r"); l == "--" {
			at = start
		}
		start = end + 1
	}
	return at
}

// failureWords, lower case, say that delivery failed; a note's address
// is not followed by them in its paragraph, a recipient written in a
// sentence of the bounce is ("kubo@example.org にメールを配信できません
// でした", "a@example.com could not be delivered: DNS error").
var failureWords = []string{
	"fail", "could not", "couldn't", "unable", "undeliver", "not deliver", "wasn't delivered", "error",
	"reject", "denied", "not found", "unknown", "does not exist", "doesn't exist", "no such",
	"配信でき", "届きません", "届かな", "送信でき", "失敗", "拒否", "見つかりません", "存在しません", "エラー",
}

// maxFailureLook bounds how far failureAfter reads.
const maxFailureLook = 400

// failureAfter reports whether the paragraph from at (to the next line
// that is blank but for quote marks, at most maxFailureLook bytes) holds
// failure words.
func failureAfter(text string, at int) bool {
	window := text[:min(len(text), at+maxFailureLook)]
	stop := textutil.LineEnd(window, at)
	for stop < len(window) {
		next := textutil.LineEnd(window, stop+1)
		if strings.Trim(window[stop+1:next], " \t\r>") == "" {
			break
		}
		stop = next
	}
	return textutil.ContainsAny(literal.LowerASCII(window[at:stop]), failureWords...)
}

// proseAround reports whether the line that starts at ls and holds the
// address at text[at:at+n] has words besides it: letters or digits
// outside the address, the brackets and punctuation around it and the
// quote marks that begin the line; but not when the words right before
// it name it as the message's recipient ("failed to send to
// <address>"). Each line is read once, as only an address alone on its
// line is asked about.
func proseAround(text string, ls, at, n int) bool {
	le := textutil.LineEnd(text, at+n)
	before := literal.LowerASCII(strings.TrimRight(text[ls:at], " \t<\"'(:：（"))
	if endsWithWord(before, recipientCueWords) {
		return false
	}
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return strings.IndexFunc(text[ls:at], word) >= 0 || strings.IndexFunc(text[at+n:le], word) >= 0
}

// wordsOf returns the words of a recipient's segment without its
// address, on one line.
func wordsOf(seg, addr string) string {
	return strings.Trim(textutil.CollapseSpace(strings.ReplaceAll(seg, addr, "")), " :<>-")
}

// responseCues, lower case, introduce the receiving server's answer in
// a notice that quotes it without a reply code: Gmail's "The response
// was:" and its Japanese "リモート サーバーからの応答:".
var responseCues = []string{"response was:", "応答:", "応答："}

// afterResponseCue returns the words after the first of responseCues in
// words, the server's answer without the notice's sentences before it
// ("There was a problem delivering your message ... LEARN MORE The
// response was: The recipient server did not accept our requests to
// connect"); words as they are when no cue is followed by more.
func afterResponseCue(words string) string {
	end := textutil.IndexFirstEnd(literal.LowerASCII(words), responseCues...)
	if end < 0 {
		return words
	}
	if rest := strings.TrimSpace(words[end:]); rest != "" {
		return rest
	}
	return words
}

// replyCursor answers whether an offset lies inside a reply, for offsets
// given in increasing order, walking the replies once.
type replyCursor struct {
	replies []enhancedcode.Reply
	next    int // the replies before next start before the last offset
	maxEnd  int // the furthest end of those replies that carry a code
	start   int // the start of the reply that ends at maxEnd
}

// covers reports whether offset i lies in the text of a reply, after its
// codes. Offsets must not decrease from call to call.
func (c *replyCursor) covers(i int) bool {
	for c.next < len(c.replies) && c.replies[c.next].Start < i {
		if r := c.replies[c.next]; (r.Code != 0 || !r.Enhanced.IsZero()) && r.End > c.maxEnd {
			c.maxEnd, c.start = r.End, r.Start
		}
		c.next++
	}
	return c.maxEnd > i
}

// recipientRejected, lower case, follows the address that a Postfix
// server's reply names when it refuses a recipient ("550 5.1.1
// <rcpt@example.com>: Recipient address rejected: User unknown", the
// "<%s>: %s rejected: %s" reply of its smtpd_check.c with the name
// "Recipient address").
const recipientRejected = ": recipient address rejected"

// namesRecipient reports whether the address that ends at offset end, in
// a reply, is the recipient the reply refuses.
func namesRecipient(text string, end int) bool {
	return followedBy(text, end, recipientRejected)
}

// followedBy reports whether the address that ends at end in text, its
// closing '>' passed over, is followed by words, lower case.
func followedBy(text string, end int, words string) bool {
	if end < len(text) && text[end] == '>' {
		end++
	}
	return textutil.HasPrefixLower(text[end:], words)
}

// maxHeaderBlock bounds how far after a bounce's forwarded From line its
// To line may stand.
const maxHeaderBlock = 512

// cutFirstAddress returns the first named address, and the longer
// address it is the end of, when the text begins with the tail of an
// address cut off by a partial copy: at the start of the text, closed by
// '>' that nothing opened, and the end of a longer address the text
// names, outside a reply or in one ("o.0123@docomo.ne.jp>: host ...
// said: 550 Unknown user hanako.0123@docomo.ne.jp"); else "", "".
func cutFirstAddress(text string, mentions []mention, named, quoted []string) (cut, whole string) {
	if len(mentions) == 0 || len(named) == 0 || len(named)+len(quoted) < 2 {
		return "", ""
	}
	first := mentions[0]
	if strings.TrimSpace(text[:first.start]) != "" || first.end >= len(text) || text[first.end] != '>' {
		return "", ""
	}
	a := text[first.start:first.end]
	la := strings.ToLower(mailaddr.CleanAddress(a))
	for _, b := range slices.Concat(named[1:], quoted) {
		lb := strings.ToLower(mailaddr.CleanAddress(b))
		if len(lb) > len(la) && strings.HasSuffix(lb, la) {
			return a, b
		}
	}
	return "", ""
}

// senderRejected, lower case, follows the address that a Postfix reply
// refuses as the sender's (smtpd_check.c: "<%s>: Sender address
// rejected: %s").
const senderRejected = ": sender address rejected"

// namesSender reports whether the address that ends at end in text is
// the one a reply refuses as the sender's (senderRejected).
func namesSender(text string, end int) bool {
	return followedBy(text, end, senderRejected)
}

// A mention is the place of an address in a text. A mention on a line
// of a summary of the returned message (a From, To or Subject line)
// ends the segment of the recipient named before it.
type mention struct {
	start, end int
	summary    bool
	// from is where the segment that begins at this mention starts:
	// start, or the start of the reply that names the address as the
	// recipient it refuses.
	from int
	// name, when set, is the address the mention stands for instead of
	// its text (the whole of an address whose tail a copy cut off).
	name string
}

// segments returns, for each address, the text from its first mention to
// the next mention of a different address of addrs or of a summary's
// line (the end of the text when none follows), or "" when the text
// does not mention it, and the offset in text of each segment that
// starts at a mention (-1 for the others). When that segment holds none
// of the failing replies that start at the offsets of failing (in
// order), and a later mention's segment does, that one is the address's
// instead: a report that lists its recipients first and gives each one's
// reply under a later heading ("Delivery has failed to these recipients"
// above "Diagnostic information for administrators", in any language).
// Addresses compare without regard to ASCII case. The work is linear in
// the number of mentions, the failing replies and the length of the
// segments.
func segments(text string, addrs []string, mentions []mention, failing []int) (segs []string, starts []int) {
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
		name := mt.name
		if name == "" {
			name = text[mt.start:mt.end]
		}
		i, ok := index[literal.LowerASCII(mailaddr.CleanAddress(name))]
		if !ok {
			if mt.summary {
				ks = append(ks, k)
				who = append(who, -1)
			}
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
	// span returns the segment that begins at recipient mention j.
	span := func(j int) (start, end int) {
		start, end = mentions[ks[j]].from, len(text)
		if n := nextOther[j]; n < len(ks) {
			end = mentions[ks[n]].from
		}
		return start, end
	}
	// first[i] becomes the first mention of address i whose segment
	// holds a failing reply, when a later one does and the first does
	// not: the mentions and the replies are walked once, in order.
	replied := make([]bool, len(addrs))
	f := 0
	for j, i := range who {
		if i < 0 || replied[i] {
			continue
		}
		start, end := span(j)
		for f < len(failing) && failing[f] < start {
			f++
		}
		if f < len(failing) && failing[f] < end {
			first[i], replied[i] = j, true
		}
	}
	segs = make([]string, len(addrs))
	starts = make([]int, len(addrs))
	for i, a := range addrs {
		starts[i] = -1
		if first[i] < 0 {
			// Named only outside the text (X-Failed-Recipients).
			if k := textutil.IndexFold(text, a); k >= 0 {
				segs[i] = text[k:]
			}
			continue
		}
		start, end := span(first[i])
		segs[i], starts[i] = text[start:end], start
	}
	return segs, starts
}

// contactWords, lower case, introduce the address a report gives for
// help ("For further assistance, please contact <support@example.net>"),
// which is no recipient.
var contactWords = []string{"contact", "assistance", "send mail to", "write to", "問い合わせ", "ご連絡"}

// contactWordsAfter, lower case, follow the address a report gives for
// help in the same sentence ("<support@example.net> for assistance",
// "<support@example.net>へご連絡ください"). The others come before the
// address: after it, they ask the reader to contact someone else ("your
// message to "<recipient>" cannot be delivered, please contact our mail
// system administrator").
var contactWordsAfter = []string{"assistance", "問い合わせ", "ご連絡", "までお願い"}

// sentenceEnds end the sentence after an address that contactWordsAfter
// may stand in.
var sentenceEnds = []string{"。", ". ", ".\n", "！", "! "}

// contactLookBack bounds how far before an address helpContact looks, so
// that the work per address is constant.
const contactLookBack = 64

// helpContact reports whether the address at text[i:j] is given for
// help: one of contactWords stands before it on its line, or one of
// contactWordsAfter after it in its sentence, up to the end of the next
// line ("... <support@example.net>\nへご連絡ください"), each side within
// contactLookBack bytes.
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
	for _, end := range sentenceEnds {
		if k := strings.Index(after, end); k >= 0 {
			after = after[:k]
		}
	}
	lb := literal.LowerASCII(before)
	if strings.Contains(lb, "send mail to") && textutil.ContainsAny(lb, sendFailedWords...) {
		// "Failed to send mail to <address>" names the recipient.
		lb = strings.ReplaceAll(lb, "send mail to", "")
	}
	return textutil.ContainsAny(lb, contactWords...) ||
		textutil.ContainsAny(literal.LowerASCII(after), contactWordsAfter...)
}

// sendFailedWords, lower case, turn "send mail to" from a request for
// help into a failure to send to the address that follows.
var sendFailedWords = []string{"fail", "could not", "couldn't", "cannot", "can't", "unable", "error"}

// inURL reports whether the match at i is part of a URL.
func inURL(text string, i int) bool {
	// A URL's start lies within maxURLLookBack bytes before the
	// address, so that the work per address is constant.
	from := max(0, i-maxURLLookBack)
	k := strings.LastIndexAny(text[from:i], " \t\n<(\"'")
	word := text[from+k+1 : i]
	return strings.Contains(word, "://") || strings.Contains(word, "mailto:")
}

// maxURLLookBack bounds how far before an address inURL looks for the
// start of the word it stands in.
const maxURLLookBack = 2048

// diagnosticIn returns the paragraph of text that holds its first
// failure reply, unfolded onto one line, or "".
func diagnosticIn(text string) string {
	return diagnosticFrom(text, enhancedcode.Replies(text))
}

// diagnosticFrom is diagnosticIn with the replies of text already found.
func diagnosticFrom(text string, replies iter.Seq[enhancedcode.Reply]) string {
	for r := range replies {
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
		// The codes that a multi-line reply repeats on each line
		// ("550-5.7.26 ..." / "550 5.7.26 ...") are dropped.
		return dsn.UnfoldReply(text[start:end])
	}
	return ""
}

// diagnosticEnd returns where the paragraph of the first failure reply
// of text, which diagnosticFrom returns, ends at the latest when several
// recipients share it: at the start of the first line after the reply's
// line that holds an address alone (mentions, in order), bare or after a
// short label, as in a reply followed by the list of the addresses it
// stands for ("宛先: a@example.org" line after line). The list is no
// part of the reply, and without this end every recipient's diagnostic
// would hold the whole list; a line that continues the reply and names
// an address further on stays in it. Each line is looked at once.
func diagnosticEnd(text string, replies []enhancedcode.Reply, mentions []mention) int {
	for _, r := range replies {
		if !r.Temporary() && !r.Permanent() {
			continue
		}
		next := strings.IndexByte(text[r.End:], '\n')
		if next < 0 {
			return len(text)
		}
		ls := r.End + next + 1 // the start of the line being looked at
		for _, mt := range mentions {
			if mt.start < ls {
				continue
			}
			// Move ls to the start of the mention's line.
			for {
				k := strings.IndexByte(text[ls:mt.start], '\n')
				if k < 0 {
					break
				}
				ls += k + 1
			}
			if lineLeadingAddress(text[ls:mt.start]) && aloneAfter(text[mt.end:textutil.LineEnd(text, mt.end)]) {
				return ls
			}
		}
		break
	}
	return len(text)
}

// aloneAfter reports whether rest, the text of a line after an address,
// leaves the address alone on its line: blanks and the punctuation that
// closes or separates addresses only.
func aloneAfter(rest string) bool {
	return strings.Trim(rest, " \t\r>,;") == ""
}

// maxAddressLead bounds the text before an address that still makes it
// the first thing on its line (see lineLeadingAddress).
const maxAddressLead = 40

// lineLeadingAddress reports whether lead, the text of a line before an
// address, leaves the address first on the line: blanks, quote marks or
// an angle bracket only, or a short label that ends in a colon.
func lineLeadingAddress(lead string) bool {
	if len(lead) > maxAddressLead {
		return false
	}
	t := trimBlanks(strings.TrimRight(trimBlanks(trimBlanks(lead, true), false), "<"), false)
	return t == "" || strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：")
}

// A lineKind says what the line an address stands on makes of it.
type lineKind uint8

const (
	// plainLine is a line of the report's own text, where a failed
	// recipient may stand.
	plainLine lineKind = iota
	// senderLine is the From, Sender or Reply-To line of a summary of
	// the returned message: it names the sender, never a recipient.
	senderLine
	// fieldLine is another line of such a summary that names no
	// recipient (Subject, Date, Message-ID).
	fieldLine
	// addresseeLine is the To or Cc line of such a summary: it lists
	// every recipient of the message, failed or not.
	addresseeLine
)

// summaryLabels map the lower-cased labels of the lines of a summary of
// the returned message, the field names of a message header and the
// words that mail programs and failure notices put in their place, to
// the kind of line they begin. The labels of other languages are those
// of Gromox's notices (data/local_bounce and data/mail_bounce of
// grommunio/gromox: 发件人地址, 收件人, 邮件主题; 發件人地址, 收件人,
// 郵件主題; 送信者, 宛先, メール標題) and of the mail programs that quote a
// message's header in the user's language.
var summaryLabels = map[string]lineKind{
	"from": senderLine, "sender": senderLine, "sender address": senderLine, "reply-to": senderLine, "return-path": senderLine,
	"errors-to": senderLine, "envelope-from": senderLine, "resent-from": senderLine,
	"subject": fieldLine, "date": fieldLine, "sent": fieldLine, "time": fieldLine,
	"message-id": fieldLine, "in-reply-to": fieldLine, "references": fieldLine,
	"to": addresseeLine, "cc": addresseeLine, "bcc": addresseeLine,
	// Chinese (Simplified, Traditional).
	"发件人": senderLine, "发件人地址": senderLine, "發件人": senderLine, "發件人地址": senderLine,
	"寄件者": senderLine, "寄件人": senderLine,
	"主题": fieldLine, "邮件主题": fieldLine, "主題": fieldLine, "郵件主題": fieldLine, "主旨": fieldLine,
	"收件人": addresseeLine, "收件者": addresseeLine, "抄送": addresseeLine, "副本": addresseeLine,
	// Japanese.
	"送信者": senderLine, "差出人": senderLine, "送信元": senderLine, "送信者アドレス": senderLine, "送信者のアドレス": senderLine,
	"件名": fieldLine, "メール標題": fieldLine, "送信時間": fieldLine, "送信日時": fieldLine, "作成日": fieldLine,
	"宛先": addresseeLine, "受信者アドレス": addresseeLine, "受信者のアドレス": addresseeLine,
	// The approver of a sending gateway's approval flow (Active! gate's
	// 上司承認, m-FILTER's 上長承認) is no recipient.
	"承認者": fieldLine, "approver": fieldLine,
	// German, French, Spanish, Italian, Portuguese, Dutch, Swedish,
	// Danish and Norwegian, Polish, Czech, Russian, Korean: the labels
	// that mail programs give a forwarded or quoted message's header.
	"von": senderLine, "absender": senderLine, "de": senderLine, "expéditeur": senderLine,
	"remitente": senderLine, "da": senderLine, "mittente": senderLine, "remetente": senderLine,
	"van": senderLine, "afzender": senderLine, "från": senderLine, "fra": senderLine, "od": senderLine,
	"от": senderLine, "отправитель": senderLine, "보낸 사람": senderLine,
	"betreff": fieldLine, "objet": fieldLine, "sujet": fieldLine, "asunto": fieldLine, "oggetto": fieldLine,
	"assunto": fieldLine, "onderwerp": fieldLine, "ämne": fieldLine, "emne": fieldLine, "temat": fieldLine,
	"předmět": fieldLine, "тема": fieldLine, "제목": fieldLine,
	"an": addresseeLine, "à": addresseeLine, "pour": addresseeLine, "para": addresseeLine, "a": addresseeLine,
	"aan": addresseeLine, "till": addresseeLine, "til": addresseeLine, "do": addresseeLine, "komu": addresseeLine,
	"кому": addresseeLine, "받는 사람": addresseeLine,
}

// maxLabelLine bounds the bytes of a line that lineKindOf reads: enough
// for the longest label of summaryLabels with the blanks around it.
const maxLabelLine = 64

// lineKindOf returns the kind of the line that begins line: a label of
// summaryLabels after the line's indentation (blanks, ideographic
// spaces, quote marks) and before a colon (or a full-width one), in any
// case.
func lineKindOf(line string) lineKind {
	line = trimBlanks(line, true)
	end := strings.IndexAny(line, ":：\n")
	if end <= 0 || line[end] == '\n' {
		return plainLine
	}
	return summaryLabels[strings.ToLower(trimBlanks(line[:end], false))]
}

// trimBlanks returns s without the spaces, tabs, no-break spaces
// (U+00A0, which French puts before a colon) and ideographic spaces
// (U+3000) at its start (and '>' quote marks when start is true), or at
// its end.
func trimBlanks(s string, start bool) string {
	for {
		n := len(s)
		if start {
			s = strings.TrimLeft(s, " \t>")
			for _, b := range wideBlanks {
				s = strings.TrimPrefix(s, b)
			}
		} else {
			s = strings.TrimRight(s, " \t")
			for _, b := range wideBlanks {
				s = strings.TrimSuffix(s, b)
			}
		}
		if len(s) == n {
			return s
		}
	}
}

// wideBlanks are the blanks of more than one byte that trimBlanks takes
// off.
var wideBlanks = []string{"\u00a0", "\u3000"}

// lineCursor finds the start of the line of each of a text's offsets,
// given in increasing order, reading each byte of the text once.
type lineCursor struct {
	at, lineStart int // the last offset asked about and its line's start
}

// start returns the offset of the start of the line that holds i.
// Offsets must not decrease from call to call.
func (c *lineCursor) start(text string, i int) int {
	if k := strings.LastIndexByte(text[c.at:i], '\n'); k >= 0 {
		c.lineStart = c.at + k + 1
	}
	c.at = i
	return c.lineStart
}

// The words that stand before an address on its line say, for some, that
// it is no recipient.
type beforeWords uint8

const (
	// anyWords leave the address what its line makes it.
	anyWords beforeWords = iota
	// senderWords greet the sender ("Dear <address>,", "<address> 様").
	senderWords
	// otherWords name an address that is not a failed recipient: a
	// parent address, one that a failed recipient was expanded from
	// (Postfix's "(expanded from <alias>)", Sendmail's "(expanded from:
	// <alias>)", Exim's "(generated from alias)"), the sender of a
	// message ("the message from <address>"), or a message identifier
	// ("message-id <id>", "your message <id>").
	otherWords
)

// salutations, lower case, greet the sender when they open a line and
// an address follows them, in the languages that notices are written in.
var salutations = []string{
	"dear", "hello", "hi", "hallo", "liebe", "lieber", "sehr geehrte", "sehr geehrter",
	"bonjour", "cher", "chère", "hola", "estimado", "estimada", "olá", "oi", "ciao", "caro", "cara", "gentile",
	"beste", "hoi", "hej", "hei", "merhaba", "witaj", "dzień dobry", "ahoj", "здравствуйте", "привет",
	"مرحبًا", "مرحبا", "שלום", "안녕하세요", "こんにちは", "你好", "您好", "xin chào",
}

// honorifics follow the address of the sender that a notice greets on
// a line of its own ("user@example.com 様", "user@example.com您好，").
var honorifics = []string{"様", "さま", "殿", "您好", "你好"}

// greetingEnds may follow an honorific at the end of a greeting.
var greetingEnds = []string{",", "，", "、", ":", "：", "!", "！"}

// greetsAfter reports whether the address addr, followed by the text
// after, greets its owner with an honorific that ends its line. The
// honorific may be part of addr: a Chinese or Japanese word right after
// a domain reads as more of its last label.
func greetsAfter(addr, after string) bool {
	rest := trimBlanks(after, true)
	found := false
	for _, h := range honorifics {
		if strings.HasSuffix(addr, h) {
			found = true
			break
		}
		if r, ok := strings.CutPrefix(rest, h); ok {
			rest, found = r, true
			break
		}
	}
	if !found {
		return false
	}
	rest = trimBlanks(rest, true)
	for _, e := range greetingEnds {
		rest = strings.TrimPrefix(rest, e)
	}
	rest = strings.TrimLeft(rest, " \t\r")
	return rest == "" || rest[0] == '\n'
}

// notRecipientWords, lower case, stand right before an address that is
// not a failed recipient. "Not owned by user" precedes the login name that Postfix's
// reject_sender_login_mismatch names ("Sender address rejected: not
// owned by user %s", smtpd_check.c), which is no recipient either.
var notRecipientWords = []string{"from", "message-id", "message id", "msgid", "owned by user"}

// senderBeforeWords, lower case, name the sender's address that follows
// them within a line of a mail program's error ("送信者 (差出人)
// info@example.jp がメール サーバーによって拒否されました", "the sender
// address <me@example.com> was rejected"), or the account that a device
// or program logs in to its outgoing server with (a copier's send log
// "ログインユーザー: scan@example.co.jp", "logged in as app@example.com"),
// or the sender's address that PHPMailer's "The following From address
// failed: %s" names (its language strings, from_failed); a closing
// parenthesis after them is passed over.
var senderBeforeWords = []string{"sender", "sender address", "from address failed", "送信者", "差出人", "送信者アドレス", "送信用アカウント", "アカウント",
	"login", "login user", "login name", "username", "user name", "smtp user", "auth user", "smtp auth", "smtp-auth", "smtp認証",
	"logged in as", "logs in as", "log in as", "authenticated as", "signed in as",
	"ログインユーザー", "ログインユーザ", "ログインid", "ログイン名", "認証ユーザー", "認証ユーザ", "ユーザー名", "ユーザ名"}

// recipientCueWords, lower case, stand right before an address that a
// line of prose names as the one the message was for ("failed to send
// to <address>"), which is no address of a note.
var recipientCueWords = []string{"to", "for", "recipient", "rcpt to", "宛先", "宛"}

// idWords, lower case, stand right before a message identifier in angle
// brackets ("your message <id>"), which the same words followed by "to"
// and an address are not.
var idWords = []string{"message"}

// wordsBefore tells what before, the text of a line before an address,
// makes of the address; lineStart says that before begins at the start
// of the line.
func wordsBefore(before string, lineStart bool) beforeWords {
	angle := strings.HasSuffix(strings.TrimRight(before, " \t"), "<")
	b := literal.LowerASCII(strings.TrimRight(trimBlanks(before, true), " \t<\"'(:,"))
	switch {
	case lineStart && slices.Contains(salutations, strings.ToLower(b)):
		return senderWords
	case endsWithWord(b, notRecipientWords), angle && endsWithWord(b, idWords):
		return otherWords
	case endsWithWord(strings.TrimRight(b, " )）（"), senderBeforeWords):
		return senderWords
	}
	return anyWords
}

// endsWithWord reports whether s ends with one of words, as a word of its
// own.
func endsWithWord(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) && (len(s) == len(w) || !textutil.IsAlnum(s[len(s)-len(w)-1])) {
			return true
		}
	}
	return false
}

// runInTrimmed returns the offsets of the address at text[loc[0]:loc[1]]
// without the words of the text around it that run into it: Chinese,
// Japanese and Korean write no space between words, so that the address
// pattern, which takes letters of every script, reads "您发送到
// user@example.com的邮件" as one address. A change between an ASCII
// letter or digit and a letter of those scripts inside the local part
// or inside a label of the domain is such a boundary: the local part
// keeps what follows its last change, the domain what precedes its first
// one. An address written in one script throughout (山田@例え.jp) is
// kept whole. It returns nil when no address remains.
func runInTrimmed(text string, loc []int) []int {
	a := text[loc[0]:loc[1]]
	if textutil.IsASCII(a) {
		return loc
	}
	at := strings.IndexByte(a, '@')
	start, end := loc[0], loc[1]
	local, domain := a[:at], a[at+1:]
	prev := rune(-1)
	for i, r := range local {
		if prev >= 0 && runsIn(prev, r) {
			start = loc[0] + i
		}
		prev = r
	}
	prev = -1
	for i, r := range domain {
		if r == '.' {
			prev = -1
			continue
		}
		if prev >= 0 && runsIn(prev, r) {
			end = loc[0] + at + 1 + i
			break
		}
		prev = r
	}
	trimmed := text[start:end]
	k := strings.IndexByte(trimmed, '@')
	if k <= 0 || !strings.Contains(trimmed[k:], ".") || strings.HasSuffix(trimmed, ".") {
		return nil
	}
	return []int{start, end}
}

// runsIn reports whether two letters next to each other change between
// an ASCII letter or digit and a Chinese, Japanese or Korean character,
// where words of those languages run into an address.
func runsIn(a, b rune) bool {
	return a < utf8.RuneSelf && b >= utf8.RuneSelf && isCJK(b) || b < utf8.RuneSelf && a >= utf8.RuneSelf && isCJK(a)
}

// isCJK reports whether r is a Han, Hiragana, Katakana or Hangul
// character.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
