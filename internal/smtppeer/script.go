// Package smtppeer is a scripted SMTP server for tests. It answers each
// recipient with a reply chosen in advance, at RCPT or after DATA, and can
// misbehave in the ways real receivers do: reject at the greeting, drop the
// connection, or never answer. It records every reply it gave, so a test can
// compare a bounce message with what the remote side really said.
//
// The package uses only the standard library and listens wherever its caller
// asks; tests and the bounce generator use 127.0.0.1 only.
package smtppeer

import (
	"errors"
	"fmt"
	"strings"
)

// Reply is one SMTP reply as sent on the wire: one string per line, each
// beginning with the three-digit code and a '-' (more lines follow) or a
// space (last line), without the trailing CRLF.
type Reply []string

// ErrBadReply reports a Reply that is not a well-formed SMTP reply.
var ErrBadReply = errors.New("smtppeer: malformed reply")

// ErrBadScript reports a Script whose settings contradict each other.
var ErrBadScript = errors.New("smtppeer: invalid script")

// NewReply builds a reply with the given code from one or more lines of
// text, marking every line but the last as a continuation. A text line may
// begin with an enhanced status code; it is kept as given.
func NewReply(code int, text ...string) Reply {
	if len(text) == 0 {
		text = []string{""}
	}
	r := make(Reply, len(text))
	for i, t := range text {
		sep := "-"
		if i == len(text)-1 {
			sep = " "
		}
		r[i] = fmt.Sprintf("%03d%s%s", code, sep, t)
	}
	return r
}

// Code returns the reply's three-digit code, or 0 for an empty or malformed
// reply.
func (r Reply) Code() int {
	if r.Validate() != nil {
		return 0
	}
	return int(r[0][0]-'0')*100 + int(r[0][1]-'0')*10 + int(r[0][2]-'0')
}

// Validate reports whether r is a well-formed reply: at least one line,
// every line starting with the same three-digit code (2xx to 5xx), '-' after
// the code on every line but the last and a space (or nothing) on the last,
// and no CR or LF inside a line. The error wraps ErrBadReply.
func (r Reply) Validate() error {
	if len(r) == 0 {
		return fmt.Errorf("%w: no lines", ErrBadReply)
	}
	code := ""
	for i, line := range r {
		if len(line) < 3 {
			return fmt.Errorf("%w: line %d %q is shorter than a code", ErrBadReply, i+1, line)
		}
		if strings.ContainsAny(line, "\r\n") {
			return fmt.Errorf("%w: line %d contains CR or LF", ErrBadReply, i+1)
		}
		c := line[:3]
		if c[0] < '2' || c[0] > '5' || c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9' {
			return fmt.Errorf("%w: line %d %q does not start with a reply code", ErrBadReply, i+1, line)
		}
		if i == 0 {
			code = c
		} else if c != code {
			return fmt.Errorf("%w: line %d has code %s, the first line %s", ErrBadReply, i+1, c, code)
		}
		last := i == len(r)-1
		switch {
		case len(line) == 3 && last:
		case len(line) == 3:
			return fmt.Errorf("%w: line %d %q lacks the '-' of a continued reply", ErrBadReply, i+1, line)
		case last && line[3] != ' ':
			return fmt.Errorf("%w: last line %q must have a space after the code", ErrBadReply, line)
		case !last && line[3] != '-':
			return fmt.Errorf("%w: line %d %q must have '-' after the code", ErrBadReply, i+1, line)
		}
	}
	return nil
}

// Recipient says how the peer answers one recipient.
type Recipient struct {
	// Rcpt is the reply to RCPT TO. Empty means the script's DefaultRcpt.
	Rcpt Reply `json:"rcpt,omitempty"`
	// Drop closes the connection when RCPT TO for this recipient arrives,
	// without any reply.
	Drop bool `json:"drop,omitempty"`
	// Data is the reply after the message data when this recipient was
	// accepted at RCPT. When several accepted recipients carry one, the
	// first accepted wins; the reply then applies to every accepted
	// recipient, as SMTP has a single reply to the data.
	Data Reply `json:"data,omitempty"`
}

// Script describes the whole behaviour of a peer. The zero Script is a
// well-behaved server that accepts everything.
type Script struct {
	// Hostname is the name in the greeting and the EHLO reply; empty means
	// "mx.example.net".
	Hostname string `json:"hostname,omitempty"`
	// Greeting replaces the default "220 <hostname> ESMTP" greeting. A 5xx
	// greeting makes the peer answer 503 to every command but QUIT; a 421
	// greeting closes the connection right after it.
	Greeting Reply `json:"greeting,omitempty"`
	// Hang accepts connections and never sends anything.
	Hang bool `json:"hang,omitempty"`
	// DropAfterGreeting sends the greeting and then closes the connection.
	DropAfterGreeting bool `json:"drop_after_greeting,omitempty"`
	// Recipients holds the per-recipient answers, keyed by address
	// (compared without regard to case).
	Recipients map[string]Recipient `json:"recipients,omitempty"`
	// DefaultRcpt answers recipients that are not in Recipients; empty
	// means "250 2.1.5 Ok".
	DefaultRcpt Reply `json:"default_rcpt,omitempty"`
	// Data answers the message data when no accepted recipient has its own
	// Data reply; empty means "250 2.0.0 Ok: queued".
	Data Reply `json:"data,omitempty"`
	// NoPipelining leaves PIPELINING out of the EHLO reply.
	NoPipelining bool `json:"no_pipelining,omitempty"`
}

// Validate checks every reply in the script and that the session-level
// switches do not contradict each other. Errors wrap ErrBadReply or
// ErrBadScript.
func (s *Script) Validate() error {
	if s.Hang && (s.DropAfterGreeting || len(s.Greeting) > 0) {
		return fmt.Errorf("%w: hang excludes greeting and drop_after_greeting", ErrBadScript)
	}
	check := func(what string, r Reply) error {
		if len(r) == 0 {
			return nil
		}
		if err := r.Validate(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	if err := check("greeting", s.Greeting); err != nil {
		return err
	}
	if err := check("default_rcpt", s.DefaultRcpt); err != nil {
		return err
	}
	if err := check("data", s.Data); err != nil {
		return err
	}
	for addr, rc := range s.Recipients {
		if strings.TrimSpace(addr) == "" {
			return fmt.Errorf("%w: empty recipient address", ErrBadScript)
		}
		if rc.Drop && len(rc.Rcpt) > 0 {
			return fmt.Errorf("%w: recipient %s both drops and replies", ErrBadScript, addr)
		}
		if err := check("recipient "+addr+" rcpt", rc.Rcpt); err != nil {
			return err
		}
		if err := check("recipient "+addr+" data", rc.Data); err != nil {
			return err
		}
	}
	return nil
}

func (s *Script) hostname() string {
	if s.Hostname != "" {
		return s.Hostname
	}
	return "mx.example.net"
}

func (s *Script) greeting() Reply {
	if len(s.Greeting) > 0 {
		return s.Greeting
	}
	return NewReply(220, s.hostname()+" ESMTP")
}

func (s *Script) recipient(addr string) (Recipient, bool) {
	if rc, ok := s.Recipients[addr]; ok {
		return rc, true
	}
	for k, rc := range s.Recipients {
		if strings.EqualFold(k, addr) {
			return rc, true
		}
	}
	return Recipient{}, false
}

func (s *Script) rcptReply(rc Recipient) Reply {
	switch {
	case len(rc.Rcpt) > 0:
		return rc.Rcpt
	case len(s.DefaultRcpt) > 0:
		return s.DefaultRcpt
	}
	return NewReply(250, "2.1.5 Ok")
}
