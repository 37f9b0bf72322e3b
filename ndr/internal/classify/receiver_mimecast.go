package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// mimecastReceiver is Mimecast's hosted mail gateway (MX
// *-smtp-inbound-*.mimecast.com). Its replies link to Mimecast's page of
// SMTP error codes (community.mimecast.com/docs/DOC-1369): "Host network
// not allowed" is a refusal of the sending network by a policy of the
// recipient organisation.
var mimecastReceiver = receiver{
	name:   "mimecast",
	hosts:  []string{"mimecast.com"},
	marker: "mimecast.com",
	Rules: []vendorRule{
		{reason: record.ReasonPolicyViolation, Re: re(`host network not allowed`)},
	},
}
