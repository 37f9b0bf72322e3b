package classify

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// orangeReceiver is Orange (Wanadoo, smtp-in.orange.fr) and La Poste
// (laposte.net), whose replies carry codes OFRnnn_xxx and LPNnnn_xxx in
// French and English. The meanings of the last three digits follow
// Orange's postmaster page of SMTP error codes.
var orangeReceiver = receiver{
	name:  "orange",
	codes: orangeCodes,
}

var orangePattern = regexp.MustCompile(`\b(?:ofr|lpn)\d{0,3}_(\d{3})\b`)

// orangeCodes finds an Orange or La Poste code in the diagnostic.
func orangeCodes(c *clue) (record.Reason, string, bool) {
	if !strings.Contains(c.ldiag, "ofr") && !strings.Contains(c.ldiag, "lpn") {
		return "", "", false
	}
	m := orangePattern.FindStringSubmatch(c.ldiag)
	if m == nil {
		return "", "", false
	}
	n, _ := strconv.Atoi(m[1])
	if reason := orangeCode(n); reason != "" {
		return reason, "code " + strings.ToUpper(m[0]), true
	}
	return "", "", false
}

// orangeCode maps the last three digits of Orange's OFRnnn_xxx and
// La Poste's LPNnnn_xxx codes.
func orangeCode(n int) record.Reason {
	switch n {
	case 101, 102, 103, 105, 106, 107, 108, 109, 510, 999:
		return record.ReasonBlocked
	case 104:
		return record.ReasonTooManyConn
	case 305, 402:
		return record.ReasonSecurityError
	case 401, 517:
		return record.ReasonAuthFailure
	case 403, 405, 415:
		return record.ReasonRejected
	case 416:
		return record.ReasonUserUnknown
	case 417:
		return record.ReasonMailboxFull
	case 420, 426:
		return record.ReasonSuspend
	case 505:
		return record.ReasonSystemError
	case 506:
		return record.ReasonSpamDetected
	case 514:
		return record.ReasonMesgTooBig
	case 630:
		return record.ReasonPolicyViolation
	}
	return ""
}
