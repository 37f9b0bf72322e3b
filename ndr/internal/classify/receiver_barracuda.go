package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// barracudaReceiver is Barracuda's hosted mail gateway (Email Gateway
// Defense, formerly Email Security Service; MX *.ess.barracudanetworks.com).
// It answers the end of the message data with "550 permanent failure for
// one or more recipients (<address>:<action>)", where the action is the
// one its message log shows for that recipient: "blocked" or
// "quarantined" are its own verdict on the message under the recipient
// organisation's policies (spam score, content, sender policies;
// campus.barracuda.com/doc/167976683, Message Reasons and Actions), not
// a refusal of the sending server; a downstream server's reply may stand
// there instead, and then decides by itself.
var barracudaReceiver = receiver{
	name:   "barracuda",
	hosts:  []string{"barracudanetworks.com"},
	marker: "permanent failure for one or more recipients (",
	Rules: []vendorRule{
		{reason: record.ReasonFiltered, Re: re(`permanent failure for one or more recipients \([^()\s]+:(?:blocked|quarantined)\)`)},
	},
}
