package ndr

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotBounce is returned when a message is readable but is not a
// delivery report, an automatic reply or a feedback report; a read
// receipt (RFC 8098) is not one either.
var ErrNotBounce = errors.New("ndr: message is not a bounce")

// ErrEmpty is returned for empty input.
var ErrEmpty = errors.New("ndr: empty input")

// ErrLimit is matched by every *LimitError.
var ErrLimit = errors.New("ndr: input exceeds a limit")

// LimitError reports input beyond one of the limits of Options: the
// message size, the number of MIME parts or the nesting depth.
type LimitError struct {
	// What names the limit: "size", "parts", "depth", "forwarded" (a
	// bounce forwarded or attached more times than are read) or one of
	// the caps on what a report holds ("recipients", "addresses",
	// "diagnostic", "warnings", "returned header": the header of the
	// returned message, read up to 1 MiB).
	What string
	// Limit is the configured maximum.
	Limit int
}

// Error describes the limit that was exceeded.
func (e *LimitError) Error() string {
	return fmt.Sprintf("ndr: message exceeds the %s limit of %d", e.What, e.Limit)
}

// Is makes errors.Is(err, ErrLimit) true for a *LimitError.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Warning describes a part of a message that could not be read
// completely. A report with warnings is still usable; the warnings say
// what may be missing from it.
type Warning struct {
	// Part names the MIME part, e.g. "1.2" (1-based, dotted), or "" for
	// the whole message.
	Part string
	// Err is the underlying problem.
	Err error
}

// Error names the part and the problem.
func (w Warning) Error() string {
	if w.Err == nil {
		return "ndr: warning"
	}
	// The errors of this package begin "ndr: " themselves.
	text := strings.TrimPrefix(w.Err.Error(), "ndr: ")
	if w.Part == "" {
		return "ndr: " + text
	}
	return "ndr: part " + w.Part + ": " + text
}

// Unwrap returns the underlying problem.
func (w Warning) Unwrap() error { return w.Err }

// ErrUnknownCharset is wrapped by a Warning for text in a charset that
// could not be decoded; the text is kept as it was.
var ErrUnknownCharset = errors.New("unknown charset")

// ErrTruncated is wrapped by a Warning when a multipart body ends before
// its closing boundary.
var ErrTruncated = errors.New("multipart body is truncated")

// ErrMalformed is wrapped by a Warning for a part of the message that
// breaks the rules of its format and was read as far as it could be: a
// header that cannot be read, a body whose transfer encoding (base64,
// quoted-printable) is damaged, or control bytes in the fields of a
// delivery-status or feedback-report part, which are dropped.
var ErrMalformed = errors.New("malformed content")

// ErrNoAddress is wrapped by a Warning when pasted text holds a mail
// server's failure reply but no recipient address that could be read,
// as when only the line "Remote Server returned '550 5.1.10 ...'" was
// copied, or the address was masked beyond recognition: the report then
// has one recipient whose Recipient is empty. Any pasted text that
// quotes a failure reply, a help page for example, reads so. So does
// pasted text that quotes no reply but a mail program's message that it
// could not connect to its outgoing server (Thunderbird's "The message
// could not be sent because the connection to Outgoing server (SMTP) ...
// timed out"): nothing was sent, and the one recipient has the reason
// networkerror. An Exchange or Outlook NDR that lists a recipient by a
// contact's name but no address, pasted or not, gives a recipient whose
// Recipient is empty for each such entry, with a warning whose
// *NameOnlyError names it. A report whose own fields name a recipient by
// something that is not a valid mailbox address (bytes that are not
// UTF-8, a local part of more than 512 octets) keeps that recipient's
// failure with an empty Recipient and this warning, which quotes the
// first three such addresses.
var ErrNoAddress = errors.New("no recipient address in the text")

// NameOnlyError is the Err of a Warning for a recipient that the report
// lists by a name and no address, as Exchange and Outlook list a contact
// from the sender's address book ("'Kato, Ryo' on 6/10/24 5:00 PM",
// "'山本 花子 (山本 花子 FAX)' 2024/06/03 11:02"): Report.Recipients[Index]
// is that recipient, and its Recipient is empty. It wraps ErrNoAddress.
type NameOnlyError struct {
	// Index is the recipient's place in Report.Recipients, from 0.
	Index int
	// Name is the name as the report lists it, without its quotes.
	Name string
}

// Error names the recipient, counting from 1.
func (e *NameOnlyError) Error() string {
	return fmt.Sprintf("%v: recipient %d is listed by the name %q only", ErrNoAddress, e.Index+1, e.Name)
}

// Unwrap returns ErrNoAddress.
func (e *NameOnlyError) Unwrap() error { return ErrNoAddress }

// ErrQuoted is wrapped by a Warning when the bounce was read from a
// message that a person wrote, a reply or a forward (a subject that
// starts with "Re:", "Fwd:" or the like, sent by no mail system and
// marked as no automatic message), which quotes the bounce or carries it
// along. The failure it reports may be old and already dealt with; a
// caller that keeps a suppression list should not add its addresses
// without a look.
var ErrQuoted = errors.New("the bounce is quoted in a message written by a person")

// ErrAttached is wrapped by a Warning when the message given reports no
// delivery itself and the bounce was read from a message it carries as
// an attachment (message/rfc822), as when a user forwards a bounce "as
// an attachment". Report.Subject and Report.From are then the attached
// bounce's. When the carrying message was written by a person, ErrQuoted
// is reported too.
var ErrAttached = errors.New("the bounce was read from a message attached to the one given")

// ErrMbox is wrapped by a Warning when the input is an mbox holding more
// than one message: Explain reads the first; SplitMbox splits them.
var ErrMbox = errors.New("more than one message")
