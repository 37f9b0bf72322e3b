package remedy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"
)

// refMatch is Match written plainly from the documented rules, without
// the index: every entry is evaluated and every pattern is run on the
// whole joined text. Match must always give the same result.
func refMatch(c *Catalogue, f Facts) []Match {
	texts, causeEnd := f.Texts, -1
	if f.Cause != "" {
		texts, causeEnd = append([]string{f.Cause}, f.Texts...), len(f.Cause)
	}
	joined := strings.Join(texts, "\n")
	wordSet := func(s string) map[string]bool {
		out := map[string]bool{}
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r >= 0x80 || !isWordByte(byte(r)) }) {
			out[strings.ToUpper(w)] = true
		}
		return out
	}
	words, causeWords := wordSet(joined), wordSet(f.Cause)
	st, hasStatus := parseStatus(f.Status)
	domain, host := recipientDomain(f.Recipient), remoteHost(f.RemoteMTA)
	receiverWhy := func(name string) string {
		for _, r := range c.receivers {
			if r.Name != name {
				continue
			}
			for _, d := range r.Domains {
				if hasSuffix(domain, d) {
					return "domain " + domain
				}
			}
			for _, h := range r.Hosts {
				if hasSuffix(host, h) {
					return "host " + host
				}
			}
		}
		return ""
	}
	type kind = refKind
	eval := func(reasons, statuses, tokens, texts []string) []kind {
		var out []kind
		if len(tokens) > 0 {
			var found []kind
			for _, t := range tokens {
				if lit, _ := refToken(t); lit != "" && words[lit] {
					found = append(found, kind{"token " + lit, scoreToken, len(lit), causeWords[lit]})
				}
			}
			for _, t := range tokens {
				if _, re := refToken(t); re != nil {
					if loc := re.FindStringSubmatchIndex(joined); loc != nil {
						found = append(found, kind{"token " + joined[loc[2]:loc[3]], scoreToken, loc[3] - loc[2], loc[2] < causeEnd})
					}
				}
			}
			out = append(out, refFirst(found))
		}
		if len(statuses) > 0 {
			k := kind{}
			for _, s := range statuses {
				p, _ := parseStatusPattern(s)
				if sc := p.match(st); hasStatus && sc > k.score {
					k = kind{fmt.Sprintf("status %d.%d.%d", st.class, st.subject, st.detail), sc, 0, false}
					if k.trigger != "status "+s {
						k.trigger += " (" + s + ")"
					}
				}
			}
			out = append(out, k)
		}
		if len(texts) > 0 {
			var found []kind
			for _, t := range texts {
				if loc := refRegexp(t).FindStringIndex(joined); loc != nil {
					found = append(found, kind{"text " + strconv.Quote(clip(joined[loc[0]:loc[1]], 80)), scoreText, loc[1] - loc[0], loc[0] < causeEnd})
				}
			}
			out = append(out, refFirst(found))
		}
		if len(reasons) > 0 {
			k := kind{}
			if f.Reason != "" && slices.Contains(reasons, f.Reason) {
				k = kind{"reason " + f.Reason, scoreReason, 0, false}
			}
			out = append(out, k)
		}
		return out
	}
	var out []Match
	for pos, e := range c.entries {
		w := &e.When
		scope := ""
		if len(w.Receivers)+len(w.Domains)+len(w.Hosts) > 0 {
			for _, r := range w.Receivers {
				if why := receiverWhy(r); why != "" {
					scope = "receiver " + r + " (" + why + ")"
					break
				}
			}
			for _, d := range w.Domains {
				if scope == "" && hasSuffix(domain, d) {
					scope = "domain " + domain
				}
			}
			for _, h := range w.Hosts {
				if scope == "" && hasSuffix(host, h) {
					scope = "host " + host
				}
			}
			if scope == "" {
				continue
			}
		}
		if len(w.Actions) > 0 && !slices.Contains(w.Actions, strings.ToLower(strings.TrimSpace(f.Action))) {
			continue
		}
		if len(w.ReplyCodes) > 0 && !slices.Contains(w.ReplyCodes, f.ReplyCode) {
			continue
		}
		rcptDomain := refRegistrable(f.Recipient)
		wrote := rcptDomain // the registrable domain of the address the sender wrote
		if o := refRegistrable(f.OriginalRecipient); o != "" {
			wrote = o
		}
		if w.SameDomain && (wrote == "" || refRegistrable(f.Sender) != wrote) ||
			w.Local && !f.Local ||
			w.Forwarded && (rcptDomain == "" || refRegistrable(f.OriginalRecipient) == "" || refLocal(f.OriginalRecipient) == refLocal(f.Recipient)) ||
			w.Unreachable && !f.Unreachable ||
			w.AutoResponse && !f.AutoResponse ||
			w.ListMessage && !f.ListMessage ||
			w.RemoteServer && (host == "" || f.Submission) {
			continue
		}
		recipientServer := ""
		if w.RecipientServer {
			recipientServer = refRecipientServer(c, f, host)
			if recipientServer == "" {
				continue
			}
		}
		m := Match{Entry: e, pos: pos}
		inCause := false
		for _, k := range eval(w.Reasons, w.Statuses, w.Tokens, w.Texts) {
			if k.score > 0 {
				m.Triggers = append(m.Triggers, k.trigger)
				// With a cause, the status is the wrapper's and adds nothing.
				if causeEnd < 0 || !strings.HasPrefix(k.trigger, "status ") {
					m.Score += k.score
				}
				m.span += k.span
				inCause = inCause || k.cause
			}
		}
		if len(m.Triggers) == 0 {
			continue
		}
		if inCause {
			m.Score += scoreCause
		}
		ok := true
		q := &w.Require
		for _, k := range eval(q.Reasons, q.Statuses, q.Tokens, q.Texts) {
			if k.score == 0 {
				ok = false
			} else if !slices.Contains(m.Triggers, k.trigger) {
				m.Triggers = append(m.Triggers, k.trigger)
				m.Score += k.score
				m.span += k.span
			}
		}
		x := &w.Exclude
		for _, k := range eval(x.Reasons, x.Statuses, x.Tokens, x.Texts) {
			if k.score > 0 {
				ok = false
			}
		}
		if !ok {
			continue
		}
		if scope != "" {
			m.Triggers = append(m.Triggers, scope)
			m.Score += scoreReceiver
		}
		if len(w.ReplyCodes) > 0 {
			m.Triggers = append(m.Triggers, "reply code "+strconv.Itoa(f.ReplyCode))
			m.Score += scoreReplyCode
		}
		if len(w.Actions) > 0 {
			m.Triggers = append(m.Triggers, "action "+strings.ToLower(strings.TrimSpace(f.Action)))
			m.Score += scoreAction
		}
		if w.SameDomain {
			m.Triggers = append(m.Triggers, "same domain "+wrote)
			m.Score += scoreSameDomain
		}
		if w.Local {
			m.Triggers = append(m.Triggers, "failure decided by the reporting host")
			m.Score += scoreLocal
		}
		if w.Forwarded {
			m.Triggers = append(m.Triggers, "original recipient "+strings.Trim(strings.TrimSpace(f.OriginalRecipient), "<>"))
			m.Score += scoreForwarded
		}
		if w.Unreachable {
			m.Triggers = append(m.Triggers, "no recipient's server reached")
			m.Score += scoreUnreachable
		}
		if recipientServer != "" {
			m.Triggers = append(m.Triggers, recipientServer)
			m.Score += scoreRecipientServer
		}
		if w.AutoResponse {
			m.Triggers = append(m.Triggers, "the failed message was an automatic response")
			m.Score += scoreAutoResponse
		}
		if w.RemoteServer {
			m.Triggers = append(m.Triggers, triggerRemoteServer+host)
			m.Score += scoreRemoteServer
		}
		if w.ListMessage {
			m.Triggers = append(m.Triggers, "the failed message was a mailing list's copy")
			m.Score += scoreListMessage
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.span != b.span {
			return a.span > b.span
		}
		if len(a.Triggers) != len(b.Triggers) {
			return len(a.Triggers) > len(b.Triggers)
		}
		return a.pos < b.pos
	})
	return out
}

// refKind is one kind of evidence as the reference evaluates it. A
// kind's item is the first in the entry's order that matches in the
// cause, else the first that matches at all: plain tokens before token
// patterns.
type refKind struct {
	trigger string
	score   int
	span    int
	cause   bool // found in Facts.Cause
}

// refFirst returns the first kind found in the cause, else the first
// found, else the zero kind.
func refFirst(found []refKind) refKind {
	for _, k := range found {
		if k.cause {
			return k
		}
	}
	if len(found) > 0 {
		return found[0]
	}
	return refKind{}
}

// refRecipientServer is the trigger of the RecipientServer constraint,
// "" when it does not hold.
func refRecipientServer(c *Catalogue, f Facts, host string) string {
	rcpt := refRegistrable(f.Recipient)
	if host != "" && rcpt != "" {
		h := strings.ToLower(strings.TrimSuffix(host, "."))
		reg, err := publicsuffix.EffectiveTLDPlusOne(h)
		if err != nil {
			reg = h
		}
		if h == recipientDomain(f.Recipient) || reg == rcpt && strings.HasSuffix(h, rcpt) {
			return "recipient's server: host " + host
		}
	}
	by := remoteHost(f.ReportedBy)
	if strings.Contains(f.ReportedBy, "@") {
		by = strings.Trim(strings.TrimSpace(f.ReportedBy), "<>")
		by = strings.TrimSuffix(strings.ToLower(strings.Trim(by[strings.LastIndexByte(by, '@')+1:], "<> ")), ".")
	}
	if by == "" {
		return ""
	}
	for _, r := range c.receivers {
		for _, d := range append(append([]string(nil), r.Domains...), r.Hosts...) {
			if by == d || strings.HasSuffix(by, "."+d) {
				return "recipient's server: written by mail service " + by + " (" + r.Name + ")"
			}
		}
	}
	return ""
}

// refRegistrable is the registrable domain of an address by the public
// suffix list, the whole domain when the list gives none, "" without a
// domain.
func refRegistrable(addr string) string {
	a := strings.Trim(strings.TrimSpace(addr), "<>")
	i := strings.LastIndexByte(a, '@')
	if i < 0 {
		return ""
	}
	d := strings.TrimSuffix(strings.ToLower(strings.Trim(a[i+1:], "<> ")), ".")
	if d == "" {
		return ""
	}
	if r, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return r
	}
	return d
}

var refRegexps sync.Map // text pattern -> *regexp.Regexp

func refRegexp(t string) *regexp.Regexp {
	if re, ok := refRegexps.Load(t); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile("(?i)" + t)
	refRegexps.Store(t, re)
	return re
}

type refTokenPattern struct {
	lit string
	re  *regexp.Regexp
}

var refTokens sync.Map // token -> refTokenPattern

func refToken(t string) (string, *regexp.Regexp) {
	if p, ok := refTokens.Load(t); ok {
		return p.(refTokenPattern).lit, p.(refTokenPattern).re
	}
	lit, p, err := parseToken(t)
	if err != nil {
		panic(err)
	}
	refTokens.Store(t, refTokenPattern{lit, p.re})
	return lit, p.re
}

type matchSummary struct {
	ID       string
	Triggers []string
	Score    int
}

func summarize(ms []Match) []matchSummary {
	var out []matchSummary
	for _, m := range ms {
		out = append(out, matchSummary{m.Entry.ID, m.Triggers, m.Score})
	}
	return out
}

func checkSameAsReference(t *testing.T, c *Catalogue, f Facts) {
	t.Helper()
	want, got := summarize(refMatch(c, f)), summarize(c.Match(f))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Match(%+v) differs from the reference (-want +got):\n%s", f, diff)
	}
}

// samples returns strings that the pattern's parts spell out: literals,
// one member of each class, both ways of an optional part and every
// branch of an alternation, up to a few variants.
func samples(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return spell(re)
}

func spell(re *syntax.Regexp) []string {
	const most = 6
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return nil
		}
		out := []string{string(re.Rune[0])}
		if last := re.Rune[len(re.Rune)-1]; last != re.Rune[0] && last < 0x10000 {
			out = append(out, string(last))
		}
		return out
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return []string{"x", "é"}
	case syntax.OpCapture:
		return spell(re.Sub[0])
	case syntax.OpQuest:
		return append(spell(re.Sub[0]), "")
	case syntax.OpStar:
		return append([]string{""}, spell(re.Sub[0])...)
	case syntax.OpPlus:
		return spell(re.Sub[0])
	case syntax.OpRepeat:
		var out []string
		for _, s := range spell(re.Sub[0]) {
			out = append(out, strings.Repeat(s, max(re.Min, 1)))
		}
		return out
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			var next []string
			parts := spell(sub)
			for _, a := range out {
				for _, b := range parts {
					if len(next) < most {
						next = append(next, a+b)
					}
				}
			}
			out = next
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			out = append(out, spell(sub)...)
		}
		if len(out) > most {
			out = out[:most]
		}
		return out
	}
	return []string{""}
}

// refTexts returns texts that exercise the catalogue's patterns: what
// every pattern spells out, in several cases, inside longer lines, at
// the start and end of lines and texts, after word characters, and with
// runes that fold to ASCII letters.
func refTexts(c *Catalogue) []string {
	var pats []string
	for _, e := range c.Entries() {
		pats = append(pats, e.When.Texts...)
		pats = append(pats, e.When.Require.Texts...)
		for _, t := range append(e.When.Tokens, e.When.Require.Tokens...) {
			pats = append(pats, strings.NewReplacer("#", "4", "*", "Ab1").Replace(t))
		}
	}
	var out []string
	fold := strings.NewReplacer("k", "\u212a", "s", "\u017f")
	for _, p := range pats {
		for i, s := range samples(p) {
			out = append(out, s, "x"+s+"_", "550 5.7.1 "+strings.ToUpper(s)+".\nnext line "+strings.ToLower(s)+"\n")
			if i == 0 {
				out = append(out, "first line\n  é"+s+" (in reply to RCPT TO)\nthen "+s, fold.Replace(s))
			}
		}
	}
	return out
}

func TestMatchSameAsReference(t *testing.T) {
	c := Default()
	var facts []Facts
	for _, mc := range matchCases {
		facts = append(facts, mc.facts)
	}
	for _, bc := range benchCases {
		facts = append(facts, bc.facts)
		f := bc.facts
		f.Texts = []string{strings.ToUpper(strings.Join(f.Texts, "\n"))}
		facts = append(facts, f)
		f.Texts = []string{strings.ReplaceAll(strings.Join(bc.facts.Texts, "\n"), "k", "\u212a")}
		facts = append(facts, f)
	}
	texts := refTexts(c)
	reasons := append([]string{""}, Reasons...)
	statuses := []string{"", "5.1.1", "4.7.650", "5.7.26", "5.7.612", "4.4.7", "5.7.1", "5.7.515"}
	rcpts := []string{"", "user@example.com", "u@docomo.ne.jp", "u@aol.com", "u@hotmail.com", "u@yahoo.co.jp"}
	for i, s := range texts {
		f := Facts{
			Reason:    reasons[i%len(reasons)],
			Status:    statuses[i%len(statuses)],
			ReplyCode: []int{0, 550, 421, 451, 554}[i%5],
			Recipient: rcpts[i%len(rcpts)],
			RemoteMTA: []string{"", "dns; mx.yahoodns.net", "x.prod.outlook.com"}[i%3],
			// The parties: a sender and an original recipient in the
			// recipient's domain or in another, and local failures.
			Sender:            []string{"", "info@example.com", "web@www.example.com", "x@aol.com"}[i%4],
			OriginalRecipient: []string{"", "info@example.jp", "alias@example.com", "info", "u@tokyo.yahoo.co.jp"}[i%5],
			Local:             i%7 < 3,
			AutoResponse:      i%11 < 2,
			ListMessage:       i%13 < 3,
			Submission:        i%17 < 3,
			Action:            []string{"", "failed", "delayed", "DELAYED", " Delayed ", "delivered"}[i%6],
		}
		// Alone, next to other patterns' texts, and among a longer text.
		f.Texts = []string{s}
		facts = append(facts, f)
		if i%2 == 0 {
			f.Texts = []string{texts[(i*7+3)%len(texts)], s, texts[(i*13+5)%len(texts)]}
			facts = append(facts, f)
		}
		if i%3 == 0 {
			// The text as the quoted cause, or another text as the cause
			// and the text in the wrapper.
			f.Cause, f.Texts = s, []string{texts[(i*5+1)%len(texts)] + " -> " + s}
			facts = append(facts, f)
			f.Cause, f.Texts = texts[(i*11+2)%len(texts)], []string{s}
			facts = append(facts, f)
			f.Cause = ""
		}
		if i%8 == 0 {
			k := i * 31 % len(postfixNotice)
			f.Texts = []string{postfixNotice[:k] + s + postfixNotice[k:]}
			facts = append(facts, f)
		}
	}
	// The reference is slow: check in parallel pieces. Under the race
	// detector, which looks for data races and not for differences from
	// the reference, one fact in eight is checked; the run without it
	// (.ci/run) checks them all.
	const pieces = 4
	step := pieces
	if raceEnabled {
		step = 8 * pieces
	}
	for k := range pieces {
		t.Run(strconv.Itoa(k), func(t *testing.T) {
			t.Parallel()
			for i := k; i < len(facts); i += step {
				checkSameAsReference(t, c, facts[i])
			}
		})
	}
}

func FuzzMatch(f *testing.F) {
	// TestMatchSameAsReference already checks every reference text; a sample
	// of them is enough to start the fuzzer from.
	for i, s := range refTexts(Default()) {
		if i%25 == 0 {
			f.Add(s, "", postfixNotice[:i%len(postfixNotice)], uint8(i), "5.7.1")
		}
	}
	for _, bc := range benchCases {
		f.Add(bc.facts.Texts[0], bc.facts.Texts[1], bc.facts.Texts[2], uint8(1), bc.facts.Status)
	}
	f.Fuzz(func(t *testing.T, a, b, c string, reason uint8, status string) {
		reasons := append([]string{""}, Reasons...)
		f := Facts{
			Texts:     []string{a, b, c},
			Reason:    reasons[int(reason)%len(reasons)],
			Status:    status,
			Recipient: "user@yahoo.co.jp",
			// The parties vary with the reason's byte: the sender in the
			// recipient's domain or not, a forwarding or not, a local
			// failure or not.
			Sender:            []string{"info@yahoo.co.jp", "info@example.jp"}[reason>>7],
			OriginalRecipient: []string{"", "alias@example.jp"}[reason>>6&1],
			Local:             reason>>5&1 == 1,
			AutoResponse:      reason>>4&1 == 1,
			ListMessage:       reason>>3&1 == 1,
		}
		checkSameAsReference(t, Default(), f)
		// b as the reply that a wraps.
		f.Cause, f.Texts = b, []string{a, c}
		checkSameAsReference(t, Default(), f)
	})
}

// TestMatchWindows checks, on patterns made for it, that searching only
// the lines and places the literals point to finds what a search of the
// whole text finds.
func TestMatchWindows(t *testing.T) {
	patterns := []string{
		`alpha\s+beta`,             // a match can span lines
		`(?m)^\d?ERR`,              // ^ in multi-line mode
		`xy.{0,2}zz`,               // any character is up to four bytes
		`\x{FFFD}?xyz`,             // a search must start at a rune
		`\bfoo bar\b`,              // word boundaries at both ends
		`\Bqux`,                    // no word boundary
		`^start here`,              // start of the text
		`end here$`,                // end of the text
		`(?s)lead.tail`,            // . matches a newline
		`[^x]yz1`,                  // a negated class matches a newline
		`k9 ok`,                    // K and k fold together
		`(?m)done\.?\s*$`,          // trailing space up to the end of a line
		`v[eé]rifier (la|le) code`, // a non-ASCII letter
		`(gr[ae]y|black)list(ed)?`, // alternatives of literals
		`(ab|abc)x?`,               // the preferred alternative is not the longest
		`colou??r`,                 // a lazy optional part
		`\bqq(rr)?\b`,              // word boundaries around alternatives
		`[12][ab]z`,                // small classes
		`(?-i:Case)d`,              // case matters
		`(?-i:[ab])z`,              // case matters in a class
		`ab(cd)??`,                 // the lazy choice at one place
		`\b-q(z|y)`,                // \b before a non-word byte
	}
	var entries []string
	for i, p := range patterns {
		q, _ := json.Marshal(p)
		entries = append(entries, entryJSON(fmt.Sprintf("p%d", i), `"texts": [`+string(q)+`]`))
	}
	entries = append(entries,
		entryJSON("tok", `"tokens": ["AB#", "Q*_1", "ZZ9"]`),
		entryJSON("digits", `"tokens": ["#"], "texts": ["[0-9]{3}"]`),
		entryJSON("class", `"statuses": ["5."]`),
		entryJSON("subject", `"statuses": ["x.2.0", "4.7.1-9"], "require": {"texts": ["full"]}`))
	c, err := Load(fstest.MapFS{"a.json": {Data: []byte(`{"entries": [` + strings.Join(entries, ",") + `]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"alpha\nbeta", "alpha  beta", "x alpha", "a5ERR\n7ERR", "5ERR", "ERR\nERR",
		"xyéézz", "xyあzz", "xy\nzz xyzz", "😀xyz", "xxyz", "\xffxyz",
		"xfoo bar foo bar", "foo barx foo bar", "foo bar", "afoo bar_ foo bar.",
		"aqux qux", "qux aqux", "x\nstart here", "start here", "end here\nx", "x end here",
		"lead\ntail", "x\nyz1", "\nyz1", "\u212a9 ok", "K9 OK", "k9 ok", "done. \n", "done\n\nx", "done x\ndone",
		"vérifier le code", "VÉRIFIER LA CODE", "verifier le code", "greylisted", "GRAYLIST blacklisted",
		"AB12 Qx_1 ZZ9", "ab1", "zz9x", "q_1", "xAB1", "AB(1)", "a\u017fb", "disk full", "12", "1234",
		"abcx abx", "ABC", "colour color", "COLOR", "qqrrx qq", "qqrr", "xqq qqrr", "1Bz 2az", "CASEd cased Cased", "caseD",
		"Az az", "abcd", "a-qy -qz",
	}
	statuses := []string{"", "5.1.1", "4.2.0", "4.7.3"}
	for i, a := range texts {
		for j, b := range texts {
			checkSameAsReference(t, c, Facts{Texts: []string{a, b}, Status: statuses[(i+j)%len(statuses)]})
			checkSameAsReference(t, c, Facts{Cause: a, Texts: []string{b}, Status: statuses[(i+j)%len(statuses)]})
			if j == i {
				checkSameAsReference(t, c, Facts{Texts: []string{postfixNotice[:i*40] + a + postfixNotice[i*40:]}})
			}
		}
	}
}

// refLocal is the lower-cased local part of addr, "" without one.
func refLocal(addr string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	if i := strings.LastIndexByte(addr, '@'); i > 0 {
		return strings.ToLower(strings.Trim(addr[:i], `"`))
	}
	return ""
}
