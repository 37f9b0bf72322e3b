package mime

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// decodeFields decodes the fields' values in place.
func decodeFields(fields []record.Field) {
	for i := range fields {
		fields[i].Value = DecodeHeader(fields[i].Value)
	}
}

// MaxOriginalHeader bounds the header read from a returned message, in
// bytes.
const MaxOriginalHeader = 1 << 20

// readOriginal reads the header of a returned message. It reads no
// further than the header, and no further than MaxOriginalHeader bytes:
// cut reports a header that went on beyond them.
func readOriginal(text string) (o record.Original, ok, cut bool) {
	if len(text) > MaxOriginalHeader {
		text = text[:MaxOriginalHeader]
		cut = true
		// The line that runs past the limit is not read: a field
		// name cut short would end the header as a malformed line.
		if k := strings.LastIndexByte(text, '\n'); k >= 0 {
			text = text[:k+1]
		}
	}
	fields, body, err := readFields(text)
	if len(fields) == 0 {
		return record.Original{}, false, false
	}
	// The header ended within the bytes read when a blank line or a
	// line that is no field ended it.
	cut = cut && err == nil && body == "" && !strings.HasSuffix(text, "\n\n")
	decodeFields(fields)
	return OriginalFrom(fields), true, cut
}

// OriginalFrom fills an Original from header fields.
func OriginalFrom(fields []record.Field) record.Original {
	o := record.Original{Header: fields}
	o.MessageID = strings.TrimSpace(o.Get("Message-Id"))
	o.From = o.Get("From")
	o.To = o.Get("To")
	o.Subject = o.Get("Subject")
	if t, err := dsn.MailDate(o.Get("Date")); err == nil {
		o.Date = t
	}
	return o
}
