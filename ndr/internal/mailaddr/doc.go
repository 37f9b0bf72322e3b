// Package mailaddr finds and cleans mail addresses in text: the address
// scanner the layouts and the generic reading use, and the clean-up of
// RFC 3464 address values.
//
// Enters: text. Leaves: addresses and their offsets. It does not decide
// which address is a recipient; that is the layouts' job.
package mailaddr
