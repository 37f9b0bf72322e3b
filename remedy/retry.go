package remedy

import (
	"regexp"
	"strings"
)

// noRetry finds replies that say retrying is useless although their
// code is temporary, such as Yahoo's "421 4.7.1 [TS03] ... Retrying will
// NOT succeed" or a server's "will not be retried".
var noRetry = regexp.MustCompile(`(?i)retrying will not succeed|retries will not succeed|will not be retried|(?:message|it) will not be (?:re-?tried|re-?sent)`)

// saysNoRetry reports whether s says that retrying is useless. Every
// wording noRetry knows holds "will not", so the expression runs only
// on a short window around each "will not" (in any ASCII case): the
// cost follows the length of s, not the number of times it is asked.
func saysNoRetry(s string) bool {
	for i := 0; i+8 <= len(s); i++ {
		j := strings.IndexAny(s[i:], "wW")
		if j < 0 {
			return false
		}
		i += j
		if i+8 <= len(s) && strings.EqualFold(s[i:i+8], "will not") {
			if noRetry.MatchString(s[max(0, i-16):min(len(s), i+32)]) {
				return true
			}
		}
	}
	return false
}

// DecideRetry decides from the facts of one recipient whether the
// sending server is still retrying (CaseDelayed), has given up after a
// temporary condition (CaseExpired), or met a permanent failure
// (CasePermanent):
//
//   - a reply text saying that retrying will not succeed is permanent,
//     whatever its code;
//   - Action "delayed", or a 4xx reply or 4.x.x status that is Temporary
//     with an Action other than "failed", is a delay;
//   - a failure whose condition was temporary (a 4xx reply, a 4.x.x
//     status, reason "expired", status x.4.7, or Temporary) has expired:
//     the sending server stopped retrying;
//   - anything else, including delivery and auto-reply reports, is
//     permanent.
func DecideRetry(f Facts) RetryCase {
	return decideRetry(f, true)
}

// decideRetry is DecideRetry; when mayRefuse is false, the texts are known
// not to contain "will not" and are not read.
func decideRetry(f Facts, mayRefuse bool) RetryCase {
	if mayRefuse {
		for _, t := range f.Texts {
			if saysNoRetry(t) {
				return CasePermanent
			}
		}
	}
	action := strings.ToLower(strings.TrimSpace(f.Action))
	switch action {
	case "delivered", "relayed", "expanded":
		return CasePermanent
	case "delayed":
		return CaseDelayed
	}
	st, ok := parseStatus(f.Status)
	temp := f.ReplyCode/100 == 4 || ok && st.class == 4
	if temp && f.Temporary && action != "failed" {
		return CaseDelayed
	}
	if temp || f.Temporary || f.Reason == "expired" || ok && st.subject == 4 && st.detail == 7 {
		return CaseExpired
	}
	return CasePermanent
}

// Advice returns the entry's advice for case c: wait while the sending
// server retries, resend after the cause is dealt with once it has
// given up, and the entry's own policy for a permanent failure.
func (e *Entry) Advice(c RetryCase) RetryAdvice {
	switch c {
	case CaseDelayed:
		return RetryWait
	case CaseExpired:
		return RetryAfterFix
	}
	return e.Retry
}
