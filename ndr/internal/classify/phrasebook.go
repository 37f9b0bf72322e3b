package classify

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textmatch"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// The phrasebook is the reason vocabulary as data: the phrases that
// receiving servers and sending MTAs write for each reason, each with the
// place its wording comes from. The files are in phrases/*.txt, embedded
// and read once when the package is initialised; callers add their own
// with ParsePhrases.
//
// A file is read line by line:
//
//	# a comment
//	[tier]                        one of override, phrase, general, fallback
//	@source <where the wording comes from>
//	<reason>[/<refine>] <expression> [;; <source of this line only>]
//
// A phrase line gives a reason of the vocabulary and a regular
// expression (RE2 syntax) matched against the lower-cased diagnostic; the
// expression must be in lower case and hold at least one literal of two
// bytes or more, by which one pass over the text finds the rules that may
// match. Its source is the one given on the line after ";;", else the
// last @source line of the file; a phrase without a source is an error.
// The refine "missingdomain" decides whose domain a "<domain> does not
// exist" names (the recipient's: hostunknown; any other: rejected);
// "retried" makes a network failure that the sending MTA met itself
// (no reply code) expired when the report is final, since the MTA
// retried it until the message expired; "unrouteable" reads Exim's
// "Unrouteable address" as the sending MTA's (no reply code: the domain
// did not route, hostunknown) or a receiving server's recipient check
// (userunknown).
//
// Consecutive phrase lines of one tier with the same reason make one
// rule; rules are tried in the order of the files (by name) and of their
// lines, and the first rule that matches decides. The tiers are the steps
// of the precedence of evidence (see classify): override phrases win over
// any status; phrase entries are the specific statements (a mailbox that
// does not exist, a full mailbox, a message too big) that win over a
// specific enhanced status; general entries are the vague ones
// ("blocked", "transaction failed") that a specific status beats;
// fallback entries (a bare "recipient address rejected") come after
// every status.

// tier is a step of the precedence in which a phrase is tried.
type tier int

const (
	tierOverride tier = iota
	tierPhrase
	tierGeneral
	tierFallback
	numTiers
)

var tierNames = [numTiers]string{"override", "phrase", "general", "fallback"}

// phrase is one entry of a phrasebook file.
type phrase struct {
	file   string
	line   int
	tier   tier
	reason record.Reason
	refine string
	expr   string
	source string
}

// PhraseError is an error in a phrasebook file, at a line (0 for the
// file as a whole).
type PhraseError struct {
	File string
	Line int
	Err  error
}

func (e *PhraseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *PhraseError) Unwrap() error { return e.Err }

// refiners are the refinements a phrase may name.
var refiners = map[string]func(c *clue, span string) record.Reason{
	"missingdomain": missingDomainOwner,
	"retried":       retriedNetwork,
	"unrouteable":   unrouteable,
}

// maxPhraseLine bounds the length of a phrasebook line.
const maxPhraseLine = 4096

// parsePhrases reads one phrasebook file.
func parsePhrases(name string, data []byte) ([]phrase, error) {
	var out []phrase
	cur := tier(-1)
	source := ""
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 1024), maxPhraseLine)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		fail := func(format string, args ...any) error {
			return &PhraseError{File: name, Line: n, Err: fmt.Errorf(format, args...)}
		}
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "["):
			t := strings.TrimSuffix(strings.TrimPrefix(line, "["), "]")
			k := slices.Index(tierNames[:], t)
			if k < 0 || !strings.HasSuffix(line, "]") {
				return nil, fail("unknown tier %q (want one of %s)", line, strings.Join(tierNames[:], ", "))
			}
			cur = tier(k)
			continue
		case strings.HasPrefix(line, "@source"):
			source = strings.TrimSpace(strings.TrimPrefix(line, "@source"))
			if source == "" {
				return nil, fail("empty @source")
			}
			continue
		case strings.HasPrefix(line, "@"):
			return nil, fail("unknown directive %q", strings.Fields(line)[0])
		}
		if cur < 0 {
			return nil, fail("phrase before the first [tier] line")
		}
		p := phrase{file: name, line: n, tier: cur, source: source}
		head, rest, _ := strings.Cut(line, " ")
		reason, refine, _ := strings.Cut(head, "/")
		p.reason, p.refine = record.Reason(reason), refine
		if !slices.Contains(record.Reasons(), p.reason) {
			return nil, fail("unknown reason %q", reason)
		}
		if refine != "" && refiners[refine] == nil {
			return nil, fail("unknown refinement %q", refine)
		}
		expr, src, ok := strings.Cut(rest, ";;")
		if ok {
			p.source = strings.TrimSpace(src)
		}
		p.expr = strings.TrimSpace(expr)
		if p.source == "" {
			return nil, fail("phrase without a source (add \";; source\" or an @source line)")
		}
		if err := checkExpr(p.expr); err != nil {
			return nil, fail("%v", err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, &PhraseError{File: name, Err: err}
	}
	return out, nil
}

// checkExpr validates a phrase's expression: it compiles, is in lower
// case (the text it is matched against is), and has a prefilter literal.
func checkExpr(expr string) error {
	if expr == "" {
		return errors.New("empty expression")
	}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return err
	}
	if upperLiteral(tree) {
		return fmt.Errorf("expression %q has upper-case letters; the text it reads is lower-cased", expr)
	}
	if tree.Flags&syntax.FoldCase != 0 || strings.Contains(expr, "(?i") {
		return fmt.Errorf("expression %q: case folding is not needed, the text is lower-cased", expr)
	}
	p, err := compilePattern(expr)
	if err != nil {
		return err
	}
	if p.Lits == nil {
		return fmt.Errorf("expression %q has no literal that every match holds", expr)
	}
	return nil
}

// upperLiteral reports whether an expression's literals or classes hold
// an upper-case ASCII letter.
func upperLiteral(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r < 0x80 && textutil.IsUpper(byte(r)) {
				return true
			}
		}
	case syntax.OpCharClass:
		// A class with only upper-case ranges cannot match lower-cased
		// text; a class such as [^A-Z] may.
		if len(re.Rune) == 2 && re.Rune[0] >= 'A' && re.Rune[1] <= 'Z' {
			return true
		}
	}
	for _, s := range re.Sub {
		if upperLiteral(s) {
			return true
		}
	}
	return false
}

// compilePattern is textmatch.PatOf that returns an error instead of
// panicking.
func compilePattern(exprs ...string) (p *textmatch.Pattern, err error) {
	for _, expr := range exprs {
		if _, err := syntax.Parse(expr, syntax.Perl); err != nil {
			return nil, err
		}
	}
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("expressions %q: %v", exprs, r)
		}
	}()
	return textmatch.PatOf(exprs...), nil
}

// Phrasebook is a parsed set of phrases: for each tier, the rules in
// order.
type Phrasebook struct {
	sets [numTiers]*ruleSet
	// index finds the literals of all tiers in one pass over a text.
	index   *ruleIndex
	phrases []phrase
}

// rules groups phrases into rules: consecutive phrases of one file and
// tier with the same reason and refinement make one rule.
func groupRules(ps []phrase) ([numTiers][]textRule, error) {
	var out [numTiers][]textRule
	var exprs [numTiers][]string
	var last [numTiers]*phrase
	flush := func(t tier) error {
		p := last[t]
		if p == nil {
			return nil
		}
		pat, err := compilePattern(exprs[t]...)
		if err != nil {
			return &PhraseError{File: p.file, Line: p.line, Err: err}
		}
		out[t] = append(out[t], textRule{reason: p.reason, Re: pat, refine: refiners[p.refine]})
		if len(out[t]) > 64 {
			return &PhraseError{File: p.file, Line: p.line, Err: fmt.Errorf("more than 64 rules in tier %s", tierNames[t])}
		}
		exprs[t], last[t] = nil, nil
		return nil
	}
	for i := range ps {
		p := &ps[i]
		if l := last[p.tier]; l != nil && (l.file != p.file || l.reason != p.reason || l.refine != p.refine) {
			if err := flush(p.tier); err != nil {
				return out, err
			}
		}
		exprs[p.tier] = append(exprs[p.tier], p.expr)
		last[p.tier] = p
	}
	for t := range numTiers {
		if err := flush(t); err != nil {
			return out, err
		}
	}
	return out, nil
}

// ParsePhrases reads the phrasebook files of fsys that match the
// patterns (path.Match patterns; "*.txt" when none are given), in the
// order of their names, and returns them as a Phrasebook whose rules are
// tried before the built-in ones of each tier. Errors are *PhraseError,
// naming file and line.
func ParsePhrases(fsys fs.FS, patterns ...string) (*Phrasebook, error) {
	pb, err := parsePhrasebook(fsys, patterns)
	if err != nil {
		return nil, err
	}
	var sets []*ruleSet
	for _, rs := range pb.sets {
		if rs != nil {
			sets = append(sets, rs)
		}
	}
	pb.index = newRuleIndex(sets...)
	return pb, nil
}

func parsePhrasebook(fsys fs.FS, patterns []string) (*Phrasebook, error) {
	if len(patterns) == 0 {
		patterns = []string{"*.txt"}
	}
	var names []string
	for _, pat := range patterns {
		m, err := fs.Glob(fsys, pat)
		if err != nil {
			return nil, &PhraseError{File: pat, Err: err}
		}
		for _, n := range m {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil, &PhraseError{File: strings.Join(patterns, " "), Err: fs.ErrNotExist}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(path.Base(a), path.Base(b)) })
	pb := &Phrasebook{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, &PhraseError{File: name, Err: err}
		}
		ps, err := parsePhrases(name, data)
		if err != nil {
			return nil, err
		}
		pb.phrases = append(pb.phrases, ps...)
	}
	rules, err := groupRules(pb.phrases)
	if err != nil {
		return nil, err
	}
	for t := range numTiers {
		if len(rules[t]) > 0 {
			pb.sets[t] = newRuleSet(rules[t])
		}
	}
	return pb, nil
}

//go:embed phrases/*.txt
var phraseFiles embed.FS

// builtin is the embedded phrasebook.
var builtin = mustBuiltin()

func mustBuiltin() *Phrasebook {
	sub, err := fs.Sub(phraseFiles, "phrases")
	if err != nil {
		panic(err)
	}
	pb, err := parsePhrasebook(sub, nil)
	if err != nil {
		panic("classify: embedded phrasebook: " + err.Error())
	}
	for t := range numTiers {
		if pb.sets[t] == nil {
			pb.sets[t] = newRuleSet(nil)
		}
	}
	return pb
}
