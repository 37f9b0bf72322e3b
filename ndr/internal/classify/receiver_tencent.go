package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// tencentReceiver is Tencent's QQ Mail (qq.com, foxmail.com, MX
// mx*.qq.com). Its rules follow the help pages that its replies link to
// (service.mail.qq.com): SPF and DMARC check failures, frequency limits
// on the sending IP or connection (too many connections) and on the
// sending domain or sender (rate), unknown mailboxes and oversized
// messages.
var tencentReceiver = receiver{
	name:    "tencent",
	domains: []string{"qq.com", "foxmail.com"},
	hosts:   []string{"qq.com"},
	marker:  "service.mail.qq.com",
	Rules: []vendorRule{
		{reason: record.ReasonAuthFailure, Re: re(`(?:spf|dmarc) check failed`)},
		{reason: record.ReasonTooManyConn, Re: re(`(?:ip|connection) frequency limited`)},
		{reason: record.ReasonSpeeding, Re: re(`(?:domain|sender) frequency limited`)},
		{reason: record.ReasonUserUnknown, Re: re(`mailbox not found`)},
		{reason: record.ReasonMesgTooBig, Re: re(`message too large`)},
	},
}
