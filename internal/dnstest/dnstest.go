// Package dnstest runs DNS servers for the tests of ndrkit and for its
// examples only; it is no resolver for real use. Every server binds to a
// loopback address (127.0.0.1 for the tests) and answers from the zones
// it holds, nothing else: a "resolver" answers from every zone with RA
// set and follows CNAMEs between them, and an authoritative server
// answers for its zones with the AA bit and refers queries below a
// delegation to the child's name servers. The zones are the files of
// testdata/dnscheck/zones, so that package ndr/dnscheck and the examples
// check the same DNS world.
package dnstest

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"
)

// The block lists of the test zones.
const (
	// SpamhausBlocklist answers with Spamhaus' return codes, an error
	// code (127.255.255.254) among them.
	SpamhausBlocklist = "zen.bl.test"
	// OtherBlocklist answers 127.0.0.2 for a listed address.
	OtherBlocklist = "other.bl.test"
)

// Zone is the records of one zone file.
type Zone struct {
	apex string // the owner of the SOA record, lower case, with the final dot
	rrs  []dns.RR
}

// Server is a DNS server on loopback (UDP and TCP on one port).
type Server struct {
	// Addr is the server's address, host:port.
	Addr      string
	zones     []Zone
	recursive bool
	queries   atomic.Int64
	servers   []*dns.Server
}

// Queries returns the number of queries the server has answered.
func (s *Server) Queries() int64 { return s.queries.Load() }

// World is the DNS of the tests: the resolver, the authoritative server
// of the test domains (ns.dns.test) and that of their parent zone "test."
// (ns-parent.dns.test).
type World struct {
	// Resolver answers from the zones of parent/, common/ and resolver/.
	Resolver *Server
	// Auth is ns.dns.test, authoritative for the zones of common/ and
	// auth/.
	Auth *Server
	// Parent is ns-parent.dns.test, authoritative for the zones of
	// parent/.
	Parent *Server
}

// Start starts the servers of the zone files under dir (the directory
// testdata/dnscheck/zones: parent/, common/, auth/ and resolver/) on
// 127.0.0.1; they stop when the test ends.
func Start(tb testing.TB, dir string) *World {
	tb.Helper()
	serve := func(recursive bool, sub ...string) *Server {
		zones, err := LoadZones(dir, sub...)
		if err != nil {
			tb.Fatal(err)
		}
		return Serve(tb, recursive, zones)
	}
	return &World{
		Resolver: serve(true, "parent", "common", "resolver"),
		Auth:     serve(false, "common", "auth"),
		Parent:   serve(false, "parent"),
	}
}

// Serve starts a server of zones on 127.0.0.1 at a free port; it stops
// when the test ends. A recursive server without zones refuses every
// query.
func Serve(tb testing.TB, recursive bool, zones []Zone) *Server {
	tb.Helper()
	s, err := Listen("127.0.0.1:0", recursive, zones)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Silent returns an address on 127.0.0.1 where a UDP socket is open but
// reads nothing, so that every query sent there times out; the socket
// closes when the test ends.
func Silent(tb testing.TB) string {
	tb.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}

// Queries returns the number of queries the world's servers have
// answered.
func (w *World) Queries() int64 {
	return w.Resolver.Queries() + w.Auth.Queries() + w.Parent.Queries()
}

// NameServers maps the name servers of the test zones to their loopback
// addresses.
func (w *World) NameServers() map[string]string {
	return map[string]string{
		"ns.dns.test":        w.Auth.Addr,
		"ns-parent.dns.test": w.Parent.Addr,
	}
}

// Names replaces the servers' addresses in s by "resolver", "auth" and
// "parent", as the golden files of testdata/dnscheck/golden write them.
func (w *World) Names(s string) string {
	return strings.NewReplacer(w.Resolver.Addr, "resolver", w.Auth.Addr, "auth", w.Parent.Addr, "parent").Replace(s)
}

// LoadZones reads the zone files (*.zone) of the subdirectories sub of
// dir.
func LoadZones(dir string, sub ...string) ([]Zone, error) {
	var zs []Zone
	for _, s := range sub {
		files, err := filepath.Glob(filepath.Join(dir, s, "*.zone"))
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("no zone files in %s", filepath.Join(dir, s))
		}
		for _, f := range files {
			z, err := readZone(f)
			if err != nil {
				return nil, err
			}
			zs = append(zs, z)
		}
	}
	return zs, nil
}

// readZone reads a zone file; its SOA record names the apex.
func readZone(file string) (Zone, error) {
	var z Zone
	b, err := os.ReadFile(file)
	if err != nil {
		return z, err
	}
	zp := dns.NewZoneParser(strings.NewReader(string(b)), "", file)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rr.Header().Name = strings.ToLower(rr.Header().Name)
		if rr.Header().Rrtype == dns.TypeSOA {
			z.apex = rr.Header().Name
		}
		z.rrs = append(z.rrs, rr)
	}
	if err := zp.Err(); err != nil {
		return z, fmt.Errorf("%s: %v", file, err)
	}
	if z.apex == "" {
		return z, fmt.Errorf("%s: no SOA record", file)
	}
	return z, nil
}

// Listen serves zones on addr (host:port, host a loopback address; port
// 0 picks a port free for both UDP and TCP) until Close. A recursive
// server answers from every zone it holds, like a resolver; otherwise it
// answers as the zones' authoritative server.
func Listen(addr string, recursive bool, zones []Zone) (*Server, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip, err := netip.ParseAddr(host); err != nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s is not a loopback address", host)
	}
	s := &Server{zones: zones, recursive: recursive}
	tries := 1
	if port == "0" {
		tries = 20
	}
	for range tries {
		pc, err := net.ListenPacket("udp", net.JoinHostPort(host, port))
		if err != nil {
			return nil, err
		}
		p := strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)
		l, err := net.Listen("tcp", net.JoinHostPort(host, p))
		if err != nil {
			pc.Close()
			continue
		}
		s.Addr = pc.LocalAddr().String()
		s.start(&dns.Server{PacketConn: pc, Handler: s})
		s.start(&dns.Server{Listener: l, Handler: s})
		return s, nil
	}
	return nil, fmt.Errorf("no port free for both UDP and TCP on %s", host)
}

// start runs srv until Close.
func (s *Server) start(srv *dns.Server) {
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go srv.ActivateAndServe()
	<-started
	s.servers = append(s.servers, srv)
}

// Close stops the server.
func (s *Server) Close() {
	for _, srv := range s.servers {
		srv.Shutdown()
	}
}

// ServeDNS answers one query.
func (s *Server) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	s.queries.Add(1)
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = s.recursive
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
	} else {
		q := r.Question[0]
		s.resolve(m, strings.ToLower(q.Name), q.Qtype, true)
	}
	limit := dns.MinMsgSize
	if opt := r.IsEdns0(); opt != nil {
		limit = int(opt.UDPSize())
		m.SetEdns0(opt.UDPSize(), false)
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		m.Truncate(limit)
	}
	w.WriteMsg(m)
}

// find returns the zone with the longest apex that holds name.
func (s *Server) find(name string) *Zone {
	var best *Zone
	for i := range s.zones {
		z := &s.zones[i]
		if dns.IsSubDomain(z.apex, name) && (best == nil || len(z.apex) > len(best.apex)) {
			best = z
		}
	}
	return best
}

// delegation returns the NS records of the closest zone cut between the
// apex of z and name, if any.
func (z *Zone) delegation(name string) []dns.RR {
	labels := dns.SplitDomainName(name)
	for i := len(labels) - dns.CountLabel(z.apex) - 1; i >= 0; i-- {
		cut := dns.Fqdn(strings.Join(labels[i:], "."))
		var ns []dns.RR
		for _, rr := range z.rrs {
			if rr.Header().Rrtype == dns.TypeNS && rr.Header().Name == cut {
				ns = append(ns, rr)
			}
		}
		if len(ns) > 0 {
			return ns
		}
	}
	return nil
}

// resolve adds the answer for name and qtype to m; first is false for
// the target of a CNAME.
func (s *Server) resolve(m *dns.Msg, name string, qtype uint16, first bool) {
	z := s.find(name)
	if z == nil {
		if first {
			m.Rcode = dns.RcodeRefused
		}
		return
	}
	if !s.recursive {
		if ns := z.delegation(name); ns != nil {
			m.Ns = append(m.Ns, ns...)
			return
		}
		m.Authoritative = m.Authoritative || first
	}
	exists := false
	var matched []dns.RR
	var alias *dns.CNAME
	for _, rr := range z.rrs {
		owner := rr.Header().Name
		switch {
		case owner == name:
			exists = true
			if rr.Header().Rrtype == qtype {
				matched = append(matched, rr)
			} else if c, ok := rr.(*dns.CNAME); ok {
				alias = c
			}
		case dns.IsSubDomain(name, owner):
			exists = true // an empty non-terminal
		}
	}
	switch {
	case len(matched) > 0:
		m.Answer = append(m.Answer, matched...)
	case alias != nil:
		m.Answer = append(m.Answer, alias)
		target := strings.ToLower(alias.Target)
		if len(m.Answer) < 8 && (s.recursive || s.find(target) == z) {
			s.resolve(m, target, qtype, false)
		}
	case first:
		if !exists {
			m.Rcode = dns.RcodeNameError
		}
		for _, rr := range z.rrs {
			if rr.Header().Rrtype == dns.TypeSOA {
				m.Ns = append(m.Ns, rr)
			}
		}
	}
}
