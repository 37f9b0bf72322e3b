package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// facebookReceiver is Facebook's mail servers (facebook.com, MX
// smtpin.mx.facebook.com). Its replies carry a response code and a link
// to Facebook's postmaster page of response codes
// (postmaster.facebook.com/response_codes): RCP-P1 is a recipient address
// that does not exist.
var facebookReceiver = receiver{
	name:    "facebook",
	domains: []string{"facebook.com"},
	hosts:   []string{"facebook.com"},
	marker:  "postmaster.facebook.com",
	Rules: []vendorRule{
		{reason: record.ReasonUserUnknown, Re: re(`\brcp-p1\b`), what: "code RCP-P1"},
	},
}
