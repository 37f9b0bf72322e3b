package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// kddiReceiver is au (KDDI) mobile mail: ezweb.ne.jp and au.com, MX
// msmx.au.com and *.ezweb.ne.jp. Its rule follows au's notes on returned
// mail: "550 : User unknown" with no address in it is the recipient's
// reception filter (domain or spoofing restriction) refusing the mail,
// not a missing mailbox, which is answered "550 <address>: User unknown".
var kddiReceiver = receiver{
	name:    "kddi",
	domains: []string{"ezweb.ne.jp", "au.com"},
	hosts:   []string{"ezweb.ne.jp", "au.com"},
	Rules: []vendorRule{
		{reason: record.ReasonFiltered, Re: re(`\b550 : user unknown`)},
	},
}
