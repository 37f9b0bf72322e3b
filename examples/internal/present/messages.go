package present

import (
	"bufio"
	"errors"
	"io"

	"github.com/ndrkit/ndrkit/ndr"
)

// Messages explains every message of r, one at a time (ndr.Reports),
// and calls fn for each with the message's position in an mbox (0 when
// r holds a single message) and either its report or the error with any
// *ndr.MessageError taken off.
func Messages(r io.Reader, opts []ndr.Option, fn func(pos int, rep *ndr.Report, err error)) {
	// Input that begins with an mbox "From " line names the position of
	// every message, the first one too.
	br := bufio.NewReader(r)
	head, _ := br.Peek(5)
	mbox := string(head) == "From "
	index := 0
	for rep, err := range ndr.Reports(br, opts...) {
		index++
		pos := 0
		var me *ndr.MessageError
		if errors.As(err, &me) {
			if me.InMbox {
				pos = me.Index
			}
			err = me.Err
		} else if mbox || index > 1 {
			pos = index
		}
		fn(pos, rep, err)
	}
}
