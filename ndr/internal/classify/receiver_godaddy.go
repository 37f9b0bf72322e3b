package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// godaddyReceiver is GoDaddy's mail hosting (secureserver.net). Its
// rules follow GoDaddy's bounce codes, given as "IBnnn" at the end of its
// replies: IB508 for a sending IP that the sender domain's SPF record
// does not permit, IB212 for content judged to be spam.
var godaddyReceiver = receiver{
	name:    "godaddy",
	domains: []string{"secureserver.net"},
	hosts:   []string{"secureserver.net"},
	Rules: []vendorRule{
		{reason: record.ReasonAuthFailure, Re: re(`\bib508\b`), what: "code IB508"},
		{reason: record.ReasonSpamDetected, Re: re(`\bib212\b`), what: "code IB212"},
	},
}
