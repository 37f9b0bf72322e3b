package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
	"github.com/ndrkit/ndrkit/ndr"
)

// Defaults of the options.
const (
	// DefaultTimeout is the default time allowed for one lookup.
	DefaultTimeout = 3 * time.Second
	// DefaultMaxLookups is the default largest number of DNS queries one
	// Check or CheckDomain call sends. Answers are remembered, so a name
	// asked twice is one query.
	DefaultMaxLookups = 100
	// fallbackServer is used when /etc/resolv.conf names no server.
	fallbackServer = "127.0.0.1:53"
)

// Blocklist is a DNS block list zone (RFC 5782).
type Blocklist struct {
	// Zone is the list's DNS zone, such as "zen.spamhaus.org".
	Zone string
	// Spamhaus says that the zone returns Spamhaus' codes: 127.0.0.2-11
	// name the SBL, CSS, XBL and PBL, and 127.255.255.252-255 are errors
	// of the query, not listings.
	Spamhaus bool
}

// DefaultBlocklists are the block lists WithBlocklists replaces.
var DefaultBlocklists = []Blocklist{
	{Zone: "zen.spamhaus.org", Spamhaus: true},
	{Zone: "b.barracudacentral.org"},
	{Zone: "bl.spamcop.net"},
}

// config holds the options.
type config struct {
	server      string
	timeout     time.Duration
	maxLookups  int
	nameServers map[string]string
	blocklists  []Blocklist
	all         bool
	only        []Kind
	selectors   []string
	err         error
}

// Option changes a setting of Check and CheckDomain.
type Option func(*config)

// WithServer sets the resolver to ask, as host:port or host (port 53).
// The default is the first name server of /etc/resolv.conf, or
// 127.0.0.1:53 when there is none.
func WithServer(addr string) Option {
	return func(c *config) {
		if addr == "" {
			return
		}
		hostport, err := serverAddr(addr)
		if err != nil {
			c.err = err
			return
		}
		c.server = hostport
	}
}

// serverAddr checks a server address and adds port 53 when it has none.
func serverAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"), "53"
	}
	n, perr := strconv.Atoi(port)
	isName := host != "" && strings.Trim(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == ""
	if _, ierr := netip.ParseAddr(host); perr != nil || n < 1 || n > 65535 || (ierr != nil && !isName) {
		return "", fmt.Errorf("dnscheck: invalid server address %q", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// WithTimeout sets the time allowed for one lookup (DefaultTimeout). The
// context given to Check bounds the whole check.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithMaxLookups sets the largest number of queries one call sends
// (DefaultMaxLookups). A check that needs more reports severity unknown.
func WithMaxLookups(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxLookups = n
		}
	}
}

// WithNameServers sets the addresses (host:port) at which name servers are
// asked, by their host names as NS records name them. A name server not in
// the map is asked at the addresses of its A and AAAA records, port 53.
// Tests use it to run authoritative servers on loopback ports.
func WithNameServers(addrs map[string]string) Option {
	return func(c *config) {
		c.nameServers = make(map[string]string, len(addrs))
		for h, a := range addrs {
			c.nameServers[strings.ToLower(dns.Fqdn(h))] = a
		}
	}
}

// WithBlocklists sets the block lists to ask about the sending IP address
// (DefaultBlocklists).
func WithBlocklists(lists ...Blocklist) Option {
	return func(c *config) { c.blocklists = slices.Clone(lists) }
}

// WithAllChecks runs every check that the target's names and address
// allow, whether or not the bounce makes it relevant.
func WithAllChecks() Option {
	return func(c *config) { c.all = true }
}

// WithChecks limits the checks to the given kinds: of those the bounce
// makes relevant (or, with WithAllChecks, of all), only these run.
func WithChecks(kinds ...Kind) Option {
	return func(c *config) { c.only = slices.Clone(kinds) }
}

// WithDKIMSelectors names DKIM selectors whose key records are checked
// under the From domain, in addition to those found in the returned
// message's DKIM-Signature fields.
func WithDKIMSelectors(selectors ...string) Option {
	return func(c *config) { c.selectors = append(c.selectors, selectors...) }
}

func newConfig(opts []Option) (*config, error) {
	c := &config{
		timeout:    DefaultTimeout,
		maxLookups: DefaultMaxLookups,
		blocklists: DefaultBlocklists,
	}
	for _, o := range opts {
		o(c)
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.server == "" {
		c.server = systemResolver()
	}
	return c, nil
}

// systemResolver returns the first name server of /etc/resolv.conf.
func systemResolver() string {
	cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(cc.Servers) == 0 {
		return fallbackServer
	}
	return net.JoinHostPort(cc.Servers[0], cc.Port)
}

// Result holds the findings of Check for each recipient of a report.
type Result struct {
	// Recipients has one entry for each element of Report.Recipients, in
	// the same order.
	Recipients []RecipientResult
	// Lookups is the number of DNS queries sent.
	Lookups int
}

// RecipientResult holds the findings for one recipient.
type RecipientResult struct {
	// Recipient is the recipient's address.
	Recipient string
	// Target is what was checked, derived from the report.
	Target Target
	// Findings are the checks' findings, in the order of Kinds; empty when
	// the bounce makes no check relevant (and WithAllChecks is not given).
	Findings []Finding
}

// ErrNilReport is returned by Check for a nil report.
var ErrNilReport = errors.New("dnscheck: nil report")

// Check checks the DNS that the bounce's explanation points at, for each
// recipient of rep: the checks the recipient's reason, status codes, texts
// and explanations make relevant (see Target.Checks), or all with
// WithAllChecks. Lookups for recipients with the same target are shared.
//
// The error is non-nil only for a nil report, invalid options or a context
// that is already done; lookups that fail give findings of severity
// unknown.
func Check(ctx context.Context, rep *ndr.Report, opts ...Option) (*Result, error) {
	if rep == nil {
		return nil, ErrNilReport
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := &checker{cfg: cfg, c: newClient(cfg)}
	res := &Result{}
	done := map[string][]Finding{}
	for _, t := range Targets(rep) {
		rr := RecipientResult{Recipient: t.Recipient, Target: t}
		if cfg.all || len(t.Checks) > 0 {
			key := t.key()
			f, ok := done[key]
			if !ok {
				f = k.run(ctx, t)
				done[key] = f
			}
			rr.Findings = slices.Clone(f)
		}
		res.Recipients = append(res.Recipients, rr)
	}
	res.Lookups = k.c.sent
	return res, nil
}

// CheckDomain checks the DNS of a target given directly: the checks in
// t.Checks, or, when it is empty, every check the target's fields allow
// (SPF, DKIM, DMARC and propagation for a sender or From domain, MX for a
// recipient domain, PTR and block lists for a sending IP).
func CheckDomain(ctx context.Context, t Target, opts ...Option) ([]Finding, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(t.Checks) == 0 {
		cfg.all = true
	}
	k := &checker{cfg: cfg, c: newClient(cfg)}
	return k.run(ctx, t), nil
}

// checker runs the checks of one call.
type checker struct {
	cfg *config
	c   *client
}

// wants reports whether check kind runs for t.
func (k *checker) wants(t Target, kind Kind) bool {
	if k.cfg.only != nil && !slices.Contains(k.cfg.only, kind) {
		return false
	}
	return k.cfg.all || slices.Contains(t.Checks, kind)
}

// run runs the checks for one target, in the order of Kinds.
func (k *checker) run(ctx context.Context, t Target) []Finding {
	t.normalize()
	var out []Finding
	if k.wants(t, MX) && t.RecipientDomain != "" {
		out = append(out, k.checkMX(ctx, t.RecipientDomain)...)
	}
	auth := k.wants(t, SPF) || k.wants(t, DKIM) || k.wants(t, DMARC) || k.wants(t, Propagation)
	if auth && t.spfDomain() != "" {
		var st authState
		if k.wants(t, SPF) || k.wants(t, DMARC) {
			f, s := k.checkSPF(ctx, t)
			st.spf = s
			if k.wants(t, SPF) {
				out = append(out, f...)
			}
		}
		if t.FromDomain != "" && (k.wants(t, DKIM) || k.wants(t, DMARC)) {
			f, s := k.checkDKIM(ctx, t)
			st.dkim = s
			if k.wants(t, DKIM) {
				out = append(out, f...)
			}
		}
		if t.FromDomain != "" && k.wants(t, DMARC) {
			out = append(out, k.checkDMARC(ctx, t, st)...)
		}
		if k.wants(t, Propagation) {
			out = append(out, k.checkPropagation(ctx, t)...)
		}
	}
	ipChecks := k.wants(t, PTR) || k.wants(t, DNSBL)
	switch {
	case ipChecks && t.SendingIP.IsValid():
		if k.wants(t, PTR) {
			out = append(out, k.checkPTR(ctx, t.SendingIP)...)
		}
		if k.wants(t, DNSBL) {
			out = append(out, k.checkDNSBL(ctx, t.SendingIP)...)
		}
	case ipChecks && !k.cfg.all:
		out = append(out, Finding{
			Check:    PTR,
			Severity: SeverityUnknown,
			Summary: text("The bounce does not name the sending server's IP address, so its reverse DNS and block-list listings were not checked.",
				"バウンスに送信サーバーの IP アドレスが書かれていないため、逆引き DNS とブロックリストは確認していません。"),
		})
	}
	return out
}

// authState carries what the SPF and DKIM checks learned to the DMARC
// check.
type authState struct {
	spf  spfState
	dkim dkimState
}

// key identifies a target's checks for sharing them between recipients.
func (t Target) key() string {
	var dk []string
	for _, s := range t.DKIM {
		dk = append(dk, s.Domain+"/"+s.Selector)
	}
	return fmt.Sprint(t.SenderDomain, "|", t.FromDomain, "|", t.SendingIP, "|", t.Service, "|",
		t.RecipientDomain, "|", dk, "|", t.Checks)
}

// normalize lower-cases the names and drops the final dots.
func (t *Target) normalize() {
	for _, p := range []*string{&t.SenderDomain, &t.FromDomain, &t.RecipientDomain, &t.ReportingMTA} {
		*p = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(*p)), ".")
	}
	if t.SendingIP.IsValid() {
		t.SendingIP = t.SendingIP.Unmap()
	}
}

// spfDomain is the domain whose SPF record receivers check: the envelope
// sender's, or the From domain when the envelope is unknown.
func (t Target) spfDomain() string {
	if t.SenderDomain != "" {
		return t.SenderDomain
	}
	return t.FromDomain
}

// sender returns the envelope sender address used for SPF macros.
func (t Target) sender() string { return "postmaster@" + t.spfDomain() }
