package classify

import (
	"regexp"
	"strconv"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// spectrumReceiver is Spectrum (Charter). Its AUP#In-nnnn / AUP#Out-nnnn
// codes follow Spectrum's postmaster page: 1000 IP blocked, 1100-1150
// reverse or full-circle DNS, 1200-1260 block lists, 1300-1340 connection
// limits, 1350-1490 volume limits, 1530 message over 20 MB, 1550 too many
// recipients.
var spectrumReceiver = receiver{
	name: "spectrum",
	token: func(tok string) record.Reason {
		m := spectrumPattern.FindStringSubmatch(tok)
		if m == nil {
			return ""
		}
		n, _ := strconv.Atoi(m[1])
		return spectrumAUP(n)
	},
}

var spectrumPattern = regexp.MustCompile(`^AUP#(?:In|Out|I|O)-?(\d{4})$`)

// spectrumAUP maps Spectrum's AUP#In-nnnn / AUP#Out-nnnn numbers.
func spectrumAUP(n int) record.Reason {
	switch {
	case n == 1000:
		return record.ReasonBlocked
	case n >= 1100 && n <= 1150:
		return record.ReasonRequirePTR
	case n >= 1200 && n <= 1260:
		return record.ReasonBlocked
	case n >= 1300 && n <= 1340:
		return record.ReasonTooManyConn
	case n >= 1350 && n <= 1490:
		return record.ReasonSpeeding
	case n == 1530:
		return record.ReasonMesgTooBig
	case n == 1550:
		return record.ReasonTooManyConn
	}
	return ""
}
