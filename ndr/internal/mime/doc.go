// Package mime turns the input bytes into a Message: newline
// normalisation, mbox handling, the header, the MIME walk within the
// limits (text parts decoded to UTF-8, delivery-status and feedback parts
// parsed, the returned message's header read), and the views the layouts
// ask for (lower-cased body, the bounce text before the returned copy,
// the markers found in one pass).
//
// Enters: raw bytes and Limits. Leaves: a *Message, warnings for parts
// that could not be read completely, or a *LimitError. It decides nothing
// about recipients or reasons, and never changes a Message after the
// walk except to fill its lazily computed views.
//
// Broken bytes are read leniently, with a warning: base64 bodies are
// decoded without the bytes outside the alphabet (RFC 2045, section
// 6.8), and control bytes in delivery-status and feedback-report fields
// are dropped.
package mime
