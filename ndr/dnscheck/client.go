package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Errors that make a lookup's answer unusable. A finding built on such an
// answer has severity unknown.
var (
	// ErrLookupLimit is the error of a lookup refused because the check
	// already sent as many queries as WithMaxLookups allows.
	ErrLookupLimit = errors.New("dnscheck: lookup limit reached")
	// ErrBadName is the error of a lookup for a name that is not a valid
	// domain name.
	ErrBadName = errors.New("dnscheck: invalid domain name")
	// ErrServerDown is the error of a lookup not sent because the server
	// did not answer the previous queries of the check.
	ErrServerDown = errors.New("dnscheck: server did not answer earlier queries")
)

// answer is what one server said to one question.
type answer struct {
	server string
	name   string // fully qualified, lower case
	qtype  uint16
	rcode  int
	auth   bool     // the AA bit was set
	rrs    []dns.RR // records of qtype in the answer section (CNAME chains followed)
	own    []dns.RR // records of any type owned by the name itself (a CNAME is not followed)
	ns     []dns.RR // the authority section
	err    error    // transport failure, SERVFAIL/REFUSED, or a refused lookup
}

// ok reports whether the server gave a usable answer: records, an empty
// answer (NODATA) or NXDOMAIN.
func (a *answer) ok() bool { return a.err == nil }

// void reports whether the answer is usable and has no records: the
// "void lookup" of RFC 7208, section 4.6.4.
func (a *answer) void() bool { return a.err == nil && len(a.rrs) == 0 }

// nxdomain reports whether the name does not exist.
func (a *answer) nxdomain() bool { return a.err == nil && a.rcode == dns.RcodeNameError }

// txts returns the TXT records, each with its strings joined without
// separators (RFC 7208, section 3.3).
func (a *answer) txts() []string {
	var out []string
	for _, rr := range a.rrs {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out
}

// names returns the target names of CNAME, NS, PTR and MX records, lower
// case and fully qualified.
func (a *answer) names() []string {
	var out []string
	for _, rr := range a.rrs {
		switch r := rr.(type) {
		case *dns.CNAME:
			out = append(out, strings.ToLower(r.Target))
		case *dns.NS:
			out = append(out, strings.ToLower(r.Ns))
		case *dns.PTR:
			out = append(out, strings.ToLower(r.Ptr))
		case *dns.MX:
			out = append(out, strings.ToLower(r.Mx))
		}
	}
	return out
}

// evidence describes the answer for a finding.
func (a *answer) evidence() Evidence {
	e := Evidence{
		Server:        a.server,
		Name:          strings.TrimSuffix(a.name, "."),
		Type:          dns.TypeToString[a.qtype],
		Authoritative: a.auth,
	}
	switch {
	case a.err != nil:
		e.Result = a.err.Error()
	case a.rcode == dns.RcodeNameError:
		e.Result = "NXDOMAIN"
	case len(a.rrs) == 0:
		e.Result = "NODATA"
	default:
		e.Result = "NOERROR"
	}
	for _, rr := range a.rrs {
		e.Records = append(e.Records, rdata(rr))
	}
	return e
}

// rdata formats a record's data the way a zone file writes it.
func rdata(rr dns.RR) string {
	switch r := rr.(type) {
	case *dns.TXT:
		return strconv.Quote(strings.Join(r.Txt, ""))
	case *dns.CNAME:
		return strings.TrimSuffix(r.Target, ".")
	case *dns.NS:
		return strings.TrimSuffix(r.Ns, ".")
	case *dns.PTR:
		return strings.TrimSuffix(r.Ptr, ".")
	case *dns.MX:
		return fmt.Sprintf("%d %s", r.Preference, r.Mx)
	case *dns.A:
		return r.A.String()
	case *dns.AAAA:
		return r.AAAA.String()
	case *dns.SOA:
		return strings.TrimSuffix(r.Ns, ".")
	}
	h := rr.Header().String()
	return strings.TrimSpace(strings.TrimPrefix(rr.String(), h))
}

type cacheKey struct {
	server string
	name   string
	qtype  uint16
	rd     bool
}

// client sends the queries of one Check: it counts them against the limit,
// applies the per-lookup timeout and remembers every answer, so that a
// question asked twice costs one query.
type client struct {
	resolver string
	timeout  time.Duration
	max      int
	sent     int
	cache    map[cacheKey]*answer
	timeouts map[string]int // consecutive timeouts per server
	udp, tcp *dns.Client
}

// maxTimeouts is the number of consecutive timeouts after which a server
// is no longer asked during one check, so that a dead resolver costs a few
// timeouts rather than one per lookup.
const maxTimeouts = 2

func newClient(cfg *config) *client {
	return &client{
		resolver: cfg.server,
		timeout:  cfg.timeout,
		max:      cfg.maxLookups,
		cache:    make(map[cacheKey]*answer),
		timeouts: make(map[string]int),
		udp:      &dns.Client{Net: "udp", Timeout: cfg.timeout, UDPSize: 1232},
		tcp:      &dns.Client{Net: "tcp", Timeout: cfg.timeout},
	}
}

// lookup asks the configured resolver, with recursion desired.
func (c *client) lookup(ctx context.Context, name string, qtype uint16) *answer {
	return c.query(ctx, c.resolver, name, qtype, true)
}

// query asks server one question. rd sets the recursion-desired bit; it
// is off for questions to authoritative servers.
func (c *client) query(ctx context.Context, server, name string, qtype uint16, rd bool) *answer {
	name = strings.ToLower(dns.Fqdn(name))
	key := cacheKey{server, name, qtype, rd}
	if a, ok := c.cache[key]; ok {
		return a
	}
	a := &answer{server: server, name: name, qtype: qtype}
	c.cache[key] = a
	if _, ok := dns.IsDomainName(name); !ok || len(name) > 254 {
		a.err = ErrBadName
		return a
	}
	if err := ctx.Err(); err != nil {
		a.err = err
		return a
	}
	if c.timeouts[server] >= maxTimeouts {
		a.err = ErrServerDown
		return a
	}
	if c.sent >= c.max {
		a.err = ErrLookupLimit
		return a
	}
	c.sent++
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = rd
	m.SetEdns0(1232, false)
	lctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r, _, err := c.udp.ExchangeContext(lctx, m, server)
	if err == nil && r.Truncated {
		r, _, err = c.tcp.ExchangeContext(lctx, m, server)
	}
	if err != nil {
		a.err = lookupError(err)
		if isTimeout(err) && ctx.Err() == nil {
			c.timeouts[server]++
		}
		return a
	}
	c.timeouts[server] = 0
	a.rcode = r.Rcode
	a.auth = r.Authoritative
	if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
		a.err = fmt.Errorf("server answered %s", dns.RcodeToString[r.Rcode])
		return a
	}
	a.rrs = follow(r.Answer, name, qtype)
	for _, rr := range r.Answer {
		if strings.EqualFold(rr.Header().Name, name) {
			a.own = append(a.own, rr)
		}
	}
	a.ns = r.Ns
	return a
}

// lookupError marks timeouts in transport errors for evidence.
func lookupError(err error) error {
	if isTimeout(err) {
		return fmt.Errorf("timeout: %w", err)
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// follow returns the records of qtype for name in an answer section,
// following a CNAME chain of at most 8 links. For qtype CNAME it returns the
// CNAME record itself.
func follow(rrs []dns.RR, name string, qtype uint16) []dns.RR {
	var out []dns.RR
	for range 8 {
		var next string
		for _, rr := range rrs {
			h := rr.Header()
			if !strings.EqualFold(h.Name, name) {
				continue
			}
			if h.Rrtype == qtype {
				out = append(out, rr)
			} else if cn, ok := rr.(*dns.CNAME); ok && qtype != dns.TypeCNAME {
				next = strings.ToLower(cn.Target)
			}
		}
		if len(out) > 0 || next == "" {
			return out
		}
		name = next
	}
	return out
}

// addrs asks for the A and AAAA records of host and returns the answers.
func (c *client) addrs(ctx context.Context, host string) (a4, a6 *answer) {
	return c.lookup(ctx, host, dns.TypeA), c.lookup(ctx, host, dns.TypeAAAA)
}
