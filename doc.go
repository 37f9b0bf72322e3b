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
//
// # Architecture
//
// Each stage of ndr is a package under ndr/internal, and imports go one
// way: ndr imports the stages, a later stage imports earlier ones, and no
// stage imports ndr or a later stage. ndr/explain.go reads as the table
// of contents: read (stages 1 and 2), then analyse (3 to 7).
//
//	ndr                  public API; Explain, read, analyse; remedy lookup (6, 7)
//	├── layout           3: detectors, one file per layout, in an ordered list
//	├── classify         4, 5: cause, command, tokens, reason, status, receivers
//	├── mime             1, 2: normalisation, mbox, MIME walk, markers, bounce text
//	├── dsn              RFC 3464 fields and blocks, SMTP replies and commands
//	├── record           the facts the stages fill (Recipient, Original, Reason)
//	└── textutil, mailaddr, textmatch   text, address and pattern helpers
//
// Where each decision is made:
//
//   - Whether the input is a message or pasted text, and where the
//     returned copy begins: mime (input.go, bounce.go).
//   - Which layout reads a message: the order of the lists in
//     layout/detectors_mta.go and layout/detectors_provider.go; the first
//     layout whose markers and reading succeed wins, the generic reading
//     comes last (layout/detect.go).
//   - Whether a layout's text or the DSN part wins for a field:
//     layout/detect.go (the authoritative flag of a detector).
//   - Whether a report is feedback or an automatic reply: layout/special.go.
//   - The cause among nested replies, the command, temporary or not, and
//     the inferred status: classify/finish.go.
//   - The reason and its evidence: classify/classify.go (overrides, text
//     rules, status tables, the stage of the failure), with the receivers'
//     own codes first (classify/vendor.go, one receiver_<name>.go each).
//   - The report's kind and the explanations: ndr/explain.go with the
//     remedy catalogue.
package ndrkit
