package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// messagelabsReceiver is Symantec Email Security.cloud (MessageLabs, MX
// *.messagelabs.com). Its relay refusals, documented in Symantec's
// Email Security.cloud error-code notes, ask the client to turn on SMTP
// authentication: a server that relays only for authenticated clients.
var messagelabsReceiver = receiver{
	name:   "messagelabs",
	hosts:  []string{"messagelabs.com"},
	marker: "messagelabs.com",
	Rules: []vendorRule{
		{reason: record.ReasonSecurityError, Re: re(`turn on smtp authentication|not permitted to relay through this server without authentication`)},
	},
}
