package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// coxReceiver is Cox Communications' mail. Its AUP# codes follow Cox's
// postmaster error-code page: CXBL (IP blocked), CDRBL (temporary block),
// IPBLnnnn (DNS block lists), CXDNS (reverse DNS failing), CXSNDR (SPF or
// DKIM), CXCNCT (too many connections), URLBLnnn (URL block lists).
var coxReceiver = receiver{
	name: "cox",
	tokens: []tokenRule{
		{re(`^AUP#(?:CXBL|CDRBL|IPBL\d*)$`), record.ReasonBlocked},
		{re(`^AUP#CXDNS$`), record.ReasonRequirePTR},
		{re(`^AUP#CXSNDR$`), record.ReasonAuthFailure},
		{re(`^AUP#CXCNCT$`), record.ReasonTooManyConn},
		{re(`^AUP#URLBL\d*$`), record.ReasonSpamDetected},
	},
}
