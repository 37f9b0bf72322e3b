package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// comcastReceiver is Comcast (Xfinity). Its codes follow Comcast's
// postmaster "mail error codes" page: ES0000nn for mail from dynamic or
// residential address space, BLnnnnnn for block-list hits (a bit mask of
// the lists), RLnnn for rate limits.
var comcastReceiver = receiver{
	name: "comcast",
	tokens: []tokenRule{
		{re: re(`^(?:ES0000\d\d|BL\d{3,6})$`), reason: record.ReasonBlocked},
		{re: re(`^RL\d{3,6}$`), reason: record.ReasonSpeeding},
	},
}
