package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// mimecastReceiver is Mimecast's hosted mail gateway (MX
// *-smtp-inbound-*.mimecast.com). Its replies link to Mimecast's page of
// SMTP error codes (community.mimecast.com/docs/DOC-1369, now
// mimecastsupport.zendesk.com "Policies - Mimecast SMTP Error Codes"):
// "Host network not allowed" is a refusal of the sending network by a
// policy of the recipient organisation; "Rejected by header based
// Anti-Spoofing policy" refuses outside mail whose From is one of the
// recipient organisation's own domains ("Policies - Configuring
// Anti-Spoofing"); "Envelope blocked - User Entry", "Rejected by header
// based (manually) Blocked Senders" and "Policy level block list in
// force" are the sender's address or domain on a blocked-senders list of
// the recipient or of their organisation, and so is the temporary "421
// Sender address blocked" ("The sender's IP address has been blocked by a
// Blocked Senders Policy"). "Email rejected due to security policies"
// names a policy of the recipient organisation. "Invalid Recipient" is
// Mimecast's answer for an address that no user of the organisation has
// (Mimecast support article 34000823077139).
var mimecastReceiver = receiver{
	name:   "mimecast",
	hosts:  []string{"mimecast.com"},
	marker: "mimecast.com",
	Rules: []vendorRule{
		{reason: record.ReasonPolicyViolation, Re: re(`host network not allowed|anti-spoofing policy|email rejected due to security policies`)},
		{reason: record.ReasonRejected, Re: re(`envelope blocked [-\x{2013}] user entry|blocked senders|policy level block list|\bsender address blocked\b`)},
		{reason: record.ReasonUserUnknown, Re: re(`\binvalid recipient\b`)},
	},
}
