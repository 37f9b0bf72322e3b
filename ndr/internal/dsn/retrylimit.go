package dsn

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// RetryLimit is how long a delay notice says its server keeps trying,
// when it says so in words rather than in a Will-Retry-Until field.
type RetryLimit struct {
	// For is the length of time.
	For time.Duration
	// FromArrival says that For counts from when the message reached
	// the server ("until it is 5 day(s) old"), not from the notice
	// ("for 45 more hours").
	FromArrival bool
}

// retryCue is a sentence with which a mail server's delay notice says how
// long it keeps trying; the length follows the cue.
type retryCue struct {
	cue         string // lower case
	fromArrival bool
}

// retryCues are the sentences of the servers' own delay notices:
//
//   - Postfix: "It will be retried until it is 5 day(s) old."
//     (postfix/src/bounce/bounce_templates.c);
//   - Sendmail: "Will keep trying until message is 5 days old"
//     (sendmail/savemail.c, the length written by pintvl());
//   - OpenSMTPD: "The message is kept in the queue for up to 4 days."
//     (usr.sbin/smtpd/bounce.c);
//   - Gmail: "Gmail will retry for 45 more hours." and, in older
//     notices, "Message will be retried for 2 more day(s)";
//   - Exchange: "The server will keep trying to deliver this message
//     for the next 1 days, 19 hours and 57 minutes."
var retryCues = []retryCue{
	{"will be retried until it is", true},
	{"will keep trying until message is", true},
	{"kept in the queue for up to", true},
	{"will retry for", false},
	{"will be retried for", false},
	{"deliver this message for the next", false},
}

// retryJapanese is the same sentence as Gmail's "will retry for 45 more
// hours" in Japanese, where the length comes before the verb: あと 45
// 時間再試行されます ("retried for 45 more hours"), with ASCII or
// ideographic spaces or none.
var retryJapanese = regexp.MustCompile(`あと[\s\x{3000}]{0,3}(\d{1,6})[\s\x{3000}]{0,3}(日|時間|分)[\s\x{3000}]{0,3}再試行`)

// maxRetryPhrase bounds the text read after a cue for the length.
const maxRetryPhrase = 80

// RetryLimitOf finds the first of retryCues in text and reads the length
// of time after it: numbers with units (week, day, hour, minute, second,
// singular, plural or "(s)"), joined by commas or "and". It reads at most
// maxRetryPhrase bytes after the cue.
func RetryLimitOf(text string) (RetryLimit, bool) {
	best, at := -1, -1
	for i, c := range retryCues {
		k := textutil.IndexLower(text, c.cue)
		if k >= 0 && (at < 0 || k < at) {
			best, at = i, k
		}
	}
	if m := retryJapanese.FindStringSubmatchIndex(text); m != nil && (best < 0 || m[0] < at) {
		v, _ := strconv.Atoi(text[m[2]:m[3]])
		unit := time.Minute
		switch text[m[4]:m[5]] {
		case "日":
			unit = 24 * time.Hour
		case "時間":
			unit = time.Hour
		}
		return RetryLimit{For: time.Duration(v) * unit}, v > 0
	}
	if best < 0 {
		return RetryLimit{}, false
	}
	rest := text[at+len(retryCues[best].cue):]
	if len(rest) > maxRetryPhrase {
		rest = rest[:maxRetryPhrase]
	}
	d, ok := parseLength(rest)
	if !ok {
		return RetryLimit{}, false
	}
	return RetryLimit{For: d, FromArrival: retryCues[best].fromArrival}, true
}

// retryUnits are the units of a length in words, longest first for
// each prefix.
var retryUnits = []struct {
	word string
	d    time.Duration
}{
	{"week", 7 * 24 * time.Hour},
	{"day", 24 * time.Hour},
	{"hour", time.Hour},
	{"minute", time.Minute},
	{"second", time.Second},
}

// parseLength reads "N unit[, N unit][ and N unit]" at the start of s
// (after "more" in Gmail's "45 more hours").
func parseLength(s string) (time.Duration, bool) {
	var total time.Duration
	n := 0
	for {
		s = strings.TrimLeft(s, " \t\n")
		k := 0
		for k < len(s) && k < 6 && textutil.IsDigit(s[k]) {
			k++
		}
		if k == 0 || k < len(s) && textutil.IsDigit(s[k]) {
			break
		}
		v := 0
		for _, c := range []byte(s[:k]) {
			v = v*10 + int(c-'0')
		}
		s = strings.TrimLeft(s[k:], " \t\n")
		if textutil.HasPrefixLower(s, "more ") {
			s = strings.TrimLeft(s[len("more "):], " \t\n")
		}
		unit := time.Duration(0)
		for _, u := range retryUnits {
			if textutil.HasPrefixLower(s, u.word) {
				unit, s = u.d, s[len(u.word):]
				break
			}
		}
		if unit == 0 {
			break
		}
		s = strings.TrimPrefix(strings.TrimPrefix(s, "(s)"), "s")
		total += time.Duration(v) * unit
		n++
		s = strings.TrimLeft(s, " \t\n")
		switch {
		case strings.HasPrefix(s, ","):
			s = s[1:]
			if t := strings.TrimLeft(s, " \t\n"); textutil.HasPrefixLower(t, "and ") {
				s = t[len("and "):]
			}
		case textutil.HasPrefixLower(s, "and "):
			s = s[len("and "):]
		default:
			return total, total > 0
		}
	}
	return total, n > 0 && total > 0
}
