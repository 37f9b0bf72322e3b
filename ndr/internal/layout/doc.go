// Package layout reads the recipients out of a Message: one file per MTA
// or provider layout (detect_*.go), the ordered lists that say which
// layouts are tried first (detectors_mta.go, detectors_provider.go), the
// merging of what a layout reads with the DSN part (detect.go), the
// generic reading for unknown layouts (generic.go), and the recipients of
// feedback reports and automatic replies (special.go).
//
// Enters: a *mime.Message. Leaves: []record.Recipient with address,
// action, status, reply, diagnostic, remote MTA and the name of the
// layout that read them. It must not classify (reason, temporary, hard
// bounce are the classify stage's) and must not modify the Message.
//
// Adding a layout is one file here, detect_<name>.go, with its markers
// and detect function, one line in the ordered list, and a test bounce
// under testdata/bounces/<name>/ with its golden file. The order of the
// lists decides which layout wins, so a new line goes where it is
// tried before the layouts it is more specific than.
package layout
