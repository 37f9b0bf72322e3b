// Package textutil holds the text helpers every stage of ndr uses: white
// space (ASCII and Unicode), ASCII case folding, byte classes, and lines.
//
// Enters: strings. Leaves: strings, offsets and booleans. It knows
// nothing of mail: no stage-specific phrase or layout belongs here, and it
// imports no other package of ndr.
package textutil
