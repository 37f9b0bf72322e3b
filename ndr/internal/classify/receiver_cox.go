package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// coxReceiver is Cox Communications' mail. Its AUP# codes follow Cox's
// postmaster error-code page: CXBL (IP blocked), CDRBL (temporary block),
// IPBLnnnn (DNS block lists), CXDNS (reverse DNS failing), CXSNDR (SPF or
// DKIM), CXCNCT (too many connections), URLBLnnn (URL block lists).
var coxReceiver = receiver{
	name: "cox",
	tokens: []tokenRule{
		{re: re(`^AUP#(?:CXBL|CDRBL|IPBL\d*)$`), reason: record.ReasonBlocked},
		{re: re(`^AUP#CXDNS$`), reason: record.ReasonRequirePTR},
		{re: re(`^AUP#CXSNDR$`), reason: record.ReasonAuthFailure},
		{re: re(`^AUP#CXCNCT$`), reason: record.ReasonTooManyConn},
		{re: re(`^AUP#URLBL\d*$`), reason: record.ReasonSpamDetected},
	},
}
