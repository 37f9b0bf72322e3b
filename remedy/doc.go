// Package remedy is a catalogue of bounce causes with explanations and
// remedies in English and Japanese, written for a helpdesk that has to
// tell a user why a message bounced, who has to act, and whether to send
// it again.
//
// The catalogue is data: JSON files embedded in the package (see
// [Default]). Users can load their own files in the same format with
// [Load], or add them to the embedded catalogue with [Catalogue.Extend].
// Replacing a built-in entry is explicit: [Catalogue.ExtendReplacing]
// replaces entries and receivers whose ID or name is already defined,
// and refuses a replacement that would leave a reason without its
// generic entry; Extend reports such an ID as a duplicate.
//
// [Catalogue.Match] takes the [Facts] of one bounced recipient (reason,
// reply code, enhanced status code, diagnostic texts, recipient, original
// recipient, sender, remote host, and whether the reporting host decided
// the failure itself) and returns the applicable entries, most specific first, each with
// the facts that triggered it. [Match.Render] turns an entry into an
// [Explanation] in the language chosen with [MatchLanguage].
//
// The advice about sending again follows the facts of the bounce, not
// the entry alone ([DecideRetry]): a delay notice, or a 4xx reply that
// is still being retried, gets "wait" with a text saying until when the
// sending server keeps trying; a final failure after a temporary
// condition (4xx, 4.x.x, x.4.7, reason expired) gets "resend-after-fix"
// with a text saying that the server has stopped and the message was not
// delivered; a permanent failure gets the entry's own policy. A reply
// that says retrying will not succeed is never "wait". A report of no
// failure (a delivery, relay or expansion report, an automatic reply, a
// complaint report) is the case "none": "do-not-resend" with the entry's
// permanent text, which for those entries says that nothing failed.
//
// # Data format
//
// A data file is a JSON object with two optional arrays, "receivers" and
// "entries". Decoding is strict: a field the format does not define, a
// key given twice in one object, null, a value of the wrong JSON type,
// invalid UTF-8, a missing required value, a pattern or token that
// matches the empty string, and a value or file beyond the limits
// ([MaxFileSize], [MaxTextLen], [MaxPatternLen]) are errors. A leading
// UTF-8 byte order mark is accepted. Errors are *[LoadError] values that
// name the file, the entry ID and the field path.
//
//	{
//	  "receivers": [
//	    {"name": "yahoo", "domains": ["yahoo.com", "ymail.com"], "hosts": ["yahoodns.net"]}
//	  ],
//	  "entries": [
//	    {
//	      "id": "yahoo-tss04-deferral",
//	      "when": {
//	        "tokens": ["TSS04", "TSS05"],
//	        "statuses": ["4.7.0"],
//	        "texts": ["temporarily deferred due to (unexpected volume|user complaints)"],
//	        "receivers": ["yahoo"],
//	        "replyCodes": [421]
//	      },
//	      "urgency": "medium",
//	      "retry": "resend-after-fix",
//	      "references": ["https://help.yahoo.com/kb/SLN3434"],
//	      "checked": "2026-11-01",
//	      "text": {
//	        "en": {"title": "...", "summary": "...", "steps": [{"actor": "hosting-provider", "text": "..."}],
//	               "retry": {"delayed": "...", "expired": "...", "permanent": "..."}},
//	        "ja": {"title": "...", "summary": "...", "steps": [{"actor": "hosting-provider", "text": "..."}],
//	               "retry": {"delayed": "...", "expired": "...", "permanent": "..."}}
//	      }
//	    }
//	  ]
//	}
//
// Receivers name mail receivers. "domains" are matched against the
// recipient's domain and "hosts" against the remote MTA's host name; both
// match the name itself and any subdomain ("yahoodns.net" matches
// "mta5.am0.yahoodns.net"). Names, domains and hosts are lower case.
//
// Entry fields:
//
//   - "id" (required): stable identifier of lower-case letters, digits, '-'
//     and '.'. IDs are unique within one Load or Extend call.
//   - "when" (required): the conditions. The triggers are "reasons"
//     (names from [Reasons]), "statuses", "tokens" and "texts"; at least
//     one trigger must be given, and the entry applies when any trigger
//     matches. The constraints "receivers" (receiver names), "domains"
//     (recipient domain suffixes), "hosts" (remote host suffixes),
//     "replyCodes" (SMTP reply codes) and "actions" (the DSN actions
//     "failed", "delayed", "delivered", "relayed", "expanded") must
//     hold as well when given; receivers, domains and hosts together
//     are one constraint that any of them satisfies.
//   - "sameDomain", "local", "forwarded", "unreachable",
//     "recipientServer", "remoteServer", "autoResponse" and
//     "listMessage" (inside "when"): constraints on the parties, each
//     given as true or left out. "sameDomain": the sender's address
//     ([Facts].Sender) and the address the sender wrote
//     ([Facts].OriginalRecipient when it has a domain, else the
//     recipient's) have the same registrable domain (the domain one
//     label below its public suffix: example.co.jp for
//     tokyo.example.co.jp). "local": the host that
//     wrote the bounce decided the failure itself, with no other mail
//     server's answer ([Facts].Local). "forwarded": the bounce names an
//     original recipient ([Facts].OriginalRecipient: a DSN's
//     Original-Recipient, or Postfix's "(expanded from <...>)") with
//     another local part than the recipient's, at the same domain (an
//     alias) or another (the same name at another domain is routing, not
//     forwarding). "unreachable": the
//     sending server reached the mail server of none of the bounce's
//     recipients, at two or more registrable domains ([Facts].Unreachable).
//     "autoResponse": the message that failed was itself an automatic
//     response (a bounce, a read receipt, an automatic reply) sent back
//     to an earlier message's sender ([Facts].AutoResponse).
//     "listMessage": the message that failed was a mailing list's copy
//     of a post ([Facts].ListMessage).
//     "remoteServer": the bounce is a mail server's report naming the
//     remote server whose answer it quotes ([Facts].RemoteMTA), not a
//     mail program's error ([Facts].Submission): the answer is about the
//     sending server.
//     "recipientServer": the server whose answer the bounce quotes is the
//     recipient domain's own: the remote host has the recipient's
//     registrable domain, or one of the receivers wrote the bounce
//     ([Facts].ReportedBy), a mail service that delivers straight to the
//     recipient's server ([Conditions].RecipientServer).
//   - "require" (inside "when"): an object with the trigger lists
//     "reasons", "statuses", "tokens" and "texts"; every list given there
//     must match as well. Use it to narrow a broad trigger, e.g. a host
//     name in the text together with a reputation reason.
//   - "exclude" (inside "when"): an object with the same lists; when any
//     item of it matches, the entry does not apply. Use it to keep a
//     trigger from firing on what merely resembles its cause.
//   - "statuses": enhanced status codes. "4.7.650" matches exactly;
//     "x.7.26" matches 4.7.26 and 5.7.26; "5.7.606-649" is a range of the
//     last number; "5.7." and "5." are prefixes.
//   - "tokens": receiver tokens such as "S775", "TSS04" or "CXBL", matched
//     as whole words, case-insensitively, anywhere in the texts. '#'
//     stands for one or more digits and '*' for any letters and digits:
//     "AS(#)" matches "AS(7230)", "OFR*_506" matches "OFR004_506".
//   - "texts": regular expressions (Go RE2 syntax), matched
//     case-insensitively against the diagnostic texts. They are compiled
//     when the file is loaded. Plain strings, and patterns that spell out
//     a few strings ("DMARC polic(y|ies)"), are found without running the
//     regexp; for the others, the literal strings every match must
//     contain decide where, and whether, the regexp runs.
//   - "urgency" (required): "high" (mail stops for a whole domain, tenant
//     or IP address), "medium" (one destination or one flow) or "low" (a
//     single recipient, or it resolves itself).
//   - "retry" (required): the policy for a permanent failure,
//     "resend-after-fix" or "do-not-resend". Whether to wait is decided
//     from each bounce (see above), so "wait" is not a valid policy.
//   - "references": absolute http(s) URLs of the sources. The embedded
//     catalogue cites primary sources only (standards, the providers' and
//     block lists' own pages, MTA documentation), on the hosts listed in
//     data/reference-hosts.txt; DMARC is cited as RFC 9989, which
//     obsoletes RFC 7489.
//   - "checked" (required): the date (YYYY-MM-DD) the entry was last
//     checked against its sources.
//   - "text" (required): one object per supported language ("en", "ja"),
//     each with "gist" (the cause and who acts, in one line, shown
//     first), "title", "summary", "retry" and "steps", a non-empty list
//     of {"actor", "text"}. "retry" holds one text per case: "delayed"
//     (the server is still retrying; what to do meanwhile), "expired" (the
//     server has stopped; the message was not delivered) and "permanent"
//     (also shown for a report of no failure). Actors are "sender",
//     "sender-admin", "hosting-provider", "recipient" and
//     "recipient-provider". A step may add "ownServer": true when it
//     changes the sending server itself or the line it sends from (its
//     outgoing port 25, a firewall, connections per destination): it is
//     left out when the bounce shows that a mail service sent the
//     message ([Match].SentBy), whose servers the sender cannot change,
//     and each text keeps at least one other step. Every language must
//     be complete, with the same actors and marks; other language keys
//     are rejected.
//
// # Japanese
//
// The Japanese texts follow one glossary (enforced by the package
// tests): 再試行 is the sending server's automatic retry and 送り直し the
// user's resending, never 再送 for either; the bounce notice is 不達通知,
// the person who sent the message 送信者, the recipient's servers and
// provider 受信側, and a block list ブロックリスト. Gists and summaries
// are short enough to be read aloud on the telephone.
//
// # Ranking
//
// Each kind of evidence adds to a match's score: the failure to reach
// every recipient's server most, then a token, then a
// text pattern or a forwarded recipient, then a status code (exact above
// range above prefix), a receiver constraint, a same-domain or local
// constraint (as much as a receiver), a reply-code or action constraint, and a
// reason least. So a
// specific entry ranks above the generic entry of its reason, and the
// generic entry is still returned after it. When Facts.Cause holds a
// remote reply that the bounce quotes inside its own, a token or text
// found in that reply adds to the score and the outer status adds
// nothing, so the entry for why delivery failed ranks above the entry
// for the wrapper (an expiry, a relayed rejection). Between equal scores the
// match whose tokens and patterns cover more of the texts ranks first,
// then the one with more kinds of evidence, then catalogue order.
package remedy
