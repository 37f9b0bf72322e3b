// Command testdns serves the test zones of testdata/dnscheck/zones as a
// resolver on loopback, so that ndrexplain -check-dns and the helpdesk
// page can be tried on the bounces of testdata/dnscheck/bounces without
// touching real DNS:
//
//	go run ./examples/testdns &
//	go run ./examples/ndrexplain -check-dns -dns-server 127.0.0.1:5354 testdata/dnscheck/bounces/gmail-5.7.26-twospf.eml
//
// Usage:
//
//	go run ./examples/testdns [-addr 127.0.0.1:5354] [-zones testdata/dnscheck/zones]
//
// It answers UDP and TCP queries from the zones of parent/, common/ and
// resolver/ until interrupted. The name servers that the zones delegate
// to (ns.dns.test) have no address, so the propagation check, which
// asks them directly, reports that it could not.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/ndrkit/ndrkit/internal/dnstest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5354", "`host:port` to answer on (UDP and TCP)")
	dir := flag.String("zones", "testdata/dnscheck/zones", "the `directory` of the test zones")
	flag.Parse()
	zones, err := dnstest.LoadZones(*dir, "parent", "common", "resolver")
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdns: %v\n", err)
		os.Exit(1)
	}
	s, err := dnstest.Listen(*addr, true, zones)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdns: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "testdns: serving %d test zones on %s\n", len(zones), s.Addr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	s.Close()
}
