package ndr

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
	rules: []vendorRule{
		{reason: record.ReasonAuthFailure, re: re(`(?:spf|dmarc) check failed`)},
		{reason: record.ReasonTooManyConn, re: re(`(?:ip|connection) frequency limited`)},
		{reason: record.ReasonSpeeding, re: re(`(?:domain|sender) frequency limited`)},
		{reason: record.ReasonUserUnknown, re: re(`mailbox not found`)},
		{reason: record.ReasonMesgTooBig, re: re(`message too large`)},
	},
}
