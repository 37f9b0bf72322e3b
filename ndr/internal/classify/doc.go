// Package classify decides, for each recipient a layout read, the
// cause, the command, the receiver's codes, the reason with its
// evidence, whether the failure is temporary or a hard bounce, and the
// status when the report gave none.
//
// Enters: a record.Recipient as a layout filled it and the *mime.Message
// it came from. Leaves: the same Recipient with Cause, Command, Tokens,
// Reason, Evidence, Temporary, HardBounce and Status decided (Finish).
// The order of decisions is in Finish and classify; the rule tables are
// in classify.go (text rules and status maps) and vendor.go with one
// receiver_<name>.go per receiver whose documented codes it knows.
// Adding a receiver is one file here and one line in the receivers list (vendor.go).
// It must not read layouts or look at other recipients.
package classify
