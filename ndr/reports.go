package ndr

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
)

// MessageError is the error Reports gives for one message it could not
// explain. errors.Is and errors.As see the underlying error, so
// errors.Is(err, ErrNotBounce) tells an ordinary message apart.
type MessageError struct {
	// Index is the message's position in the input, starting at 1.
	Index int
	// InMbox is true when the input is an mbox: it begins with an mbox
	// "From " line or holds more than one message. Error then names the
	// position.
	InMbox bool
	// Err is the problem: ErrNotBounce, ErrEmpty, a *LimitError, ...
	Err error
}

// Error names the message's position in an mbox, then the problem.
func (e *MessageError) Error() string {
	if e.InMbox {
		return fmt.Sprintf("message %d: %v", e.Index, e.Err)
	}
	return e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *MessageError) Unwrap() error { return e.Err }

// Reports explains every message in r, one at a time, in order: a single
// message, bounce text pasted without a header (read as ExplainText
// reads it), or an mbox of any number of messages. Each iteration is
// one message: a report, or a *MessageError for a message that could not
// be explained (errors.Is(err, ErrNotBounce) for an ordinary message) —
// the iteration goes on after it. An error reading r ends the iteration
// and is given as it is.
//
// Messages are split where SplitMbox splits them, but r is read as a
// stream: memory is bounded by the largest message, not by the input.
// A message larger than the size limit (Options.MaxSize) gives a
// *MessageError wrapping a *LimitError; in an mbox the rest of that
// message is skipped without being kept and the next one is read, and
// in input that does not begin with an mbox "From " line reading stops
// there, so a huge file is never read beyond the limit.
func Reports(r io.Reader, opts ...Option) iter.Seq2[*Report, error] {
	return func(yield func(*Report, error) bool) {
		var o Options
		for _, f := range opts {
			if f != nil {
				f(&o)
			}
		}
		maxSize := o.MaxSize
		if maxSize <= 0 {
			maxSize = DefaultMaxSize
		}
		s := &mboxScanner{br: bufio.NewReaderSize(&lfReader{r: r}, 64<<10), max: maxSize, lineStart: true}
		for {
			msg, last, ok := s.next()
			if !ok {
				if s.err != nil {
					yield(nil, s.err)
				} else if s.index == 0 {
					yield(nil, &MessageError{Index: 1, Err: ErrEmpty})
				}
				return
			}
			s.index++
			if s.index > 1 {
				s.inMbox = true
			}
			if msg.over {
				lerr := &MessageError{Index: s.index, InMbox: s.inMbox, Err: &LimitError{What: "size", Limit: maxSize}}
				if !yield(nil, lerr) || !s.inMbox {
					return
				}
				continue
			}
			var rep *Report
			var err error
			if s.index == 1 && last && !s.inMbox && IsPastedText(msg.data) {
				rep, err = ExplainText(string(msg.data), opts...)
			} else {
				rep, err = ExplainBytes(msg.data, opts...)
			}
			if err != nil {
				err = &MessageError{Index: s.index, InMbox: s.inMbox, Err: err}
			}
			if !yield(rep, err) || last {
				return
			}
		}
	}
}

// scannedMessage is one message found by mboxScanner: its bytes, or
// over when it was larger than the limit (data is then empty).
type scannedMessage struct {
	data []byte
	over bool
}

// mboxScanner splits a stream of LF-terminated lines into messages at
// the mbox "From " lines that SplitMbox splits at. It keeps one message
// and one pending "From " line at a time.
type mboxScanner struct {
	br        *bufio.Reader
	max       int
	buf       []byte // the message being read
	over      bool   // the message being read is larger than max
	content   bool   // the message being read has a non-blank byte
	pending   []byte // a "From " line that may start the next message
	carry     []byte // the start of the next message, read with the end of the last
	lineStart bool   // the next segment starts a line
	started   bool   // the first line of the input has been read
	eof       bool
	err       error
	index     int  // messages returned so far
	inMbox    bool // the input began with an mbox "From " line or was split
}

// next returns the next message; last is true when the input ends after
// it, and ok is false when there is none (s.err says why, if not EOF).
func (s *mboxScanner) next() (msg scannedMessage, last, ok bool) {
	if s.carry != nil {
		s.add(s.carry)
		s.carry = nil
	}
	for !s.eof {
		seg, lineStart, err := s.segment()
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = err
				return scannedMessage{}, true, false
			}
			if len(seg) == 0 {
				break
			}
		}
		if s.pending != nil {
			from := s.pending
			s.pending = nil
			if lineStart && isMboxSeparator(from, seg) {
				if !s.started {
					s.inMbox = true
				}
				s.started = true
				m, has := s.finish(true)
				// The message is returned from s.buf: the new one is
				// added to it on the next call.
				if has {
					s.carry = append(from, seg...)
					return m, false, true
				}
				s.add(from)
				s.add(seg)
				continue
			}
			s.started = true
			s.add(from)
		}
		if lineStart && bytes.HasPrefix(seg, []byte("From ")) && (len(seg) > 0 && seg[len(seg)-1] == '\n') {
			// Decide when the next line is known.
			s.pending = append([]byte(nil), seg...)
			continue
		}
		if lineStart && !s.started && len(bytes.TrimSpace(seg)) > 0 {
			s.started = true
		}
		s.add(seg)
		if s.over && !s.inMbox && s.index == 0 {
			// Not an mbox: nothing after the limit is read.
			s.eof = true
			return scannedMessage{over: true}, true, true
		}
	}
	if s.pending != nil {
		s.add(s.pending)
		s.pending = nil
	}
	m, has := s.finish(false)
	return m, true, has
}

// segment reads the next line, or the next piece of a line longer than
// the buffer; lineStart says whether it begins a line.
func (s *mboxScanner) segment() (seg []byte, lineStart bool, err error) {
	lineStart = s.lineStart
	seg, err = s.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.lineStart = false
		return seg, lineStart, nil
	}
	s.lineStart = true
	return seg, lineStart, err
}

// add appends b to the message being read, unless it is over the limit.
func (s *mboxScanner) add(b []byte) {
	if !s.content && len(bytes.TrimSpace(b)) > 0 {
		s.content = true
	}
	if s.over {
		return
	}
	if len(s.buf)+len(b) > s.max {
		s.over = true
		s.buf = s.buf[:0]
		return
	}
	s.buf = append(s.buf, b...)
}

// finish ends the message being read and returns it; has is false when
// it held only blank lines. atSeparator says that a "From " line follows,
// which takes the blank line before it. The buffer is reused for the next message,
// which is safe as Explain does not keep references to its input.
func (s *mboxScanner) finish(atSeparator bool) (scannedMessage, bool) {
	m := scannedMessage{over: s.over}
	if !s.over {
		b := s.buf
		// The blank line before a "From " line belongs to the separator.
		if atSeparator && bytes.HasSuffix(b, []byte("\n\n")) {
			b = b[:len(b)-1]
		}
		m.data = b
	}
	has := s.content
	s.buf, s.over, s.content = s.buf[:0], false, false
	return m, has
}

// isMboxSeparator reports whether the "From " line from, followed by the
// line next, starts a new message where SplitMbox would start one: the
// question is put to SplitMbox itself, so that both split alike.
func isMboxSeparator(from, next []byte) bool {
	probe := make([]byte, 0, len("X: x\n\n")+len(from)+len(next))
	probe = append(probe, "X: x\n\n"...)
	probe = append(probe, from...)
	probe = append(probe, next...)
	return len(SplitMbox(probe)) == 2
}

// lfReader turns CRLF and CR line ends into LF as it reads, as
// SplitMbox does for input held in memory.
type lfReader struct {
	r       io.Reader
	afterCR bool
}

func (l *lfReader) Read(p []byte) (int, error) {
	for {
		n, err := l.r.Read(p)
		w := 0
		for _, c := range p[:n] {
			switch {
			case c == '\n' && l.afterCR:
				l.afterCR = false
				continue
			case c == '\r':
				c = '\n'
				l.afterCR = true
			default:
				l.afterCR = false
			}
			p[w] = c
			w++
		}
		if w > 0 || err != nil || n == 0 {
			return w, err
		}
	}
}
