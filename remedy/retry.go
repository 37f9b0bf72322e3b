package remedy

import (
	"strings"

	strlit "github.com/ndrkit/ndrkit/internal/literal"
)

// saysNoRetry reports whether s says that retrying is useless although
// its code may be temporary, such as Yahoo's "421 4.7.1 [TS03] ...
// Retrying will NOT succeed" or a server's "will not be retried". The
// wordings, in any ASCII case, all hold "will not":
//
//	retrying will not succeed
//	retries will not succeed
//	will not be retried
//	message will not be re-tried, resent or re-sent (also "it will not be ...")
//
// Each "will not" is looked at once, with the words on either side of
// it, so the cost follows the length of s.
func saysNoRetry(s string) bool {
	for i := 0; i+len("will not") <= len(s); i++ {
		j := strings.IndexAny(s[i:], "wW")
		if j < 0 {
			return false
		}
		i += j
		if !hasPrefixFold(s[i:], "will not") {
			continue
		}
		before, after := s[:i], s[i+len("will not"):]
		if (hasSuffixFold(before, "retrying ") || hasSuffixFold(before, "retries ")) && hasPrefixFold(after, " succeed") {
			return true
		}
		if !hasPrefixFold(after, " be ") {
			continue
		}
		rest := after[len(" be "):]
		if hasPrefixFold(rest, "retried") {
			return true
		}
		if hasSuffixFold(before, "message ") || hasSuffixFold(before, "it ") {
			for _, w := range [...]string{"re-tried", "resent", "re-sent"} {
				if hasPrefixFold(rest, w) {
					return true
				}
			}
		}
	}
	return false
}

// hasPrefixFold and hasSuffixFold are strings.HasPrefix and HasSuffix
// with ASCII letters compared without case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strlit.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strlit.EqualFold(s[len(s)-len(suffix):], suffix)
}

// NotFailure reports whether the reason names a report of no failure:
// a delivery report, an automatic reply or a complaint report. Nothing
// is waiting to be retried, so only an entry's permanent advice applies.
func NotFailure(reason string) bool {
	switch reason {
	case "delivered", "vacation", "feedback":
		return true
	}
	return false
}

// DecideRetry decides from the facts of one recipient whether the
// sending server is still retrying (CaseDelayed), has given up after a
// temporary condition (CaseExpired), or met a permanent failure
// (CasePermanent), or whether nothing failed (CaseNone):
//
//   - a report of no failure (see NotFailure), and a recipient whose
//     Action is "delivered", "relayed" or "expanded", is CaseNone;
//   - a reply text saying that retrying will not succeed is permanent,
//     whatever its code;
//   - Action "delayed", or a 4xx reply or 4.x.x status that is Temporary
//     with an Action other than "failed", is a delay;
//   - a failure whose condition was temporary (a 4xx reply, a 4.x.x
//     status, reason "expired", status x.4.7, or Temporary) has expired:
//     the sending server stopped retrying; but a 5.x.x status that is
//     not Temporary and names no expiry is the reporting server's own
//     permanent verdict, even on a 4xx reply;
//   - a refusal at submission (Facts.Submission: no server queued the
//     message, so none retries it), whatever its codes, and anything
//     else is permanent.
func DecideRetry(f Facts) RetryCase {
	return decideRetry(f, true)
}

// decideRetry is DecideRetry; when mayRefuse is false, the texts are known
// not to contain "will not" and are not read.
func decideRetry(f Facts, mayRefuse bool) RetryCase {
	action := strings.ToLower(strings.TrimSpace(f.Action))
	switch {
	case NotFailure(f.Reason), action == "delivered", action == "relayed", action == "expanded":
		return CaseNone
	}
	if mayRefuse {
		for _, t := range f.Texts {
			if saysNoRetry(t) {
				return CasePermanent
			}
		}
	}
	if f.Submission {
		return CasePermanent
	}
	if action == "delayed" {
		return CaseDelayed
	}
	st, ok := parseStatus(f.Status)
	expiry := ok && st.subject == 4 && st.detail == 7
	if ok && st.class == 5 && !f.Temporary && !expiry && f.Reason != "expired" {
		// The reporting server's own permanent verdict on a temporary
		// reply (Postfix's 5.7.10 when a server it required TLS of
		// would not start it): nothing was retried until it ran out.
		return CasePermanent
	}
	temp := f.ReplyCode/100 == 4 || ok && st.class == 4
	if temp && f.Temporary && action != "failed" {
		return CaseDelayed
	}
	if temp || f.Temporary || f.Reason == "expired" || expiry {
		return CaseExpired
	}
	return CasePermanent
}

// Advice returns the entry's advice for case c: wait while the sending
// server retries, resend after the cause is dealt with once it has
// given up, the entry's own policy for a permanent failure, and do not
// resend when nothing failed.
func (e *Entry) Advice(c RetryCase) RetryAdvice {
	switch c {
	case CaseNone:
		return RetryNever
	case CaseDelayed:
		return RetryWait
	case CaseExpired:
		return RetryAfterFix
	}
	return e.Retry
}
