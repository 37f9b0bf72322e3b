// Package checkopt points package ndr/dnscheck at the loopback DNS world
// of package dnstest, for the examples' tests only. It is a package of
// its own because dnscheck's own tests use dnstest, which therefore
// cannot import dnscheck.
package checkopt

import (
	"github.com/ndrkit/ndrkit/internal/dnstest"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
)

// Options point dnscheck at w: its resolver, its name servers and the
// block lists of its zones.
func Options(w *dnstest.World) []dnscheck.Option {
	return []dnscheck.Option{
		dnscheck.WithServer(w.Resolver.Addr),
		NameServers(w),
		Blocklists(),
	}
}

// NameServers maps the name servers of the test zones to the loopback
// addresses of w's servers.
func NameServers(w *dnstest.World) dnscheck.Option {
	return dnscheck.WithNameServers(w.NameServers())
}

// Blocklists names the block lists of the test zones (the first answers
// with Spamhaus' codes).
func Blocklists() dnscheck.Option {
	return dnscheck.WithBlocklists(
		dnscheck.Blocklist{Zone: dnstest.SpamhausBlocklist, Spamhaus: true},
		dnscheck.Blocklist{Zone: dnstest.OtherBlocklist},
	)
}
