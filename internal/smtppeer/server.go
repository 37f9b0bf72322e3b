package smtppeer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Stage names the point of the SMTP dialogue at which the peer answered.
type Stage string

// The stages an Entry can record.
const (
	// StageConnect is the greeting (or its absence) on a new connection.
	StageConnect Stage = "connect"
	// StageRcpt is the reply to RCPT TO.
	StageRcpt Stage = "RCPT"
	// StageData is the reply after the message data.
	StageData Stage = "DATA"
)

// Entry records one answer the peer gave (or withheld).
type Entry struct {
	// Conn numbers the connection, from 1 in the order they were accepted.
	Conn int `json:"conn"`
	// Stage is where in the dialogue the answer belongs.
	Stage Stage `json:"stage"`
	// Recipient is the address from RCPT TO, as the client sent it; empty
	// for StageConnect.
	Recipient string `json:"recipient,omitempty"`
	// Reply holds the exact lines sent; empty when nothing was sent.
	Reply Reply `json:"reply,omitempty"`
	// Dropped is set when the peer closed the connection at this point
	// (after sending Reply, if any) instead of continuing the dialogue.
	Dropped bool `json:"dropped,omitempty"`
	// NoAnswer is set when the peer accepted the connection and never
	// answered.
	NoAnswer bool `json:"no_answer,omitempty"`
}

// Message is a message the peer accepted after DATA.
type Message struct {
	// Conn is the connection it arrived on.
	Conn int
	// From is the envelope sender (empty for the null sender).
	From string
	// To lists the recipients accepted at RCPT.
	To []string
	// Data is the message content with dot-stuffing removed and the
	// line endings as received.
	Data []byte
}

// Default limits.
const (
	defaultReadTimeout time.Duration = 5 * time.Minute
	maxLineLength      int           = 4096
	maxMessageSize     int           = 32 << 20
)

// errTooLong reports a command line or message over the peer's limits.
var errTooLong = errors.New("smtppeer: input over the size limit")

// Server runs a Script on every connection it accepts. Set the exported
// fields before calling Serve; they must not change afterwards.
type Server struct {
	// Script is the behaviour; it should pass Validate.
	Script Script
	// OnEntry, if set, is called for each Entry as it is recorded. Calls
	// are serialised.
	OnEntry func(Entry)
	// OnMessage, if set, is called for each accepted message. Calls are
	// serialised.
	OnMessage func(Message)
	// ReadTimeout bounds the wait for each command or data line from the
	// client; zero means five minutes. A hanging peer ignores it.
	ReadTimeout time.Duration

	mu        sync.Mutex
	entries   []Entry
	messages  []Message
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	nconn     int
	closed    bool
	wg        sync.WaitGroup
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("smtppeer: server closed")

// Serve accepts connections on l until Close is called or l fails. It
// validates the script first and returns its error without accepting
// anything if it is invalid.
func (s *Server) Serve(l net.Listener) error {
	if err := s.Script.Validate(); err != nil {
		l.Close()
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	for {
		c, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			return err
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return ErrServerClosed
		}
		if s.conns == nil {
			s.conns = make(map[net.Conn]struct{})
		}
		s.conns[c] = struct{}{}
		s.nconn++
		n := s.nconn
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.handle(c, n)
			c.Close()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// Close stops every listener, closes every open connection (including hung
// ones) and waits for their handlers to finish.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	var errs []error
	for _, l := range s.listeners {
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return errors.Join(errs...)
}

// Entries returns a copy of everything recorded so far, in order.
func (s *Server) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, len(s.entries))
	copy(out, s.entries)
	return out
}

// Messages returns a copy of the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	copy(out, s.messages)
	return out
}

func (s *Server) record(e Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(s.entries, e)
	if s.OnEntry != nil {
		s.OnEntry(e)
	}
}

func (s *Server) keep(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	if s.OnMessage != nil {
		s.OnMessage(m)
	}
}

// session is the state of one connection.
type session struct {
	s      *Server
	c      net.Conn
	r      *bufio.Reader
	n      int
	from   string
	inMail bool
	rcpts  []string
}

func (s *Server) handle(c net.Conn, n int) {
	sc := &s.Script
	if sc.Hang {
		s.record(Entry{Conn: n, Stage: StageConnect, NoAnswer: true})
		// Read and discard until the client gives up or Close is called.
		_, _ = io.Copy(io.Discard, c)
		return
	}
	ss := &session{s: s, c: c, r: bufio.NewReader(c), n: n}
	g := sc.greeting()
	if err := ss.send(g); err != nil {
		return
	}
	closing := sc.DropAfterGreeting || g.Code() == 421
	s.record(Entry{Conn: n, Stage: StageConnect, Reply: g, Dropped: closing})
	if closing {
		return
	}
	ss.loop(g.Code() >= 500)
}

func (ss *session) timeout() time.Duration {
	if ss.s.ReadTimeout > 0 {
		return ss.s.ReadTimeout
	}
	return defaultReadTimeout
}

func (ss *session) send(r Reply) error {
	var b strings.Builder
	for _, l := range r {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	_ = ss.c.SetWriteDeadline(time.Now().Add(ss.timeout()))
	_, err := io.WriteString(ss.c, b.String())
	return err
}

// readLine reads one line and returns it without its line ending.
func (ss *session) readLine(limit int) ([]byte, error) {
	_ = ss.c.SetReadDeadline(time.Now().Add(ss.timeout()))
	var line []byte
	for {
		frag, err := ss.r.ReadSlice('\n')
		line = append(line, frag...)
		if len(line) > limit {
			return nil, errTooLong
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
	return line, nil
}

func (ss *session) reset() {
	ss.from = ""
	ss.inMail = false
	ss.rcpts = nil
}

// loop runs the command dialogue. After a 5xx greeting every command but
// QUIT is refused.
func (ss *session) loop(refuse bool) {
	sc := &ss.s.Script
	for {
		raw, err := ss.readLine(maxLineLength)
		if err != nil {
			if errors.Is(err, errTooLong) {
				_ = ss.send(NewReply(500, "5.5.2 Error: line too long"))
			}
			return
		}
		line := strings.TrimRight(string(raw), "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if refuse && verb != "QUIT" {
			if ss.send(NewReply(503, "5.5.1 Error: no service")) != nil {
				return
			}
			continue
		}
		var reply Reply
		switch verb {
		case "EHLO":
			ext := []string{sc.hostname()}
			if !sc.NoPipelining {
				ext = append(ext, "PIPELINING")
			}
			ext = append(ext, "SIZE 35882577", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8")
			ss.reset()
			reply = NewReply(250, ext...)
		case "HELO":
			ss.reset()
			reply = NewReply(250, sc.hostname())
		case "MAIL":
			path, ok := pathArg(arg, "FROM:")
			if !ok {
				reply = NewReply(501, "5.5.4 Syntax: MAIL FROM:<address>")
				break
			}
			ss.reset()
			ss.from = path
			ss.inMail = true
			reply = NewReply(250, "2.1.0 Ok")
		case "RCPT":
			if !ss.inMail {
				reply = NewReply(503, "5.5.1 Error: need MAIL command")
				break
			}
			addr, ok := pathArg(arg, "TO:")
			if !ok || addr == "" {
				reply = NewReply(501, "5.5.4 Syntax: RCPT TO:<address>")
				break
			}
			rc, _ := sc.recipient(addr)
			if rc.Drop {
				ss.s.record(Entry{Conn: ss.n, Stage: StageRcpt, Recipient: addr, Dropped: true})
				return
			}
			rep := sc.rcptReply(rc)
			err := ss.send(rep)
			closing := rep.Code() == 421
			ss.s.record(Entry{Conn: ss.n, Stage: StageRcpt, Recipient: addr, Reply: rep, Dropped: closing})
			if err != nil || closing {
				return
			}
			if rep.Code()/100 == 2 {
				ss.rcpts = append(ss.rcpts, addr)
			}
			continue
		case "DATA":
			switch {
			case !ss.inMail:
				reply = NewReply(503, "5.5.1 Error: need MAIL command")
			case len(ss.rcpts) == 0:
				reply = NewReply(554, "5.5.1 Error: no valid recipients")
			default:
				if !ss.data() {
					return
				}
				continue
			}
		case "RSET":
			ss.reset()
			reply = NewReply(250, "2.0.0 Ok")
		case "NOOP":
			reply = NewReply(250, "2.0.0 Ok")
		case "VRFY":
			reply = NewReply(252, "2.0.0 Cannot VRFY user")
		case "QUIT":
			_ = ss.send(NewReply(221, "2.0.0 Bye"))
			return
		default:
			reply = NewReply(502, "5.5.2 Error: command not recognized")
		}
		if ss.send(reply) != nil {
			return
		}
	}
}

// data receives the message after DATA and answers it. It returns false
// when the connection is to be closed.
func (ss *session) data() bool {
	sc := &ss.s.Script
	if ss.send(NewReply(354, "End data with <CR><LF>.<CR><LF>")) != nil {
		return false
	}
	var buf bytes.Buffer
	for {
		raw, err := ss.readLine(maxLineLength * 256)
		if err != nil {
			return false
		}
		body := bytes.TrimRight(raw, "\r\n")
		if len(body) == 1 && body[0] == '.' {
			break
		}
		if len(raw) > 0 && raw[0] == '.' {
			raw = raw[1:]
		}
		if buf.Len()+len(raw) > maxMessageSize {
			_ = ss.send(NewReply(552, "5.3.4 Error: message too large"))
			return false
		}
		buf.Write(raw)
	}
	rep := sc.Data
	for _, a := range ss.rcpts {
		if rc, ok := sc.recipient(a); ok && len(rc.Data) > 0 {
			rep = rc.Data
			break
		}
	}
	if len(rep) == 0 {
		rep = NewReply(250, "2.0.0 Ok: queued")
	}
	err := ss.send(rep)
	closing := rep.Code() == 421
	for _, a := range ss.rcpts {
		ss.s.record(Entry{Conn: ss.n, Stage: StageData, Recipient: a, Reply: rep, Dropped: closing})
	}
	if rep.Code()/100 == 2 {
		to := make([]string, len(ss.rcpts))
		copy(to, ss.rcpts)
		ss.s.keep(Message{Conn: ss.n, From: ss.from, To: to, Data: buf.Bytes()})
	}
	ss.reset()
	return err == nil && !closing
}

// pathArg extracts the address from "FROM:<addr> params" or "TO:<addr>".
func pathArg(arg, prefix string) (string, bool) {
	arg = strings.TrimSpace(arg)
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if strings.HasPrefix(rest, "<") {
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return "", false
		}
		return rest[1:end], true
	}
	if f := strings.Fields(rest); len(f) > 0 {
		return f[0], true
	}
	return "", false
}

// String gives a one-line summary of an entry, for logs.
func (e Entry) String() string {
	var what string
	switch {
	case e.NoAnswer:
		what = "no answer"
	case len(e.Reply) == 0 && e.Dropped:
		what = "dropped"
	default:
		what = strings.Join(e.Reply, " | ")
		if e.Dropped {
			what += " (then dropped)"
		}
	}
	if e.Recipient != "" {
		return fmt.Sprintf("conn %d %s <%s>: %s", e.Conn, e.Stage, e.Recipient, what)
	}
	return fmt.Sprintf("conn %d %s: %s", e.Conn, e.Stage, what)
}
