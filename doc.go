// Package ndrkit reads bounce messages — non-delivery reports, delivery
// status notifications, and the NDR text a user pasted — and tells a
// helpdesk, in Japanese or English, what went wrong and what to do.
//
// The module has three packages:
//
//   - [github.com/ndrkit/ndrkit/ndr] parses a bounce and explains it:
//     ndr.Explain(r) returns a Report with one Recipient per recipient.
//   - [github.com/ndrkit/ndrkit/enhancedcode] holds RFC 3463 enhanced status
//     codes, the IANA registry with English and Japanese descriptions, and
//     the extraction of SMTP replies from free text.
//   - [github.com/ndrkit/ndrkit/remedy] is the catalogue that turns a cause
//     into a localized explanation: what happened, who must act, what to
//     check, and whether to retry.
//
// # Data flow
//
// Explain works in stages, each a small piece of code of its own:
//
//  1. Raw bytes: the input is bounded in size, newlines are normalised
//     (LF, CRLF and CR give the same result) and a leading mbox "From "
//     line is removed.
//  2. MIME walk: the structure is read in memory, following go-message's
//     rules for headers and multipart bodies, within bounds on part count
//     and depth; parts are substrings of the input, and only text that
//     needs it is decoded to UTF-8 (transfer encodings, and charsets
//     through go-message's charset package, Japanese charsets and their
//     aliases included), message/delivery-status blocks are
//     parsed (RFC 3464, RFC 6533), and the returned message's header is
//     read from message/rfc822 or text/rfc822-headers. Unreadable parts
//     become warnings next to a usable result.
//  3. Detectors: an ordered list of small detectors, one per bounce layout
//     (Postfix, Exim, Sendmail, qmail, Exchange, Gmail, Japanese carriers,
//     security gateways, ...), with a generic text scanner last, finds
//     each failed recipient with its reply code, enhanced status and
//     diagnostic text. Each detector first asks for the texts its layout
//     always has; one pass over the message finds all of them.
//  4. Per-recipient facts: the replies in the diagnostic, the innermost
//     remote reply when an MTA wraps another's, the SMTP command, the
//     remote MTA and receiver codes such as S775 or TSS04.
//  5. Classification: a reason in the common bounce vocabulary
//     (userunknown, mailboxfull, blocked, authfailure, ...), temporary or
//     permanent, hard bounce or not, with the evidence for the decision;
//     receivers whose codes mean something of their own (Microsoft,
//     Google, Yahoo and AOL, Apple, Orange, docomo, ...) each have their
//     own table.
//  6. Remedy catalogue: the entries that match the facts, most specific
//     first.
//  7. Localized text: the entries rendered in the requested language.
package ndrkit
