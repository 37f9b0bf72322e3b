package classify

import (
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
)

// receivers give some codes and texts a meaning of their own, which may
// differ from the IANA meaning of the same status. Each receiver is
// declared in a file of its own, receiver_<name>.go, after its published
// error-code pages; this file holds the shared machinery and the order in
// which the receivers are consulted.

// receiver is a mail provider recognised by the recipient's domain, the
// remote MTA's host name, or a marker in its replies.
type receiver struct {
	name string
	// domains and hosts are suffixes of the recipient domain and of the
	// remote MTA host name.
	domains, hosts []string
	// marker, when not empty, identifies the receiver's replies by a
	// lower-case substring of the diagnostic.
	marker string
	// Rules are tried in order, when the receiver is identified.
	Rules []vendorRule
	// tokens are the receiver's own codes, found by tokenPattern; they
	// are unique to the receiver and need no identification.
	tokens []tokenRule
	// token, when set, reads a token with a number in it ("AUP#In-1320")
	// and returns its meaning, or "".
	token func(tok string) record.Reason
	// codes, when set, reads the receiver's own code tables (statuses
	// outside the IANA registry, prefixed codes, identifiers) in the
	// diagnostic without identification: the reason and the evidence
	// after "vendor <name>: ".
	codes func(c *clue) (record.Reason, string, bool)
}

// vendorRule is one receiver-specific meaning. A rule matches when every
// condition it sets holds.
type vendorRule struct {
	reason record.Reason
	// Re is matched against the lower-cased diagnostic.
	Re *textmatch.Pattern
	// subject and details restrict the rule to enhanced statuses X.s.d
	// with d in [details[0], details[1]].
	subject int
	details [2]int
	// cmd restricts the rule to one SMTP stage.
	cmd string
	// what names the matched code or text in the evidence.
	what string
}

func (v vendorRule) match(c *clue) (string, bool) {
	ev := v.what
	if v.subject != 0 {
		if int(c.status.Subject()) != v.subject || c.status.Detail() < v.details[0] || c.status.Detail() > v.details[1] {
			return "", false
		}
		if ev == "" {
			ev = "status " + c.status.String()
		}
	}
	if v.cmd != "" && c.cmd != v.cmd {
		return "", false
	}
	if v.Re != nil {
		loc := v.Re.Index(c.ldiag)
		if loc == nil {
			return "", false
		}
		if ev == "" {
			ev = "text " + quoteSpan(c.ldiag, c.diag, loc)
		}
	}
	return ev, true
}

// is reports whether the receiver, receivers[i], is the one the clue is
// about.
func (rc *receiver) is(c *clue, i int) bool {
	if i < 64 {
		if c.receiverNames()&(1<<i) != 0 {
			return true
		}
	} else if rc.names(c) {
		return true
	}
	if rc.marker == "" {
		return false
	}
	if i < 64 && receiverMarkers.indexed[i] {
		return c.receiverMarks()&(1<<i) != 0
	}
	return strings.Contains(c.ldiag, rc.marker)
}

// names reports whether the recipient domain ends with one of the
// receiver's domains or the remote host with one of its hosts.
func (rc *receiver) names(c *clue) bool {
	for _, d := range rc.domains {
		if hasDomainSuffix(c.domain, d) {
			return true
		}
	}
	for _, h := range rc.hosts {
		if hasDomainSuffix(c.remote, h) {
			return true
		}
	}
	return false
}

// receiverMarkers finds the receivers' markers in a diagnostic in one
// pass, and their domains and hosts by a lookup of each suffix.
var receiverMarkers = newReceiverMarkIndex(receivers)

// receiverMarkIndex identifies the first 64 receivers. ac is an
// automaton over their markers that are in lower case (the automaton
// folds ASCII case, so that it finds those exactly in lower-cased
// text); rcv gives each literal's receiver, and indexed tells which
// receivers it covers. domains and hosts give for each of the
// receivers' domains and hosts a bit for each receiver that lists it.
type receiverMarkIndex struct {
	ac             *literal.Automaton
	rcv            []int
	indexed        [64]bool
	domains, hosts map[string]uint64
}

func newReceiverMarkIndex(rcs []*receiver) *receiverMarkIndex {
	x := &receiverMarkIndex{domains: map[string]uint64{}, hosts: map[string]uint64{}}
	var lits []string
	for i, rc := range rcs {
		if i >= 64 {
			break
		}
		for _, d := range rc.domains {
			x.domains[d] |= 1 << i
		}
		for _, h := range rc.hosts {
			x.hosts[h] |= 1 << i
		}
		if rc.marker != "" && rc.marker == literal.LowerASCII(rc.marker) {
			lits = append(lits, rc.marker)
			x.rcv = append(x.rcv, i)
			x.indexed[i] = true
		}
	}
	x.ac = literal.NewAutomaton(lits)
	return x
}

// receiverNames returns a bit for each of the first 64 receivers that
// the recipient domain or the remote host names (see receiver.names),
// found on first use.
func (c *clue) receiverNames() uint64 {
	if !c.namesFound {
		x := receiverMarkers
		c.names = suffixBits(x.domains, c.domain) | suffixBits(x.hosts, c.remote)
		c.namesFound = true
	}
	return c.names
}

// suffixBits returns the bits that names gives the names host ends
// with, as hasDomainSuffix decides: host itself, and at each dot of it
// the rest from the dot (a name given with a leading dot) and after it.
func suffixBits(names map[string]uint64, host string) uint64 {
	bits := names[host]
	for i := 0; i < len(host); i++ {
		if host[i] == '.' {
			bits |= names[host[i:]] | names[host[i+1:]]
		}
	}
	return bits
}

// receiverMarks returns a bit for each indexed receiver whose marker
// the lower-cased diagnostic holds, from one scan made on first use.
func (c *clue) receiverMarks() uint64 {
	if !c.marksScanned {
		x := receiverMarkers
		var buf [64]int32
		first := buf[:len(x.rcv)]
		x.ac.FirstIndex(c.ldiag, first)
		for id, k := range first {
			if k >= 0 {
				c.marks |= 1 << x.rcv[id]
			}
		}
		c.marksScanned = true
	}
	return c.marks
}

// hasDomainSuffix reports whether host is domain or one of its
// subdomains.
func hasDomainSuffix(host, domain string) bool {
	if host == domain {
		return true
	}
	if !strings.HasSuffix(host, domain) {
		return false
	}
	// host ends with "."+domain, or domain starts with ".".
	return len(host) > len(domain) && host[len(host)-len(domain)-1] == '.' || strings.HasPrefix(domain, ".")
}

func re(s string) *textmatch.Pattern { return textmatch.Pat(s) }

// receivers lists the receivers in the order they are consulted. Within
// each step of vendorReason (tokens, code tables, identified rules) the
// receivers are tried in this order; a receiver without tables for a step
// is skipped there.
var receivers = []*receiver{
	&orangeReceiver,
	&microsoftReceiver,
	&googleReceiver,
	&yahooReceiver,
	&appleReceiver,
	&coxReceiver,
	&comcastReceiver,
	&spectrumReceiver,
	&docomoReceiver,
	&mailruReceiver,
	&kddiReceiver,
	&tencentReceiver,
	&godaddyReceiver,
	&facebookReceiver,
	&iuaReceiver,
	&mimecastReceiver,
	&messagelabsReceiver,
	&barracudaReceiver,
}

// tokenRule gives the meaning of one of a receiver's own codes.
type tokenRule struct {
	re     *textmatch.Pattern // matched against the token as found
	reason record.Reason
	// cmd, when set, restricts the rule to one SMTP stage.
	cmd string
}

// vendorReason applies the receivers' own codes and texts: first the
// tokens of the reply, then the code tables, then the rules of the
// receivers that the recipient domain, the remote host or a marker
// identifies.
func vendorReason(c *clue) (record.Reason, string, bool) {
	for _, t := range c.tokens {
		for _, rc := range receivers {
			for _, tr := range rc.tokens {
				if (tr.cmd == "" || tr.cmd == c.cmd) && tr.re.Matches(t) {
					return tr.reason, "vendor " + rc.name + ": token " + t, true
				}
			}
			if rc.token != nil {
				if reason := rc.token(t); reason != "" {
					return reason, "vendor " + rc.name + ": token " + t, true
				}
			}
		}
	}
	for _, rc := range receivers {
		if rc.codes == nil {
			continue
		}
		if reason, ev, ok := rc.codes(c); ok {
			return reason, "vendor " + rc.name + ": " + ev, true
		}
	}
	for i, rc := range receivers {
		if len(rc.Rules) == 0 || !rc.is(c, i) {
			continue
		}
		for _, v := range rc.Rules {
			if ev, ok := v.match(c); ok {
				return v.reason, "vendor " + rc.name + ": " + ev, true
			}
		}
	}
	return "", "", false
}
