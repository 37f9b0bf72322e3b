// Package dsn reads RFC 3464 delivery status fields and the SMTP replies
// quoted in diagnostics.
//
// Enters: the text of a message/delivery-status part (or DSN fields
// quoted in a body), and diagnostic text. Leaves: the per-message and
// per-recipient field blocks (DeliveryStatus), one record.Recipient per
// block (RecipientsOf), and the SMTP command, reply code and prefix a
// diagnostic carries. It reads fields leniently and never classifies: the
// reason is the classify stage's. Lenient here means: white space may
// stand before a field's colon (RFC 5322, section 4.5.3) and around the
// semicolon of a typed value, and C0 control bytes other than tab, line
// feed and escape are dropped.
package dsn
