// Package record holds the facts the stages fill in: Recipient, Original,
// Field and the Action and Reason vocabularies. The public package ndr
// repeats these types field for field, with their documentation, and
// hands the stages' values to the caller without a copy.
//
// Enters and leaves: nothing but types. It must not gain behaviour beyond
// the small methods the public types also have.
package record
