package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// mailruReceiver is Mail.Ru. Its rule follows Mail.Ru's help pages for
// senders: "message sending for this account is disabled" means the
// sender's own account is locked.
var mailruReceiver = receiver{
	name:  "mail.ru",
	hosts: []string{"mail.ru"},
	Rules: []vendorRule{
		{reason: record.ReasonRejected, Re: re(`message sending for this account is disabled`)},
	},
}
