package dnscheck

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// spfTerm is one mechanism of an SPF record (RFC 7208, section 5).
type spfTerm struct {
	qualifier byte   // '+', '-', '~' or '?'
	mech      string // all, include, a, mx, ptr, ip4, ip6, exists
	domain    string // domain-spec; "" means the current domain
	prefix    netip.Prefix
	cidr4     int // a and mx: prefix length for IPv4, 32 when absent
	cidr6     int // a and mx: prefix length for IPv6, 128 when absent
	raw       string
}

// spfRecord is a parsed SPF record.
type spfRecord struct {
	terms    []spfTerm
	redirect string // domain-spec of the redirect modifier, "" when absent
	exp      string
}

// SyntaxError describes a record that does not follow its grammar.
type SyntaxError struct {
	// Record is "spf", "dmarc" or "dkim".
	Record string
	// Term is the term in error, "" for the record as a whole.
	Term string
	// Reason says what is wrong.
	Reason string
}

// Error formats the error.
func (e *SyntaxError) Error() string {
	if e.Term == "" {
		return fmt.Sprintf("%s record: %s", e.Record, e.Reason)
	}
	return fmt.Sprintf("%s record: term %q: %s", e.Record, e.Term, e.Reason)
}

func spfErr(term, reason string) error {
	return &SyntaxError{Record: "spf", Term: term, Reason: reason}
}

// isSPF reports whether a TXT record is an SPF record: "v=spf1" alone or
// followed by a space (RFC 7208, section 4.5).
func isSPF(txt string) bool {
	if len(txt) < 6 || !strings.EqualFold(txt[:6], "v=spf1") {
		return false
	}
	return len(txt) == 6 || txt[6] == ' '
}

var (
	modifierName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
	dualCIDR     = regexp.MustCompile(`(?:/([0-9]+))?(?://([0-9]+))?$`)
)

// parseSPF parses an SPF record. It checks the grammar of RFC 7208,
// section 12, including macros in domain specifications; it does not look
// anything up.
func parseSPF(txt string) (*spfRecord, error) {
	if !isSPF(txt) {
		return nil, spfErr("", "does not start with v=spf1")
	}
	rec := &spfRecord{}
	seen := map[string]bool{}
	for _, term := range strings.Split(txt[6:], " ") {
		if term == "" {
			continue
		}
		if i := strings.IndexByte(term, '='); i > 0 && modifierName.MatchString(term[:i]) {
			name, val := strings.ToLower(term[:i]), term[i+1:]
			if err := checkMacroString(val); err != nil {
				return nil, spfErr(term, err.Error())
			}
			switch name {
			case "redirect", "exp":
				if seen[name] {
					return nil, spfErr(term, "modifier "+name+" appears more than once")
				}
				seen[name] = true
				if err := checkDomainSpec(val); err != nil {
					return nil, spfErr(term, err.Error())
				}
				if name == "redirect" {
					rec.redirect = val
				} else {
					rec.exp = val
				}
			}
			continue
		}
		t, err := parseMechanism(term)
		if err != nil {
			return nil, err
		}
		rec.terms = append(rec.terms, t)
	}
	return rec, nil
}

func parseMechanism(term string) (spfTerm, error) {
	t := spfTerm{qualifier: '+', cidr4: 32, cidr6: 128, raw: term}
	s := term
	switch s[0] {
	case '+', '-', '~', '?':
		t.qualifier = s[0]
		s = s[1:]
	}
	name, arg := s, ""
	hasArg := false
	if i := strings.IndexAny(s, ":/"); i >= 0 {
		name, arg = s[:i], s[i:]
		hasArg = true
	}
	t.mech = strings.ToLower(name)
	switch t.mech {
	case "all":
		if hasArg {
			return t, spfErr(term, "all takes no argument")
		}
	case "include", "exists":
		if !strings.HasPrefix(arg, ":") || len(arg) == 1 {
			return t, spfErr(term, t.mech+" needs a domain")
		}
		t.domain = arg[1:]
		if err := checkDomainSpec(t.domain); err != nil {
			return t, spfErr(term, err.Error())
		}
	case "ptr":
		if hasArg {
			if !strings.HasPrefix(arg, ":") || len(arg) == 1 {
				return t, spfErr(term, "ptr takes only a domain")
			}
			t.domain = arg[1:]
			if err := checkDomainSpec(t.domain); err != nil {
				return t, spfErr(term, err.Error())
			}
		}
	case "a", "mx":
		if !hasArg {
			break
		}
		m := dualCIDR.FindStringSubmatchIndex(arg)
		spec := arg[:m[0]]
		if m[2] >= 0 {
			n, err := strconv.Atoi(arg[m[2]:m[3]])
			if err != nil || n > 32 || (len(arg[m[2]:m[3]]) > 1 && arg[m[2]] == '0') {
				return t, spfErr(term, "invalid IPv4 prefix length")
			}
			t.cidr4 = n
		}
		if m[4] >= 0 {
			n, err := strconv.Atoi(arg[m[4]:m[5]])
			if err != nil || n > 128 || (len(arg[m[4]:m[5]]) > 1 && arg[m[4]] == '0') {
				return t, spfErr(term, "invalid IPv6 prefix length")
			}
			t.cidr6 = n
		}
		if spec != "" {
			if !strings.HasPrefix(spec, ":") || len(spec) == 1 {
				return t, spfErr(term, "malformed argument")
			}
			t.domain = spec[1:]
			if err := checkDomainSpec(t.domain); err != nil {
				return t, spfErr(term, err.Error())
			}
		}
	case "ip4", "ip6":
		if !strings.HasPrefix(arg, ":") {
			return t, spfErr(term, t.mech+" needs an address")
		}
		addr, bits := arg[1:], ""
		if i := strings.IndexByte(addr, '/'); i >= 0 {
			addr, bits = addr[:i], addr[i+1:]
		}
		ip, err := netip.ParseAddr(addr)
		if err != nil || ip.Zone() != "" || (t.mech == "ip4") != ip.Is4() {
			return t, spfErr(term, "invalid "+t.mech+" address")
		}
		n := ip.BitLen()
		if bits != "" {
			n, err = strconv.Atoi(bits)
			if err != nil || n < 0 || n > ip.BitLen() || (len(bits) > 1 && bits[0] == '0') {
				return t, spfErr(term, "invalid prefix length")
			}
		}
		t.prefix = netip.PrefixFrom(ip, n).Masked()
	default:
		return t, spfErr(term, "unknown mechanism")
	}
	return t, nil
}

// checkMacroString checks the macro syntax of RFC 7208, section 7.1.
func checkMacroString(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e {
			return fmt.Errorf("invalid character %q", c)
		}
		if c != '%' {
			continue
		}
		if i+1 >= len(s) {
			return fmt.Errorf("%% at the end")
		}
		i++
		switch s[i] {
		case '%', '_', '-':
			continue
		case '{':
		default:
			return fmt.Errorf("%%%c is not a macro", s[i])
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return fmt.Errorf("unclosed macro")
		}
		if _, err := parseMacro(s[i+1 : i+end]); err != nil {
			return err
		}
		i += end
	}
	return nil
}

// macro is one %{...} expression.
type macro struct {
	letter  byte // lower case
	upper   bool // URL-escape the expansion
	keep    int  // rightmost parts to keep, 0 for all
	reverse bool
	delims  string
}

func parseMacro(body string) (macro, error) {
	var m macro
	if body == "" {
		return m, fmt.Errorf("empty macro")
	}
	l := body[0]
	m.upper = l >= 'A' && l <= 'Z'
	if m.upper {
		l += 'a' - 'A'
	}
	if !strings.ContainsRune("slodiphcrtv", rune(l)) {
		return m, fmt.Errorf("unknown macro letter %q", body[0])
	}
	m.letter = l
	rest := body[1:]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j > 0 {
		n, err := strconv.Atoi(rest[:j])
		if err != nil || n == 0 || n > 128 {
			return m, fmt.Errorf("invalid macro digits")
		}
		m.keep = n
	}
	rest = rest[j:]
	if rest != "" && (rest[0] == 'r' || rest[0] == 'R') {
		m.reverse = true
		rest = rest[1:]
	}
	for _, c := range rest {
		if !strings.ContainsRune(".-+,/_=", c) {
			return m, fmt.Errorf("invalid macro delimiter %q", c)
		}
	}
	m.delims = rest
	return m, nil
}

// checkDomainSpec checks a domain-spec: a macro string that ends in a top
// label or a macro.
func checkDomainSpec(s string) error {
	if err := checkMacroString(s); err != nil {
		return err
	}
	if strings.HasSuffix(s, "}") && strings.Contains(s, "%{") {
		return nil
	}
	s = strings.TrimSuffix(s, ".")
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return fmt.Errorf("%q is not a domain name", s)
	}
	if !isTopLabel(s[i+1:]) {
		return fmt.Errorf("%q does not end in a valid top-level label", s)
	}
	return nil
}

// isTopLabel: letters, digits and inner hyphens, with at least one letter.
func isTopLabel(l string) bool {
	if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	alpha := false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			alpha = true
		case c >= '0' && c <= '9' || c == '-':
		default:
			return false
		}
	}
	return alpha
}

// macroEnv holds the values macros expand to.
type macroEnv struct {
	sender string // local-part@domain
	ip     netip.Addr
	domain string // the current domain
	helo   string
}

// expand expands the macros of a domain-spec (RFC 7208, section 7.3) and
// shortens the result to 253 characters by dropping labels from the left.
func expand(spec string, env macroEnv) (string, error) {
	var b strings.Builder
	for i := 0; i < len(spec); i++ {
		c := spec[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(spec) {
			return "", fmt.Errorf("%% at the end")
		}
		i++
		switch spec[i] {
		case '%':
			b.WriteByte('%')
			continue
		case '_':
			b.WriteByte(' ')
			continue
		case '-':
			b.WriteString("%20")
			continue
		}
		end := strings.IndexByte(spec[i:], '}')
		if spec[i] != '{' || end < 0 {
			return "", fmt.Errorf("malformed macro")
		}
		m, err := parseMacro(spec[i+1 : i+end])
		if err != nil {
			return "", err
		}
		i += end
		b.WriteString(m.apply(env))
	}
	out := strings.TrimSuffix(b.String(), ".")
	if len(out) > 253 {
		// Drop labels from the left until 253 characters remain: cut
		// after the first dot that leaves at most that many.
		j := strings.IndexByte(out[len(out)-254:], '.')
		if j < 0 {
			return "", fmt.Errorf("expansion too long")
		}
		out = out[len(out)-254+j+1:]
	}
	return out, nil
}

func (m macro) apply(env macroEnv) string {
	local, dom, _ := strings.Cut(env.sender, "@")
	var v string
	switch m.letter {
	case 's':
		v = env.sender
	case 'l':
		v = local
	case 'o':
		v = dom
	case 'd':
		v = env.domain
	case 'i':
		v = macroIP(env.ip)
	case 'p':
		v = "unknown"
	case 'v':
		v = "in-addr"
		if env.ip.Is6() && !env.ip.Is4In6() {
			v = "ip6"
		}
	case 'h':
		v = env.helo
	default: // c, r, t: only allowed in exp, which is never expanded here
		v = ""
	}
	delims := m.delims
	if delims == "" {
		delims = "."
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(delims, r) })
	if m.reverse {
		for a, z := 0, len(parts)-1; a < z; a, z = a+1, z-1 {
			parts[a], parts[z] = parts[z], parts[a]
		}
	}
	if m.keep > 0 && m.keep < len(parts) {
		parts = parts[len(parts)-m.keep:]
	}
	return strings.Join(parts, ".")
}

// macroIP writes an address as %{i} expands it: dotted quad, or dotted
// nibbles for IPv6.
func macroIP(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	const hex = "0123456789abcdef"
	b := ip.As16()
	out := make([]byte, 0, 63)
	for i, x := range b {
		if i > 0 {
			out = append(out, '.')
		}
		out = append(out, hex[x>>4], '.', hex[x&15])
	}
	return string(out)
}

// hasMacro reports whether a domain-spec needs expansion.
func hasMacro(spec string) bool { return strings.IndexByte(spec, '%') >= 0 }
