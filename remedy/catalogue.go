package remedy

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	lits "github.com/ndrkit/ndrkit/internal/literal"
)

// Catalogue is an immutable set of entries and receivers. It is safe for
// concurrent use.
type Catalogue struct {
	entries     []*Entry
	byID        map[string]*Entry
	receivers   []Receiver
	receiverIdx map[string]int
	idx         *index // built by Load and Extend
}

// Entries returns the entries in catalogue order (file name order, then
// order within the file; an overriding entry keeps the place of the one
// it replaces). The entries are shared: do not modify them.
func (c *Catalogue) Entries() []*Entry {
	return append([]*Entry(nil), c.entries...)
}

// Len returns the number of entries.
func (c *Catalogue) Len() int { return len(c.entries) }

// Lookup returns the entry with the given ID.
func (c *Catalogue) Lookup(id string) (*Entry, bool) {
	e, ok := c.byID[id]
	return e, ok
}

// Receivers returns the receiver definitions.
func (c *Catalogue) Receivers() []Receiver {
	return append([]Receiver(nil), c.receivers...)
}

// Match is an entry that applies to some Facts.
type Match struct {
	Entry *Entry // shared; do not modify
	// Triggers name the facts that selected the entry, e.g. "token S775",
	// "status 4.7.650", `text "rate limited due to IP reputation"`,
	// "receiver yahoo (domain aol.com)", "reason badreputation".
	Triggers []string
	// Score is the specificity used for ordering: higher is more specific.
	Score int
	// Case is the retry case of the facts (see DecideRetry), which
	// selects the advice and the retry text when the match is rendered.
	Case RetryCase
	// RetryUntil is Facts.RetryUntil: when the sending server gives up.
	RetryUntil time.Time
	// RetryFor and RetryFromArrival are those of the Facts: how long
	// the sending server keeps retrying, when only the length is known.
	RetryFor         time.Duration
	RetryFromArrival bool
	// SentBy names the catalogue's receiver (a mail service, such as
	// "google" or "microsoft") that wrote the bounce about a recipient
	// outside that service: the message left through the service's
	// servers, so rendering leaves out the steps for a server of the
	// sender's own (Step.OwnServer). It is "" otherwise, and the same
	// for every match of one Facts.
	SentBy string

	span int // bytes of the texts that the entry's tokens and patterns matched
	pos  int // the entry's place in the catalogue
}

// Scores of the kinds of evidence. A match scores the best item of each
// kind it matched; the sum orders the matches.
const (
	scoreToken       int = 100
	scoreText        int = 80
	scoreStatusExact int = 60
	scoreStatusClass int = 55 // "x.7.26": exact subject and detail, any class
	scoreStatusRange int = 45
	scoreStatusSubj  int = 25 // "5.7."
	scoreStatusCls   int = 15 // "5."
	scoreReceiver    int = 30
	scoreReplyCode   int = 10
	scoreAction      int = 10
	scoreReason      int = 10
	// A token or text found in Facts.Cause outranks the words of the
	// reply that wraps it, whose status (Facts.Status) then adds nothing
	// to a match's score.
	scoreCause int = 70
	// The constraints on the parties: sender and recipient in one
	// domain, and a failure the reporting host decided itself, count as
	// much as a receiver; a forwarding the bounce shows by naming the
	// original recipient counts as much as a text pattern.
	scoreSameDomain int = 30
	scoreLocal      int = 30
	scoreForwarded  int = 80
	// Failing to reach the servers of several unrelated domains at once
	// points at the sending side more strongly than any one failure's
	// words and codes do (there is no reply to read: Facts.Unreachable
	// holds only without one).
	scoreUnreachable int = 200
	// scoreRecipientServer ranks an entry that knows the refusing server
	// is the recipient's own above one that must allow for either side.
	scoreRecipientServer int = 30
	// That the failed message was itself an automatic response changes
	// whose message was lost and who reads the bounce (the postmaster,
	// or the user whose automatic reply it was), whatever the words of
	// the failure.
	scoreAutoResponse int = 400
	// A mailing list's copy counts as much as a forwarding: the list
	// sent the message on, and its changes explain an authentication
	// failure better than the author's records do.
	scoreListMessage int = 80
	// A mail server's report of its peer's answer counts as much as
	// knowing that the peer is the recipient's own server.
	scoreRemoteServer int = 30
)

// requiredLiterals returns groups of lower-case ASCII strings such that
// every match of the pattern contains at least one string of each group.
// It returns nil when it finds nothing useful.
func requiredLiterals(pattern string) [][]string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return lits.Groups(re, true)
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// status is a parsed enhanced status code.
type status struct{ class, subject, detail int }

func parseStatus(s string) (status, bool) {
	c, rest, ok1 := strings.Cut(strings.TrimSpace(s), ".")
	subj, detail, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(detail, ".") {
		return status{}, false
	}
	var v [3]int
	for i, p := range [3]string{c, subj, detail} {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 999 || len(p) > 3 {
			return status{}, false
		}
		v[i] = n
	}
	if v[0] != 2 && v[0] != 4 && v[0] != 5 {
		return status{}, false
	}
	return status{v[0], v[1], v[2]}, true
}

// statusPattern is a parsed status condition: "5.7.26", "x.7.26",
// "5.7.606-649", "5.7." or "5.".
type statusPattern struct {
	raw     string
	class   int // 0 = any ("x")
	subject int // -1 = any
	lo, hi  int // -1 = any
}

func parseStatusPattern(s string) (statusPattern, error) {
	bad := func() (statusPattern, error) {
		return statusPattern{}, fmt.Errorf("%w status %q: want C.S.D, x.S.D, C.S.LO-HI, C.S. or C. with C in 2, 4, 5 or x", ErrInvalid, s)
	}
	p := statusPattern{raw: s, subject: -1, lo: -1, hi: -1}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return bad()
	}
	switch parts[0] {
	case "2", "4", "5":
		p.class = int(parts[0][0] - '0')
	case "x", "X":
		p.class = 0
	default:
		return bad()
	}
	num := func(t string) (int, bool) {
		if t == "" || len(t) > 3 {
			return 0, false
		}
		n, err := strconv.Atoi(t)
		return n, err == nil && n >= 0
	}
	if len(parts) == 2 { // "5."
		if parts[1] != "" || p.class == 0 {
			return bad()
		}
		return p, nil
	}
	n, ok := num(parts[1])
	if !ok {
		return bad()
	}
	p.subject = n
	if parts[2] == "" { // "5.7."
		if p.class == 0 {
			return bad()
		}
		return p, nil
	}
	lo, hi, isRange := strings.Cut(parts[2], "-")
	if p.lo, ok = num(lo); !ok {
		return bad()
	}
	p.hi = p.lo
	if isRange {
		if p.hi, ok = num(hi); !ok || p.hi < p.lo {
			return bad()
		}
	}
	return p, nil
}

func (p statusPattern) match(s status) int {
	if p.class != 0 && p.class != s.class {
		return 0
	}
	if p.subject < 0 {
		return scoreStatusCls
	}
	if p.subject != s.subject {
		return 0
	}
	if p.lo < 0 {
		return scoreStatusSubj
	}
	if s.detail < p.lo || s.detail > p.hi {
		return 0
	}
	switch {
	case p.lo != p.hi:
		return scoreStatusRange
	case p.class == 0:
		return scoreStatusClass
	}
	return scoreStatusExact
}

func (p statusPattern) label(s status) string {
	got := strconv.Itoa(s.class) + "." + strconv.Itoa(s.subject) + "." + strconv.Itoa(s.detail)
	if got == p.raw {
		return "status " + got
	}
	return "status " + got + " (" + p.raw + ")"
}

// tokenPattern is a receiver token with wildcards ("AS(#)", "OFR*_506").
type tokenPattern struct {
	raw  string
	re   *regexp.Regexp
	lits [][]string // literal groups a match needs
}

// parseToken returns the upper-case literal for a plain token, or a
// compiled pattern for one with wildcards or punctuation.
func parseToken(t string) (string, tokenPattern, error) {
	if t == "" {
		return "", tokenPattern{}, ErrMissing
	}
	plain := true
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		ch := t[i]
		switch {
		case isWordByte(ch):
			b.WriteByte(ch)
		case ch == '#':
			plain = false
			b.WriteString(`[0-9]+`)
		case ch == '*':
			plain = false
			b.WriteString(`[A-Za-z0-9]*`)
		case strings.IndexByte("-.:()/", ch) >= 0:
			plain = false
			b.WriteString(regexp.QuoteMeta(string(ch)))
		default:
			return "", tokenPattern{}, fmt.Errorf("%w token %q: use letters, digits, '_', '-', '.', ':', '(', ')', '/', and the wildcards '#' (digits) and '*' (letters and digits)", ErrInvalid, t)
		}
	}
	if plain {
		return strings.ToUpper(t), tokenPattern{}, nil
	}
	if strings.Trim(t, "*") == "" {
		return "", tokenPattern{}, fmt.Errorf("%w token %q: it matches the empty string; a token needs a letter, a digit or punctuation", ErrInvalid, t)
	}
	re, err := regexp.Compile(`(?i)(?:^|[^A-Za-z0-9_])(` + b.String() + `)(?:[^A-Za-z0-9_]|$)`)
	if err != nil {
		return "", tokenPattern{}, fmt.Errorf("%w token %q: %v", ErrInvalid, t, err)
	}
	return "", tokenPattern{raw: t, re: re, lits: requiredLiterals(b.String())}, nil
}
