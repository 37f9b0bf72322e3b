// Package enhancedcode reads SMTP enhanced status codes (RFC 3463) and
// SMTP replies (RFC 5321) out of bounce messages, and explains the codes
// in English and Japanese from the IANA registry.
//
// # Codes
//
// A [Code] such as 5.1.1 has a class (2 success, 4 persistent transient
// failure, 5 permanent failure), a subject (0 to 7: address, mailbox,
// mail system, network, protocol, content, policy) and a detail. [Parse]
// reads one; its errors wrap [ErrSyntax]. Code has the shape of
// go-smtp's EnhancedCode, so the two convert with a type conversion.
//
// # The registry
//
// [Lookup], [LookupSubject] and [LookupClass] return rows of the IANA
// "Enumerated Status Codes" registry that RFC 5248 set up: every class
// (2.XXX.YYY), subject (X.1.YYY) and detail (X.0.0 to X.7.30), with the
// sample reply codes and the defining documents. [Entry.Name] and
// [Entry.Description] give a short name and description in Japanese for
// a Japanese language tag and in English otherwise. Codes outside the
// registry, such as Microsoft's 4.7.650, are not found: fall back to the
// subject and class rows. The table is generated from registry.tsv by
// gen.go (go generate) and checked in as zregistry.go.
//
// # Finding replies in text
//
// [Find] scans free text, such as a Diagnostic-Code field of a delivery
// status notification (RFC 3464) or the human-readable part of a bounce,
// for SMTP replies: a reply code with an enhanced code ("550 5.1.1 User
// unknown"), an enhanced code alone ("Status: 5.1.1", "(#5.1.1)") and a
// reply code alone ("554 Transaction failed").
//
// A multi-line reply repeats its codes on every line, with a hyphen
// after the reply code on all lines but the last ("550-5.1.1 ...",
// "550 5.1.1 ..."). Find joins such lines into one [Reply] whose Text
// holds the lines' texts without the repeated codes. It does so both
// when the lines are still on separate lines (with LF, CRLF or CR-only
// line ends, indented or not) and when a relaying server has unfolded
// them onto one line, which Gmail's replies often are by the time they
// reach a bounce. A reply quoted inside another reply's text, as in
// Exchange Online's "554 4.4.7 Message expired ... <451 4.4.0 ...
// "421 4.7.0 ..."">", is returned as a Reply of its own after the outer
// one; its text ends at the matching quote or bracket.
//
// Find reads a reply's text up to the end of its line. Bounce reports
// and header fields such as Diagnostic-Code are often folded onto
// indented lines; Find follows them where the reply itself says there
// is more: a multi-line reply whose next "550-5.1.1" piece comes after
// some folded lines, a reply code folded away from its enhanced code
// ("said: 550" and an indented "5.1.1 ..."), and codes that end their
// line with the text on the folded line below. Otherwise the text ends
// with the line; [Unfold] joins folded lines first when the whole text
// is wanted.
//
// Find keeps false matches out: dotted numbers with more than three
// parts (IP addresses, Yahoo's "4.16.55.1") are not codes, enhanced
// codes after a product name or a version header are not taken, and a
// reply code without an enhanced code is taken only where a reply can
// stand and when words follow it, so that dates, times, sizes, IPv6
// addresses and "name=value" pairs do not give replies.
package enhancedcode
