package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// messagelabsReceiver is Symantec Email Security.cloud (MessageLabs, MX
// *.messagelabs.com). Its relay refusals, documented in Symantec's
// Email Security.cloud error-code notes, ask the client to turn on SMTP
// authentication: a server that relays only for authenticated clients.
// Its anti-spam service refuses a message it judges spam with "553-Message
// filtered" (Broadcom knowledge base, article 173867, formerly
// TECH253432: "legitimate email incorrectly marked as spam").
var messagelabsReceiver = receiver{
	name:   "messagelabs",
	hosts:  []string{"messagelabs.com"},
	marker: "messagelabs.com",
	Rules: []vendorRule{
		{reason: record.ReasonSecurityError, Re: re(`turn on smtp authentication|not permitted to relay through this server without authentication`)},
		{reason: record.ReasonSpamDetected, Re: re(`\bmessage filtered\b`)},
	},
}
