package ndr_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// recipientsDir names a folder of further bounces (.eml, or pasted text
// in .txt) that TestRecipientsAreRecipients reads besides the test
// bounces, such as a labelled corpus kept outside the repository:
//
//	go test ./ndr -run TestRecipientsAreRecipients -recipients.dir ../../shared/corpus
var recipientsDir = flag.String("recipients.dir", "", "also check the recipients of the .eml and .txt files in this folder")

// senderFields name the fields of a message header that hold its sender
// or the message itself, never a recipient, and the labels that a
// summary of the returned message or a forwarded message's header gives
// them in other languages; a line that begins with one of them is no
// recipient position.
var senderFields = []string{"from:", "return-path:", "sender:", "sender address:", "reply-to:", "message-id:", "subject:", "references:", "in-reply-to:", "errors-to:", "resent-from:", "dkim-signature:", "list-unsubscribe:", "list-id:", "x-original-sender:", "envelope-from:",
	"发件人", "發件人", "寄件者", "送信者", "差出人", "邮件主题", "郵件主題", "メール標題", "件名"}

// senderLabels are the labels, before a colon and blanks, of the sender
// and subject lines of a forwarded or quoted message's header in other
// languages.
var senderLabels = regexp.MustCompile(`^(?:von|absender|betreff|de|objet|sujet|asunto|da|oggetto|van|onderwerp|från|fra|ämne|od|от|тема)[ \x{a0}]*:`)

// addresseeFields begin the lines of a summary of the returned message
// or of a forwarded message's header that list its recipients, failed or
// not: a position of a failed recipient only when the report names none
// elsewhere.
var addresseeFields = []string{"to:", "cc:", "收件人", "宛先"}

// addresseeLabels are the labels of addresseeFields in other languages.
var addresseeLabels = regexp.MustCompile(`^(?:an|à|pour|para|a|aan|till|til|do|komu|кому)[ \x{a0}]*:`)

// notRecipientLines are texts of the lines that name an address that is
// no recipient: a message identifier, or a greeting of the sender.
var notRecipientLines = []string{"message-id", "message id"}

// salutationLines begin the lines that greet the sender by address.
var salutationLines = []string{"dear ", "hello ", "hi "}

// honorifics follow the address that a line greets (in Japanese and
// Chinese, where the name comes first).
var honorifics = []string{"様", "殿", "您好", "你好"}

// helpLines are texts of the lines on which a report gives an address
// for help, which is no recipient position.
var helpLines = []string{"please contact", "for further assistance", "ご連絡ください", "お問い合わせ"}

// parentWords begin the parenthesis that names the address a recipient
// was expanded from, which is not a failed recipient.
var parentWords = []string{"(expanded from", "(generated from", "(ultimately generated from"}

// mailSystems are the local parts of mail-system mailboxes that report
// failures and are never the failed recipient.
var mailSystems = map[string]bool{"postmaster": true, "mailer-daemon": true, "mailerdaemon": true, "mail-daemon": true}

// positions are the places of a bounce where an address stands, each the
// set of the lower-cased addresses named there.
type positions struct {
	// named are the addresses of the lines of the decoded text (the
	// human-readable parts) but those of sender and message fields,
	// summaries' recipient lists, help contacts and parent addresses,
	// and of the fields that name a recipient outright.
	named map[string]bool
	// dsn are the addresses of the fields that name a recipient
	// outright (Final-Recipient, Original-Recipient,
	// X-Failed-Recipients).
	dsn map[string]bool
	// addressees are the addresses of the To and Cc lines of the text
	// and of the returned message: every recipient of the message.
	addressees map[string]bool
	// senders are the addresses of the fields that name the sender of
	// the bounce or of the returned message, and of the lines of the
	// text that name or greet the sender.
	senders map[string]bool
	// pipes says that the report names a pipe or a file as a failed
	// recipient, for which it gives the address it was expanded from.
	pipes bool
	// text is the text of the lines of named and dsn, lower-cased.
	text string
}

// recipientPositions returns the positions of a bounce.
func recipientPositions(t *testing.T, b []byte) positions {
	t.Helper()
	raw := string(mime.StripMboxLine(mime.NormalizeNewlines(b)))
	text, top, rest := raw, "", ""
	if mime.LooksLikeHeader(raw) {
		m, err := mime.Walk(raw, mime.Limits{MaxSize: 64 << 20, MaxParts: 4096, MaxDepth: 64, ErrTruncated: ndr.ErrTruncated, ErrUnknownCharset: ndr.ErrUnknownCharset})
		if err != nil {
			t.Fatal(err)
		}
		text = m.Body
		top, rest, _ = strings.Cut(raw, "\n\n")
	} else if strings.Contains(strings.ToLower(raw), "content-transfer-encoding: quoted-printable") {
		// Pasted source text whose quoted-printable encoding the
		// reader undoes: its addresses are where it reads them.
		text = mime.Pasted(raw).Body
	}
	p := positions{named: map[string]bool{}, dsn: map[string]bool{}, addressees: map[string]bool{}, senders: map[string]bool{}}
	note := func(set map[string]bool, l string) {
		for _, a := range mailaddr.FindAddresses(l) {
			set[strings.ToLower(mailaddr.CleanAddress(a))] = true
			set[strings.ToLower(withoutRunIn(mailaddr.CleanAddress(a)))] = true
			// A log's "to=<address>" names the address after the key.
			if k := strings.IndexByte(a, '='); k > 0 && k < strings.IndexByte(a, '@') {
				set[strings.ToLower(mailaddr.CleanAddress(a[k+1:]))] = true
			}
		}
	}
	lines := strings.Split(strings.ToLower(text), "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t>\u3000")
		switch {
		case hasAnyPrefix(t, []string{"final-recipient:", "original-recipient:"}):
			note(p.dsn, l)
			note(p.named, l)
			p.text += l + "\n"
		case hasAnyPrefix(t, senderFields) || senderLabels.MatchString(t) || greets(t):
			// The field names one sender; what follows on its line
			// ("from: <postmaster@host> rcpt: <address>") is none.
			if a := mailaddr.FindAddress(l); a != "" {
				p.senders[strings.ToLower(mailaddr.CleanAddress(a))] = true
			}
		case hasAnyPrefix(t, addresseeFields) || addresseeLabels.MatchString(t):
			note(p.addressees, l)
		case helpLine(t) || i+1 < len(lines) && helpLine(lines[i+1]) || containsAny(t, notRecipientLines):
		default:
			note(p.named, withoutParents(l))
			p.text += l + "\n"
			if strings.HasPrefix(t, "\"|") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "\"/") {
				// A pipe or a file failed: the report names the address
				// it was expanded from in its place.
				p.pipes = true
			}
		}
	}
	for _, block := range []string{top, rest} {
		for l := range strings.SplitSeq(strings.ToLower(block), "\n") {
			t := strings.TrimLeft(l, " \t>")
			switch {
			case hasAnyPrefix(t, []string{"final-recipient:", "original-recipient:", "x-failed-recipients:"}):
				note(p.dsn, l)
				note(p.named, l)
				p.text += l + "\n"
			case block == top && hasAnyPrefix(t, []string{"x-beenthere:", "list-post:"}):
				// A mailing list's notice names the list it is about.
				note(p.named, l)
				p.text += l + "\n"
			case block == rest && hasAnyPrefix(t, []string{"to:", "cc:"}):
				note(p.addressees, l)
			case hasAnyPrefix(t, []string{"from:", "return-path:", "sender:", "reply-to:"}):
				note(p.senders, l)
			}
		}
	}
	return p
}

// greets reports whether a lower-cased line greets the sender by
// address ("dear user@example.com,", "user@example.com 様").
func greets(l string) bool {
	for _, g := range salutationLines {
		if w, ok := strings.CutPrefix(l, g); ok {
			w = strings.TrimLeft(w, " <\"")
			if a := mailaddr.FindAddress(w); a != "" && strings.HasPrefix(w, a) {
				return true
			}
		}
	}
	a := mailaddr.FindAddress(l)
	if a == "" || !strings.HasPrefix(l, a) {
		return false
	}
	rest := strings.TrimSpace(strings.TrimPrefix(l, a))
	for _, h := range honorifics {
		if strings.HasSuffix(a, h) || strings.HasPrefix(rest, h) && len(strings.Trim(strings.TrimPrefix(rest, h), " ,，、:：")) == 0 {
			return true
		}
	}
	return false
}

// messageIDs match a message identifier given as the message's name
// ("your message <id@host>"), which is no recipient.
var messageIDs = regexp.MustCompile(`message\s*<[^<>\s]*>`)

// withoutParents returns a lower-cased line without the parentheses
// that name the address a recipient was expanded from and without the
// message identifiers that name the message.
func withoutParents(l string) string {
	for _, w := range parentWords {
		for {
			i := strings.Index(l, w)
			if i < 0 {
				break
			}
			j := strings.IndexByte(l[i:], ')')
			if j < 0 {
				j = len(l) - i - 1
			}
			l = l[:i] + l[i+j+1:]
		}
	}
	return messageIDs.ReplaceAllString(l, "message")
}

// containsAny reports whether s holds one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// hasAnyPrefix reports whether s begins with one of prefixes.
func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// helpLine reports whether a lower-cased line gives an address for help
// (the address may stand on the line before).
func helpLine(l string) bool {
	for _, h := range helpLines {
		if strings.Contains(l, h) {
			return true
		}
	}
	return false
}

// domainOf returns the lower-cased domain of the first address of an
// address field, or "".
func domainOf(field string) string {
	_, d, _ := strings.Cut(strings.ToLower(mailaddr.CleanAddress(mailaddr.FirstAddress(field))), "@")
	return d
}

// fromRecipient reports whether the report comes from a layout that
// writes its notices from the failed recipient's own address: Postal
// sends its notice of a route that could not pass a message on from the
// route's address (app/models/bounce_message.rb).
func fromRecipient(rep *ndr.Report) bool {
	return len(rep.Recipients) == 1 && rep.Recipients[0].DecodedBy == "postal"
}

// recipientProblem returns why addr, reported as a recipient of the
// bounce, is not one, or "". anyNamed says that the report names one of
// its recipients in pos.named.
func recipientProblem(addr string, rep *ndr.Report, pos positions, anyNamed bool) string {
	a := strings.ToLower(addr)
	local, domain, ok := strings.Cut(a, "@")
	switch {
	case addr == "" && slices.ContainsFunc(rep.Warnings, func(w ndr.Warning) bool { return errors.Is(w, ndr.ErrNoAddress) }):
		// Pasted text that names no recipient: one recipient without
		// an address, said so by a warning.
		return ""
	case !ok || !mailaddr.IsAddress(addr):
		return "not an address"
	case runIn(local) || runIn(domain):
		return "not an address: words of the text run into it"
	case mailSystems[local] && (domain == domainOf(rep.From) || domain == strings.ToLower(rep.ReportingMTA)):
		return "the reporting host's mail system"
	case a == strings.ToLower(mailaddr.CleanAddress(mailaddr.FirstAddress(rep.From))) && !fromRecipient(rep):
		return "the sender of the bounce"
	case rep.Original.From != "" && a == strings.ToLower(mailaddr.CleanAddress(mailaddr.FirstAddress(rep.Original.From))) &&
		!strings.Contains(strings.ToLower(rep.Original.To), a) && !pos.dsn[a]:
		return "the sender of the returned message"
	case pos.senders[a] && !pos.dsn[a] && !pos.addressees[a]:
		return "a sender named in a From, Return-Path or Reply-To field or line, or greeted"
	case pos.named[a] || strings.Contains(a, `"`) && strings.Contains(pos.text, a):
		// An address with a quoted local part is found as text.
		return ""
	case pos.addressees[a] && anyNamed && !namesHost(pos.text, domain):
		return "named only in the returned message's list of recipients, while the report names its failed recipients elsewhere"
	case pos.pipes && strings.Contains(pos.text, a):
		// The parent address of a pipe or a file that failed.
		return ""
	case !pos.addressees[a]:
		return "named in no recipient position"
	}
	return ""
}

// namesHost reports whether a lower-cased text names domain as a host, a
// word of its own ("421 example.com (smtp)... Deferred"), not inside an
// address or a longer name.
func namesHost(text, domain string) bool {
	for i := 0; ; {
		k := strings.Index(text[i:], domain)
		if k < 0 {
			return false
		}
		k += i
		end := k + len(domain)
		before := k == 0 || strings.IndexByte(" \t\n([<'\"", text[k-1]) >= 0
		after := end == len(text) || strings.IndexByte(" \t\n)]>:;,'\"", text[end]) >= 0
		if before && after {
			return true
		}
		i = k + 1
	}
}

// runIn reports whether a local part or a domain changes, inside a
// label, between ASCII and Chinese, Japanese or Korean characters, which
// is where words of those languages run into an address written without
// spaces around it.
func runIn(s string) bool {
	for label := range strings.SplitSeq(s, ".") {
		ascii, cjk := false, false
		for _, r := range label {
			switch {
			case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
				ascii = true
			case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
				cjk = true
			}
		}
		if ascii && cjk {
			return true
		}
	}
	return false
}

// withoutRunIn returns addr without the words of Chinese, Japanese or
// Korean text that run into it: the local part after its last change
// between ASCII and those scripts, the domain before its first.
func withoutRunIn(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return addr
	}
	cjk := func(r rune) bool {
		return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
	}
	rs := []rune(local)
	for i := len(rs) - 1; i > 0; i-- {
		if cjk(rs[i-1]) != cjk(rs[i]) && !cjk(rs[i]) {
			rs = rs[i:]
			break
		}
	}
	ds := []rune(domain)
	for i := 1; i < len(ds); i++ {
		if ds[i-1] != '.' && ds[i] != '.' && !cjk(ds[i-1]) && cjk(ds[i]) {
			ds = ds[:i]
			break
		}
	}
	return string(rs) + "@" + string(ds)
}

// TestRecipientsAreRecipients checks every reported recipient of every
// test bounce: an address, never a mail system's mailbox (postmaster,
// MAILER-DAEMON), the sender of the bounce or of the returned message
// (the From, Return-Path or Reply-To, a From line of a summary of the
// returned message, in any language, the address a greeting names),
// and named where a recipient stands (delivery-status fields,
// X-Failed-Recipients, the report's text but its parent addresses and
// message identifiers). The returned message's To and Cc, and the To
// line of a summary of it, list every recipient of the message: they
// are a recipient's position only when the report names none of its
// recipients elsewhere, or names the recipient's domain as a host that
// failed.
func TestRecipientsAreRecipients(t *testing.T) {
	files := bounceFiles(t)
	if *recipientsDir != "" {
		for _, pattern := range []string{"*.eml", "*.txt"} {
			more, err := filepath.Glob(filepath.Join(*recipientsDir, pattern))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, more...)
		}
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ndr.ExplainBytes(b)
		if err != nil || rep.Kind == ndr.KindFeedback || rep.Kind == ndr.KindAutoReply || rep.Recipients[0].DecodedBy == "challenge" {
			// A feedback report, an automatic reply or a
			// challenge-response filter's request names its sender,
			// not failed recipients.
			continue
		}
		pos := recipientPositions(t, b)
		anyNamed := false
		for _, r := range rep.Recipients {
			anyNamed = anyNamed || pos.named[strings.ToLower(r.Recipient)]
		}
		for _, r := range rep.Recipients {
			if p := recipientProblem(r.Recipient, rep, pos, anyNamed); p != "" {
				t.Errorf("%s: recipient %q (read by %s) is %s", file, r.Recipient, r.DecodedBy, p)
			}
		}
	}
}
