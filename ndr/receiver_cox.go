package ndr

// coxReceiver is Cox Communications' mail. Its AUP# codes follow Cox's
// postmaster error-code page: CXBL (IP blocked), CDRBL (temporary block),
// IPBLnnnn (DNS block lists), CXDNS (reverse DNS failing), CXSNDR (SPF or
// DKIM), CXCNCT (too many connections), URLBLnnn (URL block lists).
var coxReceiver = receiver{
	name: "cox",
	tokens: []tokenRule{
		{re(`^AUP#(?:CXBL|CDRBL|IPBL\d*)$`), ReasonBlocked},
		{re(`^AUP#CXDNS$`), ReasonRequirePTR},
		{re(`^AUP#CXSNDR$`), ReasonAuthFailure},
		{re(`^AUP#CXCNCT$`), ReasonTooManyConn},
		{re(`^AUP#URLBL\d*$`), ReasonSpamDetected},
	},
}
