package dsn

import (
	"strings"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// IsGeneric reports whether c says no more than its class (X.0.0).
func IsGeneric(c enhancedcode.Code) bool {
	return c.Subject() == 0 && c.Detail() == 0
}

// FailingReply reports whether a reply refuses or defers: a 4XX or 5XX
// reply code, or a 4.X.X or 5.X.X status.
func FailingReply(r enhancedcode.Reply) bool {
	return r.Temporary() || r.Permanent()
}

// commandMarkers are the lower-case phrases by which MTAs name the SMTP
// command a reply answered, in the order they are tried.
var commandMarkers = []struct {
	cmd     string
	phrases []string
}{
	{"DATA", []string{"in reply to end of data", "in reply to data", "after end of data", "after data", "end of data", ">>> data", "did not like our data", "did not like our final data", "[data]", "[end_of_data]", "smtp:data"}},
	{"RCPT", []string{"in reply to rcpt to", "after rcpt to", "rcpt to:<", "rcpt to: <", "rcpt to <", ">>> rcpt", "did not like our rcpt", "[rcpt_to]", "smtp:rcpt", "most progress was rcpt", "does not like recipient"}},
	{"MAIL", []string{"in reply to mail from", "after mail from", "after pipelined mail from", "mail from:<", "mail from: <", "mail from <", ">>> mail", "did not like our mail", "[mail_from]", "smtp:mail", "sender was rejected"}},
	{"HELO", []string{"in reply to ehlo", "in reply to helo", "after ehlo", "after helo", ">>> ehlo", ">>> helo", "my name was rejected", "performing the helo handshake"}},
	{"STARTTLS", []string{"in reply to starttls", "after starttls"}},
	{"CONN", []string{"after initial connection", "while connecting", "refused to talk to me", "greeting", "banner"}},
}

// connectTo starts a failed connection's report: "connect to host:
// Connection refused", "... timed out".
const connectTo = "connect to "

// commandPhrases finds every phrase of commandMarkers, in order, and
// then connectTo, in one pass over a text.
var commandPhrases = func() *literal.Automaton {
	var lits []string
	for _, m := range commandMarkers {
		lits = append(lits, m.phrases...)
	}
	return literal.NewAutomaton(append(lits, connectTo))
}()

// commandPhraseCount is the number of phrases of commandMarkers.
var commandPhraseCount = func() int {
	n := 0
	for _, m := range commandMarkers {
		n += len(m.phrases)
	}
	return n
}()

// CommandOf finds the SMTP command named in a diagnostic, by plain
// substring checks on the lower-cased text.
func CommandOf(diag string) string {
	return CommandOfLower(strings.ToLower(diag))
}

// CommandOfLower is commandOf for a diagnostic already in lower case:
// the command of the first entry of commandMarkers with a phrase in l.
func CommandOfLower(l string) string {
	if l == "" {
		return ""
	}
	var buf [64]int32
	var first []int32
	if n := commandPhraseCount + 1; n <= len(buf) {
		first = buf[:n]
	} else {
		first = make([]int32, n)
	}
	commandPhrases.FirstIndex(l, first)
	id := 0
	for _, m := range commandMarkers {
		for range m.phrases {
			if first[id] >= 0 {
				return m.cmd
			}
			id++
		}
	}
	if k := first[id]; k >= 0 && (strings.Contains(l[k:], "refused") || strings.Contains(l[k:], "timed out")) {
		return "CONN"
	}
	return ""
}

// NormalizeCommand reduces a command to its verb in upper case: "RCPT TO"
// gives "RCPT", "end of DATA" gives "DATA".
func NormalizeCommand(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	switch {
	case c == "":
		return ""
	case strings.Contains(c, "DATA"):
		return "DATA"
	case strings.HasPrefix(c, "RCPT"):
		return "RCPT"
	case strings.HasPrefix(c, "MAIL"):
		return "MAIL"
	case strings.HasPrefix(c, "EHLO"), strings.HasPrefix(c, "HELO"):
		return "HELO"
	}
	return textutil.FirstWord(c)
}

// FirstReplyCode returns the code of the first failure reply (4XX, 5XX),
// else of the first reply of any kind (a greeting, a delivery), else 0.
func FirstReplyCode(rs []enhancedcode.Reply) int {
	for _, rp := range rs {
		if rp.Code >= 400 {
			return rp.Code
		}
	}
	for _, rp := range rs {
		if rp.Code != 0 {
			return rp.Code
		}
	}
	return 0
}
