package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// iuaReceiver is I.UA, the Ukrainian mail service (i.ua, email.ua, MX
// mx*.email.ua). Its replies link to its error pages
// (mail.i.ua/err/<n>/); error 3 is a frozen mailbox, one that its owner
// left unused and the service suspended.
var iuaReceiver = receiver{
	name:    "i.ua",
	domains: []string{"i.ua", "email.ua"},
	hosts:   []string{"email.ua", "i.ua"},
	marker:  "mail.i.ua/err/",
	Rules: []vendorRule{
		{reason: record.ReasonSuspend, Re: re(`mailbox is frozen|mail\.i\.ua/err/3/`)},
	},
}
