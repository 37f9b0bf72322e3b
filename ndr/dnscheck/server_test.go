package dnscheck

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"
)

// testZone is one zone a test server serves.
type testZone struct {
	apex string
	rrs  []dns.RR
}

// zoneServer is a DNS server on loopback (UDP and TCP on one port) that
// serves zone files. As an authoritative server it answers with the AA bit
// and refers queries below a zone cut to the child's name servers; as a
// "resolver" (recursive) it answers from all its zones with RA set and
// follows CNAMEs between them.
type zoneServer struct {
	zones     []*testZone
	recursive bool
	addr      string
	queries   atomic.Int64
}

// loadZones reads zone files.
func loadZones(tb testing.TB, files ...string) []*testZone {
	tb.Helper()
	var out []*testZone
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		z := &testZone{}
		zp := dns.NewZoneParser(strings.NewReader(string(b)), "", f)
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			rr.Header().Name = strings.ToLower(rr.Header().Name)
			if _, isSOA := rr.(*dns.SOA); isSOA {
				z.apex = rr.Header().Name
			}
			z.rrs = append(z.rrs, rr)
		}
		if err := zp.Err(); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		if z.apex == "" {
			tb.Fatalf("%s: no SOA record", f)
		}
		out = append(out, z)
	}
	return out
}

// zoneFiles lists the zone files in testdata/dnscheck/zones/<dir>.
func zoneFiles(tb testing.TB, dirs ...string) []string {
	tb.Helper()
	var out []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "dnscheck", "zones", d, "*.zone"))
		if err != nil || len(m) == 0 {
			tb.Fatalf("no zone files in %s", d)
		}
		out = append(out, m...)
	}
	return out
}

// startServer starts a server on 127.0.0.1 at a free port, for UDP and
// TCP, and stops it when the test ends.
func startServer(tb testing.TB, recursive bool, zones []*testZone) *zoneServer {
	tb.Helper()
	s := &zoneServer{zones: zones, recursive: recursive}
	var pc net.PacketConn
	var l net.Listener
	for range 20 {
		var err error
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		l, err = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			break
		}
		pc.Close()
		pc = nil
	}
	if pc == nil {
		tb.Fatal("no free port for UDP and TCP")
	}
	s.addr = pc.LocalAddr().String()
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: s}, {Listener: l, Handler: s}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		tb.Cleanup(func() { srv.Shutdown() })
	}
	return s
}

// ServeDNS answers one query.
func (s *zoneServer) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	s.queries.Add(1)
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = s.recursive
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	s.answer(m, strings.ToLower(q.Name), q.Qtype, 0)
	size := dns.MinMsgSize
	if o := r.IsEdns0(); o != nil {
		size = int(o.UDPSize())
		m.SetEdns0(o.UDPSize(), false)
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

// zoneFor returns the zone with the longest apex that holds name.
func (s *zoneServer) zoneFor(name string) *testZone {
	var best *testZone
	for _, z := range s.zones {
		if dns.IsSubDomain(z.apex, name) && (best == nil || len(z.apex) > len(best.apex)) {
			best = z
		}
	}
	return best
}

func (s *zoneServer) answer(m *dns.Msg, name string, qtype uint16, depth int) {
	z := s.zoneFor(name)
	if z == nil {
		if depth == 0 {
			m.Rcode = dns.RcodeRefused
		}
		return
	}
	// A zone cut between the apex and the name: refer to the child.
	if !s.recursive {
		labels := dns.SplitDomainName(name)
		apexLabels := dns.CountLabel(z.apex)
		for i := len(labels) - apexLabels - 1; i >= 0; i-- {
			cut := dns.Fqdn(strings.Join(labels[i:], "."))
			var ns []dns.RR
			for _, rr := range z.rrs {
				if rr.Header().Name == cut && rr.Header().Rrtype == dns.TypeNS {
					ns = append(ns, rr)
				}
			}
			if len(ns) > 0 {
				m.Ns = append(m.Ns, ns...)
				return
			}
		}
		if depth == 0 {
			m.Authoritative = true
		}
	}
	exists := false
	var cname *dns.CNAME
	var found []dns.RR
	for _, rr := range z.rrs {
		h := rr.Header()
		if h.Name == name {
			exists = true
			if h.Rrtype == qtype {
				found = append(found, rr)
			} else if c, ok := rr.(*dns.CNAME); ok {
				cname = c
			}
		} else if dns.IsSubDomain(name, h.Name) {
			exists = true
		}
	}
	switch {
	case len(found) > 0:
		m.Answer = append(m.Answer, found...)
	case cname != nil:
		m.Answer = append(m.Answer, cname)
		if depth < 8 && (s.recursive || s.zoneFor(strings.ToLower(cname.Target)) == z) {
			s.answer(m, strings.ToLower(cname.Target), qtype, depth+1)
		}
	default:
		if depth == 0 {
			if !exists {
				m.Rcode = dns.RcodeNameError
			}
			for _, rr := range z.rrs {
				if _, ok := rr.(*dns.SOA); ok {
					m.Ns = append(m.Ns, rr)
				}
			}
		}
	}
}

// testDNS is the DNS world of the tests: a resolver, the authoritative
// server of the sender zones and the server of their parent zone "test.".
type testDNS struct {
	resolver, auth, parent *zoneServer
}

// startDNS starts the three servers of the tests.
func startDNS(tb testing.TB) *testDNS {
	tb.Helper()
	return &testDNS{
		resolver: startServer(tb, true, loadZones(tb, zoneFiles(tb, "parent", "common", "resolver")...)),
		auth:     startServer(tb, false, loadZones(tb, zoneFiles(tb, "common", "auth")...)),
		parent:   startServer(tb, false, loadZones(tb, zoneFiles(tb, "parent")...)),
	}
}

// options points the checks at the test servers.
func (d *testDNS) options() []Option {
	return []Option{
		WithServer(d.resolver.addr),
		WithNameServers(map[string]string{
			"ns.dns.test":        d.auth.addr,
			"ns-parent.dns.test": d.parent.addr,
		}),
		WithBlocklists(
			Blocklist{Zone: "zen.bl.test", Spamhaus: true},
			Blocklist{Zone: "other.bl.test"},
		),
	}
}
