package dnscheck

import (
	"testing"

	"github.com/ndrkit/ndrkit/internal/dnstest"
)

// startDNS starts the DNS world of testdata/dnscheck/zones on loopback:
// a resolver, the authoritative server of the sender zones and the
// server of their parent zone "test.".
func startDNS(tb testing.TB) *dnstest.World {
	tb.Helper()
	return dnstest.Start(tb, testdata("zones"))
}

// options points the checks at the test servers.
func options(w *dnstest.World) []Option {
	return []Option{
		WithServer(w.Resolver.Addr),
		WithNameServers(w.NameServers()),
		WithBlocklists(
			Blocklist{Zone: dnstest.SpamhausBlocklist, Spamhaus: true},
			Blocklist{Zone: dnstest.OtherBlocklist},
		),
	}
}
