package ndr

import (
	"unsafe"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// The stages work on the record types, which the public types repeat
// field for field so that the public documentation stays in this
// package. The values are handed over without a copy: each public type
// has the memory layout of its record type, which TestRecordLayout
// checks field by field (names, offsets and types).

// publicRecipients returns the stages' recipients as the report's.
func publicRecipients(rs []record.Recipient) []Recipient {
	if rs == nil {
		return nil
	}
	return unsafe.Slice((*Recipient)(unsafe.Pointer(unsafe.SliceData(rs))), len(rs))
}

// publicOriginal returns the stages' description of the returned message
// as the report's.
func publicOriginal(o record.Original) Original {
	return *(*Original)(unsafe.Pointer(&o))
}

// publicWarnings returns the walk's warnings as the report's.
func publicWarnings(ws []mime.Warning) []Warning {
	if ws == nil {
		return nil
	}
	return unsafe.Slice((*Warning)(unsafe.Pointer(unsafe.SliceData(ws))), len(ws))
}
