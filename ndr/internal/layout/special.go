package layout

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mailaddr"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// IsFeedback reports whether m is an RFC 5965 feedback report.
func IsFeedback(m *mime.Message) bool {
	return m.Feedback != nil || m.ReportType == "feedback-report" && m.DSN == nil
}

// IsDispositionNotification reports whether m is a message disposition
// notification (RFC 8098): a read receipt, which says what a recipient's
// mail program did with a message that was delivered ("displayed",
// "deleted") and reports no delivery failure, though its
// disposition-notification part names a Final-Recipient as a delivery
// status does.
//
// A report-type that a delivery-status part contradicts does not make
// one (RFC 6522, section 3, names the report by its second part); nor
// does a Sieve reject, which RFC 5429, section 2.2.1, makes a failure
// MDN: Dovecot and Cyrus send it with "Auto-Submitted: auto-replied
// (rejected)" and the disposition "deleted" (Pigeonhole's
// sieve-actions.c, Cyrus's lmtp_sieve.c), and it tells that the
// recipient's filter refused the message.
func IsDispositionNotification(m *mime.Message) bool {
	return m.ReportType == "disposition-notification" && m.DSN == nil && !IsSieveReject(m)
}

// IsSieveReject reports whether m is a Sieve reject sent as a failure
// MDN (see IsDispositionNotification).
func IsSieveReject(m *mime.Message) bool {
	return m.ReportType == "disposition-notification" && textutil.ContainsLower(m.Get("Auto-Submitted"), "(rejected)")
}

// IsListNotice reports whether m is a mailing list's administrative
// notice (a subscription confirmation, a reminder, a notice about the
// member's bounces), which Mailman marks "X-List-Administrivia: yes":
// it reports no failed delivery of its own, whatever addresses its text
// names. A delivery-status part would still be read.
func IsListNotice(m *mime.Message) bool {
	return m.DSN == nil && !m.Pasted && strings.EqualFold(strings.TrimSpace(m.Get("X-List-Administrivia")), "yes")
}

// digestMarkers are pairs of lower-case texts, both in the body, of a
// mailing list's digest: GNU Mailman's masthead ("Send %(real_name)s
// mailing list submissions to", Mailman 2.1 templates/en/masthead.txt;
// "Send $display_name mailing list submissions to", Mailman 3
// list:member:digest:masthead.txt; the Japanese "メーリングリストへの投稿は
// 以下のアドレスに送ってください", templates/ja/masthead.txt) and its
// table of contents ("Today's Topics", Handlers/ToDigest.py and
// runners/digest.py; 本日の話題 in the ja catalogue).
var digestMarkers = [][2]string{
	{"mailing list submissions to", "today's topics"},
	{"メーリングリストへの投稿は以下のアドレスに送ってください", "本日の話題"},
}

// IsDigest reports whether m is a mailing list's digest: a message that
// a list sends its members with a header of the list (List-Id), made of
// the posts of the day. A post in it may quote a bounce or a server's
// log; the digest reports no failed delivery.
func IsDigest(m *mime.Message) bool {
	if m.DSN != nil || m.Pasted || m.Get("List-Id") == "" {
		return false
	}
	lower := mime.LowerBody(m)
	for _, p := range digestMarkers {
		// The masthead stands in the digest's own text, not quoted in
		// a member's reply to it ("> Send ... mailing list submissions
		// to").
		if i := strings.Index(lower, p[0]); i >= 0 && !quotedLine(lower, i) && strings.Contains(lower, p[1]) {
			return true
		}
	}
	return false
}

// quotedLine reports whether the line of s that holds offset i begins,
// after blanks, with a quote mark ('>' or '|').
func quotedLine(s string, i int) bool {
	t := strings.TrimLeft(s[strings.LastIndexByte(s[:i], '\n')+1:i], " \t")
	return t != "" && (t[0] == '>' || t[0] == '|')
}

// gatewayNoticeSubjects are the subject tags of notices that a sending
// organisation's own mail gateway writes about a message it holds, which
// report no failure: Active! gate holds outgoing mail for a few minutes
// before sending it and tells the sender under "[配送保留]" (CPI's
// Active! gate manual, support.cpi.ad.jp/manual/sv-basic/mail/activegate/003);
// m-FILTER@Cloud asks its administrator to release a quarantined message
// under "[隔離解除申請]" (Digital Arts' FAQ, pa-solution.net, id 7438).
var gatewayNoticeSubjects = []string{"[配送保留]", "[隔離解除申請]"}

// IsGatewayNotice reports whether m, or pasted text whose subject line
// (subject and failing, from ReadPastedHeader) begins with a tag, is such
// a notice of a mail gateway: its subject begins with one of the tags,
// it comes from no mail system and quotes no failing reply (a bounce of
// a message whose own subject began so is still a bounce).
func IsGatewayNotice(m *mime.Message, subject string, failing bool) bool {
	if m.DSN != nil {
		return false
	}
	if !m.Pasted {
		if isMailSystem(m.From) || looksLikeBounce(m) {
			return false
		}
		subject = m.Subject
	} else if failing {
		return false
	}
	subject = strings.TrimSpace(subject)
	for _, t := range gatewayNoticeSubjects {
		if strings.HasPrefix(subject, t) {
			return true
		}
	}
	return false
}

// FeedbackRecipients names the recipients a feedback report is about:
// every Original-Rcpt-To (or Removal-Recipient) field, else the returned
// message's To. It keeps at most opts.MaxRecipients of them, as Decode
// does, and counts the rest in cuts.
func FeedbackRecipients(m *mime.Message, opts Options) (rs []record.Recipient, cuts Cuts) {
	base := record.Recipient{
		Reason:    record.ReasonFeedback,
		Evidence:  "message/feedback-report part",
		DecodedBy: "arf",
	}
	if m.Feedback == nil {
		base.Evidence = "report-type=feedback-report"
	}
	base.RemoteMTA = strings.TrimSpace(dsn.FieldOf(m.Feedback, "Source-IP"))
	base.Diagnostic = textutil.CollapseSpace(m.BounceText())
	var addrs []string
	seen := map[string]bool{}
	for _, name := range []string{"Original-Rcpt-To", "Removal-Recipient"} {
		for _, f := range m.Feedback {
			if !textutil.EqualFold(f.Name, name) {
				continue
			}
			for a := range strings.SplitSeq(f.Value, ",") {
				a = mailaddr.CleanAddress(a)
				if strings.Contains(a, "@") && !seen[strings.ToLower(a)] {
					seen[strings.ToLower(a)] = true
					addrs = append(addrs, a)
				}
			}
		}
		if len(addrs) > 0 {
			break
		}
	}
	if len(addrs) == 0 {
		to := ""
		if m.HasOriginal {
			to = m.Original.To
		} else if o, ok := mime.OriginalInBody(m); ok {
			to = o.To
		}
		// When no recipient is named (a returned header such as
		// "To: <Undisclosed Recipients>"), the one entry has an empty
		// Recipient rather than an invented address.
		addrs = append(addrs, mailaddr.FindAddress(to))
	}
	out := newFound(opts, nil)
	for _, a := range addrs {
		r := base
		r.Recipient = a
		out.add(r)
	}
	out.cutDiagnostics()
	return out.rs, Cuts{Recipients: out.over}
}

// autoReplySubject matches the subjects that mail programs give automatic
// replies.
var autoReplySubject = regexp.MustCompile(`(?i)^\s*(?:auto(?:matic)?[ -]?(?:reply|response|answer)|auto:|out of (?:the )?office|autoreply|autorespon|abwesenheit|absence|vacation|away from|i am away|i'm away|自動応答|自動返信|不在)`)

// personalSubject is the label a mail program puts before the subject of
// a reply or a forward, in the languages of the common mail programs.
var personalSubject = regexp.MustCompile(`(?i)^\s*(?:re|fwd?|aw|wg|tr|sv|vs|antw|rif|r|i|返信|転送)\s*(?:\[\d+\])?\s*[:：]`)

// IsPersonal reports whether m is a message a person wrote in reply to
// a bounce or to forward one: not pasted text, no delivery report of its
// own, not from a mail system, not marked as an automatic message, and
// a subject that a mail program labels as a reply or a forward.
func IsPersonal(m *mime.Message) bool {
	if m.Pasted || m.DSN != nil || m.ReportType != "" || isMailSystem(m.From) {
		return false
	}
	if as := strings.ToLower(strings.TrimSpace(m.Get("Auto-Submitted"))); as != "" && as != "no" {
		return false
	}
	return personalSubject.MatchString(m.Subject)
}

// IsAutoReply reports whether m is an automatic reply (RFC 3834) rather
// than a delivery report.
func IsAutoReply(m *mime.Message) bool {
	if m.DSN != nil || m.Pasted || looksLikeBounce(m) {
		return false
	}
	// Exim and others mark their bounces "Auto-Submitted: auto-replied";
	// a report naming failed recipients or sent by the mail system is
	// not a reply.
	if m.Get("X-Failed-Recipients") != "" || isMailSystem(m.From) {
		return false
	}
	as := strings.ToLower(m.Get("Auto-Submitted"))
	if strings.HasPrefix(as, "auto-replied") {
		return true
	}
	if m.Get("X-Autoreply") != "" || m.Get("X-Autorespond") != "" || strings.EqualFold(m.Get("Precedence"), "auto_reply") {
		return true
	}
	if !autoReplySubject.MatchString(m.Subject) {
		return false
	}
	// "auto-generated" is for messages that answer nothing (RFC 3834
	// section 5): a notice whose subject merely resembles a reply's,
	// even in a thread (In-Reply-To), is one of those. Out-of-office
	// replies marked auto-generated are taken when they answer a
	// message and their subject carries a mail program's reply label
	// ("Automatic reply:", "自動応答:"); Exchange's, which may lack
	// In-Reply-To, carry X-Auto-Response-Suppress ([MS-OXCMAIL]) instead.
	if strings.HasPrefix(as, "auto-generated") {
		return (m.Get("In-Reply-To") != "" || m.Get("X-Auto-Response-Suppress") != "") && autoReplyLabel.MatchString(m.Subject)
	}
	return true
}

// autoReplyLabel matches the labels that mail programs put before the
// original subject of an automatic reply.
var autoReplyLabel = regexp.MustCompile(`(?i)^\s*(?:automatic reply|auto[- ]?reply|automatic response|auto|out of office|自動応答|自動返信)\s*[:：]`)

// bounceSubject matches the subjects of delivery reports, which some mail
// systems send with "Auto-Submitted: auto-replied".
var bounceSubject = textmatch.FoldPat(`delivery status notification|undeliver|undelivered|returned mail|mail delivery (?:failed|failure|system)|delivery (?:failure|failed|has failed|problem|notification)|failure notice|mail failure|non[- ]?delivery|nondeliverable|could not be delivered|配信(?:不能|エラー|失敗)|送信エラー|エラーメール`)

// looksLikeBounce reports whether m, whatever its Auto-Submitted field
// says, is a delivery report: a delivery-status report type, a mail
// system sender (MAILER-DAEMON, postmaster), an X-Failed-Recipients field
// or a delivery-report subject.
func looksLikeBounce(m *mime.Message) bool {
	if m.ReportType == "delivery-status" || m.Get("X-Failed-Recipients") != "" {
		return true
	}
	local, _, _ := strings.Cut(strings.ToLower(mailaddr.FirstAddress(m.From)), "@")
	if ignoredLocalParts[local] && local != "noreply" && local != "no-reply" {
		return true
	}
	return bounceSubject.Matches(m.Subject, m.LowerSubject)
}

// AutoReplyRecipients names the recipient who replied automatically: the
// reply's sender.
func AutoReplyRecipients(m *mime.Message) []record.Recipient {
	r := record.Recipient{
		Recipient: mailaddr.FirstAddress(m.From),
		Reason:    record.ReasonVacation,
		Evidence:  "automatic reply (RFC 3834)",
		DecodedBy: "rfc3834",
	}
	if as := m.Get("Auto-Submitted"); as != "" {
		r.Evidence = "Auto-Submitted: " + as
	}
	r.Diagnostic = textutil.CollapseSpace(textutil.TruncateRunes(m.Body, 500))
	return []record.Recipient{r}
}

// ReplyOnly reads pasted text that names no recipient address but holds
// a server's failure reply, as a user copies the one line of an NDR that
// matters ("Remote Server returned '550 5.1.10
// RESOLVER.ADR.RecipientNotFound; ...'"): the first reply (found by
// enhancedcode.Find, which joins a multi-line reply and ends a quoted one
// at its quote) with a 4xx or 5xx reply code and an enhanced status code
// of a class that fits it is the diagnostic of one recipient whose
// address is not known. A reply without an enhanced status counts when
// the words just before it on its line introduce it as a server's
// answer (replyCues: "The response was:", "Remote Server returned",
// "サーバーからの応答:"), as a mail program's error dialog quotes its
// outgoing server's refusal. It reports false when there is no such
// reply.
func ReplyOnly(m *mime.Message, opts Options) (record.Recipient, bool) {
	text := m.BounceText()
	for r := range enhancedcode.Replies(text) {
		// A 4xx reply carries a 4.x.x status; a 5xx one a 5.x.x
		// status, or 4.x.x for a temporary failure that expired
		// (Exchange's "550 4.4.7").
		class := r.Enhanced.Class()
		if r.Code/100 != 4 && r.Code/100 != 5 ||
			r.Enhanced.IsZero() && !introducedReply(text, r.Start) ||
			!r.Enhanced.IsZero() && (class != enhancedcode.Transient && class != enhancedcode.Permanent ||
				r.Code/100 == 4 && class == enhancedcode.Permanent) {
			continue
		}
		d := fmt.Sprintf("%d %s", r.Code, r.Text)
		if !r.Enhanced.IsZero() {
			d = fmt.Sprintf("%d %s %s", r.Code, r.Enhanced, r.Text)
		}
		return addressless(d+foldedLines(text, r.End, opts.MaxDiagnostic), opts), true
	}
	if loc := findPHPMailerError(text); loc != nil {
		// PHPMailer's error: the reply's text, then its codes.
		d := text[loc[4]:loc[5]]
		if loc[6] >= 0 {
			d += " " + text[loc[6]:loc[7]]
		}
		return addressless(d+" "+textutil.CollapseSpace(text[loc[2]:loc[3]]), opts), true
	}
	return record.Recipient{}, false
}

// foldedLines returns the lines that continue a reply whose line ends at
// end of text, each after a single space: the lines after it that are
// indented, up to a blank line, a line that is not indented or one that
// begins another reply. Postfix folds a long reply so in its report
// ("said: 550 5.1.1 <...>: Recipient" / "    address rejected: User
// unknown ...", bounce_templates.c and the bounce daemon's line
// wrapping), and a paste keeps the indentation. At most max bytes
// (MaxDiagnostic; 1024 when it is 0) are gathered.
func foldedLines(text string, end, max int) string {
	if max <= 0 {
		max = 1024
	}
	if end >= len(text) || text[end] != '\n' {
		return ""
	}
	var b strings.Builder
	for i := end + 1; i < len(text) && b.Len() < max; {
		next := textutil.LineEnd(text, i)
		line := text[i:next]
		t := strings.TrimSpace(line)
		if t == "" || line[0] != ' ' && line[0] != '\t' || startsReply(t) {
			break
		}
		b.WriteByte(' ')
		b.WriteString(t)
		i = next + 1
	}
	return b.String()
}

// startsReply reports whether t begins with a reply code: three digits
// from 2 to 5 first, then a blank or a hyphen.
func startsReply(t string) bool {
	return len(t) >= 4 && t[0] >= '2' && t[0] <= '5' && textutil.IsDigit(t[1]) && textutil.IsDigit(t[2]) && (t[3] == ' ' || t[3] == '-')
}

// phpMailerError is PHPMailer's account of a command its server refused:
// "<command> command failed", the reply's text, its reply code and its
// enhanced status, joined by commas (SMTP::sendCommand sets the error;
// PHPMailer::smtpSend writes "The following From address failed: " and
// the sender, " : ", and the error's parts joined by ",").
var phpMailerError = regexp.MustCompile(`(?s)^command failed,(.*?)\s*,([45]\d\d),([245]\.\d{1,3}\.\d{1,3})?`)

// findPHPMailerError tries phpMailerError on a window after each of the
// first few "command failed," of text, so its work is bounded.
func findPHPMailerError(text string) []int {
	from := 0
	for range 8 {
		k := strings.Index(text[from:], "command failed,")
		if k < 0 {
			return nil
		}
		k += from
		end := min(len(text), k+len("command failed,")+600+32)
		if loc := phpMailerError.FindStringSubmatchIndex(text[k:end]); loc != nil && loc[3]-loc[2] <= 600 {
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += k
				}
			}
			return loc
		}
		from = k + 1
	}
	return nil
}

// ClientDialog reads pasted text that names no recipient address and
// quotes no reply but holds a mail program's or an application's message
// that it could not connect to its outgoing server (dsn.ClientFailure:
// Thunderbird's "The message could not be sent because the connection to
// Outgoing server (SMTP) ... timed out", JavaMail's "Could not connect to
// SMTP host"): the line that says so is the diagnostic of one recipient
// whose address is not known. Nothing reached a mail server, so no
// recipient was refused. It reports false when there is no such message.
func ClientDialog(m *mime.Message, opts Options) (record.Recipient, bool) {
	if !m.Pasted {
		return record.Recipient{}, false
	}
	at := dsn.ClientFailureAt(mime.LowerBounce(m))
	if at < 0 {
		return record.Recipient{}, false
	}
	text := m.BounceText()
	start := strings.LastIndexByte(text[:at], '\n') + 1
	end := textutil.LineEnd(text, at)
	if limit := opts.MaxDiagnostic + utf8.UTFMax; opts.MaxDiagnostic > 0 && end-start > limit {
		// A long line: the words that say so, and what comes just
		// before them, within the limit.
		start = max(start, at-min(clientDialogLead, limit/2))
		for start < at && !utf8.RuneStart(text[start]) {
			start++
		}
		end = min(end, start+limit)
	}
	return addressless(text[start:end], opts), true
}

// HeadingOnly reads pasted text of an Exchange or Outlook NDR whose list
// of failed recipients shows a name but no address (a mail program shows
// "鈴木 一郎" for a contact): the first line under the heading
// (exchangeListHeadings) is the name of one recipient whose address is
// not known (its ListedName), and the lines after it, up to a blank
// line, are its diagnostic. It reports false when there is no such
// heading or nothing under it.
func HeadingOnly(m *mime.Message, opts Options) (record.Recipient, bool) {
	if !m.Pasted {
		return record.Recipient{}, false
	}
	at := textutil.IndexFirst(mime.LowerBounce(m), exchangeListHeadings...)
	if at < 0 {
		return record.Recipient{}, false
	}
	text := m.BounceText()
	rest := text[textutil.LineEnd(text, at):]
	var lines []string
	name := ""
	n := 0 // the bytes of lines, joined
	for l := range strings.SplitSeq(rest, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			if len(lines) > 0 {
				break // the blank line after the diagnostic
			}
			continue
		}
		if name == "" {
			name = t // the recipient's name, which is no diagnostic
			continue
		}
		lines = append(lines, t)
		if n += len(t) + 1; opts.MaxDiagnostic > 0 && n > opts.MaxDiagnostic+utf8.UTFMax {
			break
		}
	}
	if len(lines) == 0 {
		return record.Recipient{}, false
	}
	r := addressless(strings.Join(lines, " "), opts)
	r.ListedName = textutil.TruncateRunes(unquoteListed(name), maxListedName)
	return r, true
}

// addressless returns the recipient without an address whose diagnostic
// is d, trimmed and cut as every detector's diagnostics are
// (found.cutDiagnostics); the report cuts it to the limit and warns.
func addressless(d string, opts Options) record.Recipient {
	d = strings.TrimSpace(d)
	if opts.MaxDiagnostic > 0 {
		d = dsn.CleanTextCut(d, opts.MaxDiagnostic+utf8.UTFMax)
	}
	return record.Recipient{Diagnostic: d, DecodedBy: GenericName}
}

// clientDialogLead bounds how much of a long line before a program's
// words of failure ClientDialog keeps (the server's name stands there).
const clientDialogLead = 256

// replyCues, lower case, introduce a server's reply in a notice or a
// mail program's error message: Google's "The response was:" and
// "応答:", Exchange's "Remote Server returned '", Postfix's "said:", a
// client's "The server responded:" or "サーバーからの応答:". Each ends
// with the colon or quote mark that sets the reply apart from the
// sentence, so a number in prose ("we returned 550 units") is no reply.
var replyCues = []string{"response was:", "responded:", "replied:", "said:", "returned '", "returned \"", "応答:", "応答："}

// submissionCues, lower case, introduce the reply that a mail program
// got from its own outgoing server when it submitted the message, in
// the program's error message: Outlook's "The server responded: 554
// ...", Thunderbird's "The mail server responded: ...", and their
// Japanese "サーバーの応答:" and "サーバーからの応答:". A bounce that a
// server wrote says "said:", "returned" or "The response was:" instead.
// Outlook's send error lists the reply among its fields: "Server
// Response: '452 4.5.3 ...'", "サーバーの応答 : '452 4.5.3 ...'".
var submissionCues = []string{"server responded:", "server response: '", "サーバーの応答:", "サーバーの応答：", "サーバーの応答 : '", "サーバーからの応答:", "サーバーからの応答：", "が応答しました:", "が応答しました："}

// SubmissionRefusal reports whether m is pasted text in which a mail
// program or an application reports its own attempt to hand the message
// over: it quotes its outgoing server's refusal (see submissionCues) or
// says it could not connect (dsn.ClientFailure). No server queued the
// message, so none will retry it.
func SubmissionRefusal(m *mime.Message) bool {
	if !m.Pasted {
		return false
	}
	if dsn.ClientFailure(mime.LowerBounce(m)) {
		return true
	}
	text := m.BounceText()
	for _, r := range m.BounceReplies() {
		if dsn.FailingReply(r) {
			return cueBefore(text, r.Start, submissionCues)
		}
	}
	return false
}

// replyCueLookBack bounds how far before a reply introducedReply looks.
const replyCueLookBack = 48

// introducedReply reports whether one of replyCues ends, but for blanks,
// just before the reply that starts at offset at, on its line.
func introducedReply(text string, at int) bool {
	return cueBefore(text, at, replyCues)
}

// cueBefore reports whether one of cues (lower case) ends, but for
// blanks and a line break, just before offset at, within
// replyCueLookBack bytes.
func cueBefore(text string, at int, cues []string) bool {
	before := strings.TrimRight(text[max(0, at-replyCueLookBack):at], " \t\r\n")
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	before = strings.TrimRight(literal.LowerASCII(before), " \t")
	for _, c := range cues {
		if strings.HasSuffix(before, c) {
			return true
		}
	}
	return false
}

// sieveRejectMarks, lower case, end the line before the reason of a Sieve
// reject: Dovecot's "Your message to <%s> was automatically rejected:"
// (lda-settings.c, Pigeonhole's sieve-actions.c) and Cyrus's "The
// following reason was given:" (lmtp_sieve.c).
var sieveRejectMarks = []string{"was automatically rejected:", "the following reason was given:"}

// SieveRejectEvidence is the evidence of a Sieve reject's recipient.
const SieveRejectEvidence = "Sieve reject (RFC 5429): the recipient's own mail filter refused the message"

// maxSieveReason bounds the runes of a Sieve reject's reason.
const maxSieveReason = 500

// sieveFinalRecipient and sieveMessageTo find the recipient a Sieve
// reject names: its MDN part's Final-Recipient, else the address in
// Dovecot's "Your message to <address>". Their lengths are bounded by
// those of an address (RFC 5321, section 4.5.3.1).
var (
	sieveFinalRecipient = regexp.MustCompile(`(?im)^[ \t]*Final-Recipient:[ \t]*(?:[^;\r\n]{0,32};)?[ \t]*<?([^\s<>;]{1,64}@[^\s<>;]{1,255})`)
	sieveMessageTo      = regexp.MustCompile(`(?i)your message to <([^\s<>]{1,64}@[^\s<>]{1,255})>`)
)

// SieveRejectRecipients names the recipient whose Sieve script refused
// the message (see IsSieveReject), with the reason the script gave; the
// recipient's address is "" when the notice names none that is valid. The
// recipient's own filter decided: the reason is filtered, whatever the
// script's words, which its owner chose.
func SieveRejectRecipients(m *mime.Message, opts Options) []record.Recipient {
	valid := func(a string) bool { return mailaddr.IsAddress(a) && (opts.Valid == nil || opts.Valid(a)) }
	text := m.BounceText()
	r := record.Recipient{
		Action:    record.ActionFailed,
		Reason:    record.ReasonFiltered,
		Evidence:  SieveRejectEvidence,
		DecodedBy: record.DecodedBySieve,
	}
	for _, re := range []*regexp.Regexp{sieveFinalRecipient, sieveMessageTo} {
		if sm := re.FindStringSubmatch(text); sm != nil {
			if a := mailaddr.CleanAddress(mailaddr.UnescapeUTF8Addr(sm[1])); valid(a) {
				r.Recipient = a
				break
			}
		}
	}
	if r.Recipient == "" && m.HasOriginal {
		if a := mailaddr.CleanAddress(mailaddr.FirstAddress(m.Original.To)); valid(a) {
			r.Recipient = a
		}
	}
	if k := textutil.IndexFirstEnd(literal.LowerASCII(text), sieveRejectMarks...); k >= 0 {
		// The reason runs to the end of its paragraph.
		reason := strings.TrimLeft(text[k:], " \t\r\n")
		reason = strings.ReplaceAll(textutil.TruncateRunes(reason, maxSieveReason), "\r\n", "\n")
		if e := strings.Index(reason, "\n\n"); e >= 0 {
			reason = reason[:e]
		}
		r.Diagnostic = textutil.CollapseSpace(reason)
	}
	return []record.Recipient{r}
}
