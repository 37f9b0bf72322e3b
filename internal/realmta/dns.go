package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// runDNS answers every DNS query with NXDOMAIN, over UDP and TCP, so that
// MTAs that look names up (MTA-STS records, their own name, the sender's
// domain) get a definite answer at once instead of waiting for time-outs,
// and no query leaves the machine.
func runDNS(args []string) error {
	fs := flag.NewFlagSet("dns", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:53", "address to answer on (UDP and TCP)")
	ready := fs.String("ready", "", "file to create once listening")
	fs.Parse(args)

	pc, err := net.ListenPacket("udp", *listen)
	if err != nil {
		return err
	}
	defer pc.Close()
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	defer l.Close()
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(*listen+"\n"), 0o644); err != nil {
			return err
		}
	}
	go serveUDP(pc)
	go serveTCP(l)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return nil
}

func serveUDP(pc net.PacketConn) {
	buf := make([]byte, 4096)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if resp, ok := nxdomain(buf[:n]); ok {
			_, _ = pc.WriteTo(resp, addr)
		}
	}
}

func serveTCP(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		go func() {
			defer c.Close()
			for {
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				var hdr [2]byte
				if _, err := io.ReadFull(c, hdr[:]); err != nil {
					return
				}
				msg := make([]byte, binary.BigEndian.Uint16(hdr[:]))
				if _, err := io.ReadFull(c, msg); err != nil {
					return
				}
				resp, ok := nxdomain(msg)
				if !ok {
					return
				}
				out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
				if _, err := c.Write(append(out, resp...)); err != nil {
					return
				}
			}
		}()
	}
}

// nxdomain builds the answer to query q: the same ID and question, with
// the response bit, recursion available and RCODE 3 (NXDOMAIN); FORMERR
// when the question cannot be read.
func nxdomain(q []byte) ([]byte, bool) {
	if len(q) < 12 || q[2]&0x80 != 0 {
		return nil, false
	}
	resp := make([]byte, 12, len(q))
	copy(resp, q[:12])
	resp[2] = 0x80 | q[2]&0x79 // QR, opcode and RD kept, AA and TC cleared
	resp[3] = 0x80 | 3         // RA, NXDOMAIN
	binary.BigEndian.PutUint16(resp[6:], 0)
	binary.BigEndian.PutUint16(resp[8:], 0)
	binary.BigEndian.PutUint16(resp[10:], 0)
	end, err := questionEnd(q)
	if err != nil || binary.BigEndian.Uint16(q[4:]) != 1 {
		resp[3] = 0x80 | 1 // FORMERR
		binary.BigEndian.PutUint16(resp[4:], 0)
		return resp, true
	}
	return append(resp, q[12:end]...), true
}

// questionEnd returns the offset just past the first question of q.
func questionEnd(q []byte) (int, error) {
	i := 12
	for {
		if i >= len(q) {
			return 0, fmt.Errorf("truncated name")
		}
		n := int(q[i])
		if n == 0 {
			i++
			break
		}
		if n&0xc0 != 0 {
			return 0, fmt.Errorf("compressed name in question")
		}
		i += 1 + n
	}
	if i+4 > len(q) {
		return 0, fmt.Errorf("truncated question")
	}
	return i + 4, nil
}
