package enhancedcode

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrSyntax is returned (wrapped) by Parse when the text is not an enhanced
// status code of the form class.subject.detail.
var ErrSyntax = errors.New("enhancedcode: invalid enhanced status code")

// Class is the first part of an enhanced status code: success, persistent
// transient failure or permanent failure.
type Class int

// The three classes of RFC 3463.
const (
	Success   Class = 2
	Transient Class = 4
	Permanent Class = 5
)

// String returns the registry name of the class.
func (c Class) String() string {
	switch c {
	case Success:
		return "Success"
	case Transient:
		return "Persistent Transient Failure"
	case Permanent:
		return "Permanent Failure"
	}
	return "Class(" + strconv.Itoa(int(c)) + ")"
}

// Subject is the second part of an enhanced status code: which part of the
// delivery the status is about.
type Subject int

// The subjects of RFC 3463.
const (
	SubjectOther    Subject = 0
	SubjectAddress  Subject = 1
	SubjectMailbox  Subject = 2
	SubjectSystem   Subject = 3
	SubjectNetwork  Subject = 4
	SubjectProtocol Subject = 5
	SubjectContent  Subject = 6
	SubjectPolicy   Subject = 7
)

// String returns the registry name of the subject.
func (s Subject) String() string {
	switch s {
	case SubjectOther:
		return "Other or Undefined Status"
	case SubjectAddress:
		return "Addressing Status"
	case SubjectMailbox:
		return "Mailbox Status"
	case SubjectSystem:
		return "Mail System Status"
	case SubjectNetwork:
		return "Network and Routing Status"
	case SubjectProtocol:
		return "Mail Delivery Protocol Status"
	case SubjectContent:
		return "Message Content or Media Status"
	case SubjectPolicy:
		return "Security or Policy Status"
	}
	return "Subject(" + strconv.Itoa(int(s)) + ")"
}

// Code is an RFC 3463 enhanced status code such as 5.1.1. The elements are
// class, subject and detail; the zero value means "no code". Code has the
// same shape as go-smtp's EnhancedCode, so either converts to the other
// with a plain type conversion.
type Code [3]int

// Parse reads an enhanced status code such as "5.1.1" or "4.7.650".
// Surrounding white space is ignored. The class must be 2, 4 or 5, the
// subject at most three digits and the detail at most three digits, as in
// RFC 3463. An error wraps ErrSyntax.
func Parse(s string) (Code, error) {
	t := strings.TrimSpace(s)
	if len(t) > len("5.999.999") {
		// No code is longer; the error quotes only the start.
		return Code{}, fmt.Errorf("%w: %q and more", ErrSyntax, t[:len("5.999.999")])
	}
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return Code{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	var c Code
	for i, p := range parts {
		if p == "" || len(p) > 3 || (i == 0 && len(p) != 1) {
			return Code{}, fmt.Errorf("%w: %q", ErrSyntax, s)
		}
		n := 0
		for _, r := range p {
			if r < '0' || r > '9' {
				return Code{}, fmt.Errorf("%w: %q", ErrSyntax, s)
			}
			n = n*10 + int(r-'0')
		}
		c[i] = n
	}
	switch Class(c[0]) {
	case Success, Transient, Permanent:
	default:
		return Code{}, fmt.Errorf("%w: class must be 2, 4 or 5: %q", ErrSyntax, s)
	}
	return c, nil
}

// MustParse is like Parse but panics on a malformed code. It is meant for
// constants in programs and tests.
func MustParse(s string) Code {
	c, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return c
}

// String returns the dotted form, "5.1.1", or "" for the zero Code.
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.Itoa(c[0]) + "." + strconv.Itoa(c[1]) + "." + strconv.Itoa(c[2])
}

// MarshalText implements encoding.TextMarshaler; the zero Code marshals
// to an empty string.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; an empty text gives
// the zero Code.
func (c *Code) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*c = Code{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// IsZero reports whether c is the zero Code, meaning no code is known.
func (c Code) IsZero() bool { return c == Code{} }

// Class returns the class (2, 4 or 5).
func (c Code) Class() Class { return Class(c[0]) }

// Subject returns the subject (0 to 7 for registered codes).
func (c Code) Subject() Subject { return Subject(c[1]) }

// Detail returns the detail number.
func (c Code) Detail() int { return c[2] }

// IsSuccess reports whether c is a 2.X.X code.
func (c Code) IsSuccess() bool { return c.Class() == Success }

// Temporary reports whether c is a 4.X.X (persistent transient) code.
func (c Code) Temporary() bool { return c.Class() == Transient }

// Permanent reports whether c is a 5.X.X (permanent failure) code.
func (c Code) Permanent() bool { return c.Class() == Permanent }

// WithClass returns c with its class replaced, for example to look up a
// 4.X.X code under its 5.X.X row.
func (c Code) WithClass(class Class) Code {
	c[0] = int(class)
	return c
}
