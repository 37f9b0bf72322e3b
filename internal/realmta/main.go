// Command realmta is the helper program of scripts/realmta/generate.sh, which
// makes real MTAs bounce messages off a scripted SMTP peer on loopback.
//
// Usage:
//
//	realmta peer  -case FILE -listen ADDR -record FILE [-capture DIR [-capture-to DOMAIN]] [-ready FILE]
//	realmta peer  -listen ADDR -capture DIR [-ready FILE]
//	realmta rcpts -case FILE
//	realmta truth -case FILE -mta NAME -record FILE -bounce FILE -out FILE
//	realmta dns   -listen ADDR [-ready FILE]
//
// "peer" runs the case's script (or, without -case, a peer that accepts
// everything) until SIGTERM or SIGINT. It appends each recorded answer to
// the -record file as one JSON object per line and, with -capture, stores
// every accepted message there as NNN.eml with LF line endings (with
// -capture-to, only those with a recipient in that domain). It creates
// the -ready file once it listens.
//
// "rcpts" prints the case's envelope recipients, one per line.
//
// "truth" writes the ground truth for one generated bounce: per recipient
// what the peer answered and what a reader of the bounce can know of it.
//
// "dns" answers every DNS query with NXDOMAIN, so that lookups made by the
// MTAs end at once and stay on the machine.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/ndrkit/ndrkit/internal/smtppeer"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "peer":
		err = runPeer(os.Args[2:])
	case "rcpts":
		err = runRcpts(os.Args[2:])
	case "truth":
		err = runTruth(os.Args[2:])
	case "dns":
		err = runDNS(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "realmta:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: realmta peer|rcpts|truth|dns [flags] (see the package documentation)")
	os.Exit(2)
}

// caseFile is one scripted case from scripts/realmta/cases.
type caseFile struct {
	// Description says what the case imitates.
	Description string `json:"description"`
	// Kind is "bounce" (a final non-delivery report is awaited) or
	// "delay" (a delay warning is awaited).
	Kind string `json:"kind"`
	// Peer is the remote server's behaviour.
	Peer smtppeer.Script `json:"peer"`
	// Recipients are the envelope recipients, in order.
	Recipients []caseRecipient `json:"recipients"`
}

// caseRecipient is one envelope recipient of a case.
type caseRecipient struct {
	// Address is the recipient address.
	Address string `json:"address"`
	// Reasons are the reasons that fit the remote answer.
	Reasons []string `json:"reasons,omitempty"`
	// Delivered marks a recipient the peer accepts: it must not be
	// reported as failed or delayed.
	Delivered bool `json:"delivered,omitempty"`
}

func loadCase(path string) (*caseFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c caseFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := c.Peer.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.Kind != "bounce" && c.Kind != "delay" {
		return nil, fmt.Errorf("%s: kind %q is neither bounce nor delay", path, c.Kind)
	}
	if len(c.Recipients) == 0 {
		return nil, fmt.Errorf("%s: no recipients", path)
	}
	for _, r := range c.Recipients {
		if r.Address == "" {
			return nil, fmt.Errorf("%s: recipient without address", path)
		}
		if !r.Delivered && len(r.Reasons) == 0 {
			return nil, fmt.Errorf("%s: recipient %s has no reasons", path, r.Address)
		}
	}
	return &c, nil
}

func runRcpts(args []string) error {
	fs := flag.NewFlagSet("rcpts", flag.ExitOnError)
	casePath := fs.String("case", "", "case file")
	fs.Parse(args)
	c, err := loadCase(*casePath)
	if err != nil {
		return err
	}
	for _, r := range c.Recipients {
		fmt.Println(r.Address)
	}
	return nil
}

func runPeer(args []string) error {
	fs := flag.NewFlagSet("peer", flag.ExitOnError)
	casePath := fs.String("case", "", "case file (empty: accept everything)")
	listen := fs.String("listen", "127.0.0.1:2525", "address to listen on")
	record := fs.String("record", "", "file to append recorded answers to (JSON lines)")
	capture := fs.String("capture", "", "directory to store accepted messages in")
	ready := fs.String("ready", "", "file to create once listening")
	captureTo := fs.String("capture-to", "", "store only messages with a recipient in this domain")
	fs.Parse(args)

	srv := &smtppeer.Server{}
	if *casePath != "" {
		c, err := loadCase(*casePath)
		if err != nil {
			return err
		}
		srv.Script = c.Peer
	}
	if *record != "" {
		f, err := os.OpenFile(*record, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		enc := json.NewEncoder(f)
		srv.OnEntry = func(e smtppeer.Entry) {
			if err := enc.Encode(e); err != nil {
				fmt.Fprintln(os.Stderr, "realmta peer: record:", err)
			}
		}
	}
	if *capture != "" {
		if err := os.MkdirAll(*capture, 0o755); err != nil {
			return err
		}
		n := 0
		srv.OnMessage = func(m smtppeer.Message) {
			if *captureTo != "" && !toDomain(m.To, *captureTo) {
				return
			}
			n++
			name := filepath.Join(*capture, fmt.Sprintf("%03d.eml", n))
			for {
				if _, err := os.Stat(name); errors.Is(err, os.ErrNotExist) {
					break
				}
				n++
				name = filepath.Join(*capture, fmt.Sprintf("%03d.eml", n))
			}
			tmp := name + ".tmp"
			if err := os.WriteFile(tmp, toLF(m.Data), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "realmta peer: capture:", err)
				return
			}
			if err := os.Rename(tmp, name); err != nil {
				fmt.Fprintln(os.Stderr, "realmta peer: capture:", err)
			}
		}
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(l.Addr().String()+"\n"), 0o644); err != nil {
			l.Close()
			return err
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case <-sig:
		srv.Close()
		<-done
		return nil
	case err := <-done:
		return err
	}
}

// toDomain reports whether one of the addresses is in domain.
func toDomain(addrs []string, domain string) bool {
	for _, a := range addrs {
		if i := strings.LastIndexByte(a, '@'); i >= 0 && strings.EqualFold(a[i+1:], domain) {
			return true
		}
	}
	return false
}

// toLF turns CRLF line endings into LF, the form of the project's .eml files.
func toLF(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		out = append(out, b[i])
	}
	return out
}
