package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// appleReceiver is Apple's iCloud Mail (icloud.com, me.com, mac.com).
// Its codes follow Apple's postmaster information for iCloud Mail
// (support.apple.com/en-us/HT204137, quoted in its replies): [CS01],
// [CS02] and [HM07]/[HM08] for its policy filter, [HME1] for mail that
// fails both SPF and DKIM.
var appleReceiver = receiver{
	name: "apple",
	tokens: []tokenRule{
		{re: re(`^(?:CS0\d|HM0\d)$`), reason: record.ReasonPolicyViolation},
		{re: re(`^HME\d$`), reason: record.ReasonAuthFailure},
	},
}
