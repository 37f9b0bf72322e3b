// Command helpdesk serves a web page on which helpdesk staff paste the
// text of a bounce (as copied from Outlook, Gmail or a provider's notice)
// or drop an .eml or mbox file, and read, per recipient, what went wrong,
// who must act, whether to resend, and a message to send to the user —
// in Japanese or English.
//
// Usage:
//
//	go run ./examples/helpdesk [-addr localhost:8080]
//
// POST /api/explain takes a raw bounce, an mbox or pasted text as the
// request body and answers with a JSON array of the objects that
// ndrexplain -format json writes; the language comes from ?lang=ja|en or
// the Accept-Language header.
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
)

func main() {
	addr := flag.String("addr", "localhost:8080", "`host:port` to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(os.Stderr, "helpdesk: serving http://%s/\n", ln.Addr())
	if err := serve(ctx, ln); err != nil {
		log.Fatal(err)
	}
}

// serve runs the server on ln until ctx ends.
func serve(ctx context.Context, ln net.Listener) error {
	srv := newServer(newHandler())
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
