// Command helpdesk serves a web page on which helpdesk staff paste the
// text of a bounce (as copied from Outlook, Gmail or a provider's notice)
// or drop an .eml or mbox file, and read, per recipient, what went wrong,
// who must act, whether to resend, and a message to send to the user —
// in Japanese or English.
//
// Usage:
//
//	go run ./examples/helpdesk [-addr localhost:8080] [-dns-server host:port] [-dns-timeout 3s]
//
// POST /api/explain takes a raw bounce, an mbox or pasted text as the
// request body and answers with a JSON array of the objects that
// ndrexplain -format json writes; the language comes from ?lang=ja|en or
// the Accept-Language header.
//
// Each recipient on the page has a button that checks the sender's DNS
// (package ndr/dnscheck): the page sends the same body to POST
// /api/dnscheck, which looks up the records the bounce points at through
// the resolver of -dns-server (default: the first of /etc/resolv.conf)
// and answers with the findings of each recipient. Nothing is looked up
// until the button is pressed; each lookup has a timeout, each message a
// lookup budget and each request a deadline.
//
// The page and its script and style are embedded in the program: it
// needs no network beyond the browser's connection to it. Nothing is
// kept between requests and nothing is written to disk.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "`host:port` to listen on")
	dnsServer := flag.String("dns-server", "", "the resolver the DNS check asks, as `host:port` (default: the first of /etc/resolv.conf)")
	dnsTimeout := flag.Duration("dns-timeout", dnscheck.DefaultTimeout, "time allowed for one DNS lookup of the DNS check")
	flag.Parse()
	dnsOpts := []dnscheck.Option{dnscheck.WithTimeout(*dnsTimeout)}
	if *dnsServer != "" {
		dnsOpts = append(dnsOpts, dnscheck.WithServer(*dnsServer))
	}
	// A report without recipients sends no query: this only checks the
	// options.
	if _, err := dnscheck.Check(context.Background(), &ndr.Report{}, dnsOpts...); err != nil {
		fmt.Fprintf(os.Stderr, "helpdesk: %v\n", err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(os.Stderr, "helpdesk: serving http://%s/\n", ln.Addr())
	if err := serve(ctx, ln, dnsOpts); err != nil {
		log.Fatal(err)
	}
}

// serve runs the server on ln until ctx ends.
func serve(ctx context.Context, ln net.Listener, dnsOpts []dnscheck.Option) error {
	srv := newServer(newHandler(dnsOpts...))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newServer sets the timeouts that keep a slow or stalled client from
// holding a connection.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
