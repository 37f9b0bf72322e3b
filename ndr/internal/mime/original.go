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

// maxOriginalHeader bounds the header read from a returned message.
const maxOriginalHeader = 1 << 20

// readOriginal reads the header of a returned message. It reads no
// further than the header.
func readOriginal(text string) (record.Original, bool) {
	if len(text) > maxOriginalHeader {
		text = text[:maxOriginalHeader]
	}
	fields, _, _ := readFields(text)
	if len(fields) == 0 {
		return record.Original{}, false
	}
	decodeFields(fields)
	return OriginalFrom(fields), true
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
