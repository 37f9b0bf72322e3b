package smtppeer_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/internal/smtppeer"
)

// safety bounds a read that is expected to succeed, so that a broken peer
// fails the test instead of stalling it.
const safety = 10 * time.Second

// start runs a server for script on a loopback port.
func start(t *testing.T, script smtppeer.Script) (*smtppeer.Server, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &smtppeer.Server{Script: script}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, smtppeer.ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return srv, l.Addr().String()
}

// client is a raw SMTP client that shows replies line by line.
type client struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{c: c, r: bufio.NewReader(c)}
}

// reply reads one (possibly multi-line) reply. It returns io.EOF when the
// peer closed the connection before a reply began.
func (cl *client) reply(wait time.Duration) (smtppeer.Reply, error) {
	cl.c.SetReadDeadline(time.Now().Add(wait))
	var r smtppeer.Reply
	for {
		line, err := cl.r.ReadString('\n')
		if err != nil {
			if len(r) == 0 && line == "" {
				return nil, err
			}
			return r, err
		}
		line = strings.TrimSuffix(line, "\r\n")
		r = append(r, line)
		if len(line) < 4 || line[3] == ' ' {
			return r, nil
		}
	}
}

func (cl *client) write(s string) {
	cl.c.SetWriteDeadline(time.Now().Add(safety))
	io.WriteString(cl.c, s)
}

// step sends one command (or nothing) and states what must come back.
type step struct {
	send   string         // written as is; "" sends nothing
	want   smtppeer.Reply // the reply expected
	closed bool           // the connection must be closed instead
}

var ehloReply = smtppeer.Reply{
	"250-mx.example.net",
	"250-PIPELINING",
	"250-SIZE 35882577",
	"250-8BITMIME",
	"250-ENHANCEDSTATUSCODES",
	"250 SMTPUTF8",
}

var gmailUnknown = smtppeer.Reply{
	"550-5.1.1 The email account that you tried to reach does not exist. Please try",
	"550-5.1.1 double-checking the recipient's email address for typos or",
	"550-5.1.1 unnecessary spaces. For more information, go to",
	"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456.27 - gsmtp",
}

func TestDialogues(t *testing.T) {
	greet := smtppeer.Reply{"220 mx.example.net ESMTP"}
	ok250 := smtppeer.Reply{"250 2.1.0 Ok"}
	rcpt250 := smtppeer.Reply{"250 2.1.5 Ok"}
	tests := []struct {
		name    string
		script  smtppeer.Script
		steps   []step
		entries []smtppeer.Entry
		msgs    int
	}{
		{
			name: "per-recipient replies at RCPT",
			script: smtppeer.Script{Recipients: map[string]smtppeer.Recipient{
				"nobody@example.net": {Rcpt: smtppeer.Reply{"550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown"}},
				"Full@Example.net":   {Rcpt: smtppeer.NewReply(552, "5.2.2 Mailbox full")},
				"gmail@example.net":  {Rcpt: gmailUnknown},
			}},
			steps: []step{
				{want: greet},
				{send: "EHLO client.example.com\r\n", want: ehloReply},
				{send: "MAIL FROM:<sender@example.org> SIZE=100\r\n", want: ok250},
				{send: "RCPT TO:<nobody@example.net>\r\n", want: smtppeer.Reply{"550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown"}},
				{send: "RCPT TO:<full@example.net>\r\n", want: smtppeer.Reply{"552 5.2.2 Mailbox full"}},
				{send: "rcpt to: <gmail@example.net>\r\n", want: gmailUnknown},
				{send: "RCPT TO:<ok@example.net> NOTIFY=FAILURE\r\n", want: rcpt250},
				{send: "DATA\r\n", want: smtppeer.Reply{"354 End data with <CR><LF>.<CR><LF>"}},
				{send: "Subject: t\r\n\r\n..dot\r\n.\r\n", want: smtppeer.Reply{"250 2.0.0 Ok: queued"}},
				{send: "QUIT\r\n", want: smtppeer.Reply{"221 2.0.0 Bye"}},
				{closed: true},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: greet},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "nobody@example.net", Reply: smtppeer.Reply{"550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown"}},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "full@example.net", Reply: smtppeer.Reply{"552 5.2.2 Mailbox full"}},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "gmail@example.net", Reply: gmailUnknown},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "ok@example.net", Reply: rcpt250},
				{Conn: 1, Stage: smtppeer.StageData, Recipient: "ok@example.net", Reply: smtppeer.Reply{"250 2.0.0 Ok: queued"}},
			},
			msgs: 1,
		},
		{
			name: "reply at DATA for every accepted recipient",
			script: smtppeer.Script{
				NoPipelining: true,
				Recipients: map[string]smtppeer.Recipient{
					"b@example.net": {Data: smtppeer.Reply{"550 5.7.26 This mail has been blocked because the sender is unauthenticated."}},
				},
			},
			steps: []step{
				{want: greet},
				{send: "HELO client.example.com\r\n", want: smtppeer.Reply{"250 mx.example.net"}},
				{send: "MAIL FROM:<>\r\n", want: ok250},
				{send: "RCPT TO:<a@example.net>\r\n", want: rcpt250},
				{send: "RCPT TO:<b@example.net>\r\n", want: rcpt250},
				{send: "DATA\r\n", want: smtppeer.Reply{"354 End data with <CR><LF>.<CR><LF>"}},
				{send: "x\r\n.\r\n", want: smtppeer.Reply{"550 5.7.26 This mail has been blocked because the sender is unauthenticated."}},
				{send: "QUIT\r\n", want: smtppeer.Reply{"221 2.0.0 Bye"}},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: greet},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "a@example.net", Reply: rcpt250},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "b@example.net", Reply: rcpt250},
				{Conn: 1, Stage: smtppeer.StageData, Recipient: "a@example.net", Reply: smtppeer.Reply{"550 5.7.26 This mail has been blocked because the sender is unauthenticated."}},
				{Conn: 1, Stage: smtppeer.StageData, Recipient: "b@example.net", Reply: smtppeer.Reply{"550 5.7.26 This mail has been blocked because the sender is unauthenticated."}},
			},
		},
		{
			name: "drop after RCPT",
			script: smtppeer.Script{Recipients: map[string]smtppeer.Recipient{
				"drop@example.net": {Drop: true},
			}},
			steps: []step{
				{want: greet},
				{send: "EHLO c\r\n", want: ehloReply},
				{send: "MAIL FROM:<s@example.org>\r\n", want: ok250},
				{send: "RCPT TO:<drop@example.net>\r\n", closed: true},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: greet},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "drop@example.net", Dropped: true},
			},
		},
		{
			name:   "drop after greeting",
			script: smtppeer.Script{DropAfterGreeting: true},
			steps: []step{
				{want: greet},
				{closed: true},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: greet, Dropped: true},
			},
		},
		{
			name:   "554 greeting refuses everything but QUIT",
			script: smtppeer.Script{Greeting: smtppeer.Reply{"554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked"}},
			steps: []step{
				{want: smtppeer.Reply{"554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked"}},
				{send: "EHLO c\r\n", want: smtppeer.Reply{"503 5.5.1 Error: no service"}},
				{send: "MAIL FROM:<s@example.org>\r\n", want: smtppeer.Reply{"503 5.5.1 Error: no service"}},
				{send: "QUIT\r\n", want: smtppeer.Reply{"221 2.0.0 Bye"}},
				{closed: true},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: smtppeer.Reply{"554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked"}},
			},
		},
		{
			name: "421 at RCPT closes the connection",
			script: smtppeer.Script{Recipients: map[string]smtppeer.Recipient{
				"y@example.net": {Rcpt: smtppeer.Reply{"421 4.7.0 [TSS04] Messages from 127.0.0.1 temporarily deferred"}},
			}},
			steps: []step{
				{want: greet},
				{send: "EHLO c\r\n", want: ehloReply},
				{send: "MAIL FROM:<s@example.org>\r\n", want: ok250},
				{send: "RCPT TO:<y@example.net>\r\n", want: smtppeer.Reply{"421 4.7.0 [TSS04] Messages from 127.0.0.1 temporarily deferred"}},
				{closed: true},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: greet},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "y@example.net", Reply: smtppeer.Reply{"421 4.7.0 [TSS04] Messages from 127.0.0.1 temporarily deferred"}, Dropped: true},
			},
		},
		{
			name:   "pipelined commands and protocol errors",
			script: smtppeer.Script{DefaultRcpt: smtppeer.Reply{"550 5.1.1 User unknown"}},
			steps: []step{
				{want: greet},
				{send: "EHLO c\r\n", want: ehloReply},
				{send: "RCPT TO:<early@example.net>\r\n", want: smtppeer.Reply{"503 5.5.1 Error: need MAIL command"}},
				{send: "MAIL FROM:<s@example.org>\r\nRCPT TO:<x@example.net>\r\nDATA\r\n", want: ok250},
				{want: smtppeer.Reply{"550 5.1.1 User unknown"}},
				{want: smtppeer.Reply{"554 5.5.1 Error: no valid recipients"}},
				{send: "MAIL FROM:bare@example.org\r\n", want: ok250},
				{send: "RCPT TO:<>\r\n", want: smtppeer.Reply{"501 5.5.4 Syntax: RCPT TO:<address>"}},
				{send: "STARTTLS\r\n", want: smtppeer.Reply{"502 5.5.2 Error: command not recognized"}},
				{send: "NOOP\r\n", want: smtppeer.Reply{"250 2.0.0 Ok"}},
				{send: "RSET\r\n", want: smtppeer.Reply{"250 2.0.0 Ok"}},
				{send: "DATA\r\n", want: smtppeer.Reply{"503 5.5.1 Error: need MAIL command"}},
			},
			entries: []smtppeer.Entry{
				{Conn: 1, Stage: smtppeer.StageConnect, Reply: greet},
				{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "x@example.net", Reply: smtppeer.Reply{"550 5.1.1 User unknown"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, addr := start(t, tt.script)
			cl := dial(t, addr)
			for i, st := range tt.steps {
				if st.send != "" {
					cl.write(st.send)
				}
				got, err := cl.reply(safety)
				if st.closed {
					if err == nil || !errors.Is(err, io.EOF) && !isReset(err) {
						t.Fatalf("step %d: got %q, %v; want the connection closed", i, got, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d (%q): %v", i, st.send, err)
				}
				if diff := cmp.Diff(st.want, got); diff != "" {
					t.Fatalf("step %d (%q) reply mismatch (-want +got):\n%s", i, st.send, diff)
				}
			}
			cl.c.Close()
			srv.Close()
			if diff := cmp.Diff(tt.entries, srv.Entries()); diff != "" {
				t.Errorf("entries mismatch (-want +got):\n%s", diff)
			}
			if got := len(srv.Messages()); got != tt.msgs {
				t.Errorf("got %d accepted messages, want %d", got, tt.msgs)
			}
		})
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

func TestHang(t *testing.T) {
	srv, addr := start(t, smtppeer.Script{Hang: true})
	cl := dial(t, addr)
	// The peer must stay silent: a short deadline is the only way to see
	// that nothing comes.
	got, err := cl.reply(200 * time.Millisecond)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("got %q, %v; want a read timeout", got, err)
	}
	cl.write("EHLO c\r\n")
	got, err = cl.reply(200 * time.Millisecond)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("after EHLO got %q, %v; want a read timeout", got, err)
	}
	// Close must end the hung connection too.
	srv.Close()
	want := []smtppeer.Entry{{Conn: 1, Stage: smtppeer.StageConnect, NoAnswer: true}}
	if diff := cmp.Diff(want, srv.Entries()); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
	if _, err := cl.reply(safety); err == nil {
		t.Error("connection still open after Close")
	}
}

// TestNetSMTP sends through the standard library client, as an MTA would.
func TestNetSMTP(t *testing.T) {
	var seen []smtppeer.Entry
	srv := &smtppeer.Server{
		Script: smtppeer.Script{Recipients: map[string]smtppeer.Recipient{
			"gmail@example.net": {Rcpt: gmailUnknown},
		}},
		OnEntry: func(e smtppeer.Entry) { seen = append(seen, e) },
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()

	c, err := smtp.Dial(l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("sender@example.org"); err != nil {
		t.Fatal(err)
	}
	err = c.Rcpt("gmail@example.net")
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Fatalf("RCPT gmail: got %v, want a 550 textproto.Error", err)
	}
	wantMsg := "5.1.1 The email account that you tried to reach does not exist. Please try\n" +
		"5.1.1 double-checking the recipient's email address for typos or\n" +
		"5.1.1 unnecessary spaces. For more information, go to\n" +
		"5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456.27 - gsmtp"
	if diff := cmp.Diff(wantMsg, te.Msg); diff != "" {
		t.Errorf("multi-line text mismatch (-want +got):\n%s", diff)
	}
	if err := c.Rcpt("ok@example.net"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "Subject: hello\r\n\r\n.leading dot\r\nbody\r\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	msgs := srv.Messages()
	want := []smtppeer.Message{{
		Conn: 1,
		From: "sender@example.org",
		To:   []string{"ok@example.net"},
		Data: []byte("Subject: hello\r\n\r\n.leading dot\r\nbody\r\n"),
	}}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(srv.Entries(), seen); diff != "" {
		t.Errorf("OnEntry saw other entries than Entries (-entries +seen):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		script smtppeer.Script
		want   error
	}{
		{"zero script", smtppeer.Script{}, nil},
		{"good multi-line", smtppeer.Script{DefaultRcpt: gmailUnknown}, nil},
		{"bare code", smtppeer.Script{Data: smtppeer.Reply{"250"}}, nil},
		{"no code", smtppeer.Script{Data: smtppeer.Reply{"hello"}}, smtppeer.ErrBadReply},
		{"short", smtppeer.Script{Data: smtppeer.Reply{"25"}}, smtppeer.ErrBadReply},
		{"1xx code", smtppeer.Script{Data: smtppeer.Reply{"150 x"}}, smtppeer.ErrBadReply},
		{"continued last line", smtppeer.Script{Data: smtppeer.Reply{"250-a", "250-b"}}, smtppeer.ErrBadReply},
		{"unmarked first line", smtppeer.Script{Data: smtppeer.Reply{"250 a", "250 b"}}, smtppeer.ErrBadReply},
		{"mixed codes", smtppeer.Script{Data: smtppeer.Reply{"250-a", "251 b"}}, smtppeer.ErrBadReply},
		{"CRLF inside", smtppeer.Script{Greeting: smtppeer.Reply{"220 a\r\n250 b"}}, smtppeer.ErrBadReply},
		{"bad recipient reply", smtppeer.Script{Recipients: map[string]smtppeer.Recipient{"a@b": {Rcpt: smtppeer.Reply{"x"}}}}, smtppeer.ErrBadReply},
		{"bad recipient data reply", smtppeer.Script{Recipients: map[string]smtppeer.Recipient{"a@b": {Data: smtppeer.Reply{}}}}, nil},
		{"drop and reply", smtppeer.Script{Recipients: map[string]smtppeer.Recipient{"a@b": {Drop: true, Rcpt: smtppeer.Reply{"250 ok"}}}}, smtppeer.ErrBadScript},
		{"empty address", smtppeer.Script{Recipients: map[string]smtppeer.Recipient{" ": {}}}, smtppeer.ErrBadScript},
		{"hang with greeting", smtppeer.Script{Hang: true, Greeting: smtppeer.Reply{"220 x"}}, smtppeer.ErrBadScript},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.script.Validate()
			if tt.want == nil {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestServeRejectsBadScript(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &smtppeer.Server{Script: smtppeer.Script{Greeting: smtppeer.Reply{"nope"}}}
	if err := srv.Serve(l); !errors.Is(err, smtppeer.ErrBadReply) {
		t.Fatalf("Serve = %v, want ErrBadReply", err)
	}
	if _, err := net.Dial("tcp", l.Addr().String()); err == nil {
		t.Error("listener still open after Serve refused the script")
	}
}

func TestReply(t *testing.T) {
	tests := []struct {
		name string
		got  smtppeer.Reply
		want smtppeer.Reply
		code int
	}{
		{"one line", smtppeer.NewReply(552, "5.2.2 Mailbox full"), smtppeer.Reply{"552 5.2.2 Mailbox full"}, 552},
		{"three lines", smtppeer.NewReply(550, "a", "b", "c"), smtppeer.Reply{"550-a", "550-b", "550 c"}, 550},
		{"no text", smtppeer.NewReply(250), smtppeer.Reply{"250 "}, 250},
		{"malformed", smtppeer.Reply{"abc"}, smtppeer.Reply{"abc"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("reply mismatch (-want +got):\n%s", diff)
			}
			if c := tt.got.Code(); c != tt.code {
				t.Errorf("Code() = %d, want %d", c, tt.code)
			}
		})
	}
}

func TestEntryString(t *testing.T) {
	tests := []struct {
		e    smtppeer.Entry
		want string
	}{
		{smtppeer.Entry{Conn: 2, Stage: smtppeer.StageConnect, NoAnswer: true}, "conn 2 connect: no answer"},
		{smtppeer.Entry{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "a@b", Dropped: true}, "conn 1 RCPT <a@b>: dropped"},
		{smtppeer.Entry{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "a@b", Reply: smtppeer.Reply{"421 x"}, Dropped: true}, "conn 1 RCPT <a@b>: 421 x (then dropped)"},
		{smtppeer.Entry{Conn: 3, Stage: smtppeer.StageData, Recipient: "a@b", Reply: smtppeer.Reply{"550-a", "550 b"}}, "conn 3 DATA <a@b>: 550-a | 550 b"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
