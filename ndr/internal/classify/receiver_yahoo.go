package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// yahooReceiver is Yahoo Inc.'s mail: Yahoo, AOL (and the consumer
// domains Yahoo runs for others, such as verizon.net). Its codes follow
// Yahoo's Sender Hub pages (postmaster.yahooinc.com/error-codes,
// senders.yahooinc.com/smtp-error-codes): [TSS04]-style deferrals for
// volume or complaints, [TSS09]/[TSS11] permanent deferrals, [BL2x]
// block-list hits, [PH0x] policy refusals, 5.7.9 for unauthenticated
// mail, and "554 delivery error: dd ..." for mailbox errors.
var yahooReceiver = receiver{
	name:    "yahoo",
	domains: []string{"yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "rocketmail.com", "aol.com", "aol.co.uk", "aim.com", "cs.com", "verizon.net"},
	hosts:   []string{"yahoodns.net", "yahoo.com", "mx.aol.com"},
	// Yahoo's own SMTP replies begin "554 delivery error: dd ".
	marker: "delivery error: dd ",
	Rules: []vendorRule{
		{reason: record.ReasonSuspend, Re: re(`mailbox is disabled|account has been disabled or discontinued`)},
		{reason: record.ReasonUserUnknown, Re: re(`doesn't have a [^ ]+ account`)},
		{reason: record.ReasonRejected, Re: re(`unresolvable rfc\.?5321 from domain`)},
		{reason: record.ReasonPolicyViolation, subject: 7, details: [2]int{9, 9}, Re: re(`policy`)},
		{reason: record.ReasonAuthFailure, subject: 7, details: [2]int{9, 9}, Re: re(`unauthenticated|authenticate`)},
		// "554 Transaction failed", as Microsoft 365 relays it from
		// Yahoo's and AOL's servers ("Remote Server returned '554
		// Transaction failed'"): the receiver refused the message, for
		// the sending servers' volume or the sender's authentication.
		{reason: record.ReasonPolicyViolation, Re: re(`transaction failed`)},
	},
	tokens: []tokenRule{
		// Deferrals for volume or complaints ("Messages from <IP>
		// temporarily deferred due to unexpected volume or user
		// complaints"), which Yahoo also gives poorly authenticated
		// senders: a refusal of the sending IP for its reputation, or,
		// given in reply to MAIL FROM, a refused sender as a refusal at
		// that stage is classified everywhere else; permanent
		// deferrals; DNSBL hits; policy refusals.
		{re: re(`^TSS?0[1-5]$`), reason: record.ReasonRejected, cmd: "MAIL"},
		{re: re(`^TSS?0[1-5]$`), reason: record.ReasonBadReputation},
		{re: re(`^TSS(?:09|11)$`), reason: record.ReasonBlocked},
		{re: re(`^BL2\d$`), reason: record.ReasonBlocked},
		{re: re(`^PH0\d$`), reason: record.ReasonPolicyViolation},
	},
}
