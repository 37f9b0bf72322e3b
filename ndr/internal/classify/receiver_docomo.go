package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// docomoReceiver is NTT docomo's mobile mail (docomo.ne.jp). Its rules
// follow docomo's notes on returned mail: "550 Unknown user" after DATA
// is the recipient's reception setting refusing the sender, not a
// missing mailbox, and "500 Line Too Long" a line over 1000 bytes.
var docomoReceiver = receiver{
	name:    "docomo",
	domains: []string{"docomo.ne.jp"},
	hosts:   []string{"docomo.ne.jp"},
	Rules: []vendorRule{
		// A refusal after DATA is the recipient's reception setting
		// refusing this sender.
		{reason: record.ReasonRejected, Re: re(`unknown user`), cmd: "DATA"},
		{reason: record.ReasonContentError, Re: re(`line too long`)},
	},
}
