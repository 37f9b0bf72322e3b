// Package ndr reads bounce messages and reports, per recipient, what
// happened: the recipient, the DSN action, the enhanced status code
// (RFC 3463), the SMTP reply code, the diagnostic text, the remote and
// reporting MTAs, the SMTP command, dates, whether the failure is
// temporary, whether the address is dead (hard bounce), and a reason in
// the common bounce vocabulary with the evidence that decided it.
//
// It reads RFC 3464 delivery status notifications in RFC 6522
// multipart/report messages (also when the delivery-status part is
// nested deeper, as some providers do), RFC 6533 internationalised
// reports (message/global-delivery-status), and the free-form layouts of
// many MTAs and providers that write no DSN or hide the real story in
// text. RFC 3834 automatic replies and RFC 5965 feedback reports are
// recognised as what they are (Report.Kind, Reason vacation or feedback),
// not as failures; Report.Failed keeps the failures apart. A mailing
// list's notice that it holds a post for its moderator (GNU Mailman) is
// a delay for the list, as is a challenge-response filter's request that
// the sender confirm a message it holds (TMDA, cPanel's BoxTrapper),
// and a read receipt or a sending gateway's notice that it holds a
// message before sending it is not a bounce.
//
// Explain takes a whole message; ExplainText takes bounce text a user
// copied without a header. A bounce that a user forwarded, below a note
// of their own (pasted, or in the body of a message forwarded inline) or
// as an attachment (message/rfc822), is read in place of the message
// that carries it, with a warning (ErrQuoted, ErrAttached) saying that
// the failure it reports may be old; a bounce forwarded more than four
// times gives a *LimitError ("forwarded"). In pasted text, the
// addresses of the user's own note around the bounce (a signature, a
// colleague named in passing) are not taken for failed recipients, and a
// pasted automatic reply or read receipt is recognised by its subject
// line. Input is bounded: see Options and the
// Default limits. Errors are typed: ErrNotBounce, ErrEmpty, *LimitError
// (errors.Is(err, ErrLimit)). Parts that cannot be read completely give
// Report.Warnings next to a usable report.
//
// Divergences from the RFCs, for real-world input: header and DSN fields
// are read leniently (a line without a colon continues the previous
// field; a block naming a recipient is a per-recipient block wherever it
// stands); text without a declared charset is decoded as ISO-2022-JP,
// Shift_JIS or EUC-JP when it decodes cleanly; and when a DSN's own
// Status is generic (X.0.0) while the remote server's reply in the
// diagnostic carries a specific code, the specific code is reported.
package ndr
