package remedy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecideRetry(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		want  RetryCase
	}{
		{"delay notice", Facts{Action: "delayed", ReplyCode: 451, Status: "4.7.650", Temporary: true}, CaseDelayed},
		{"delay notice without a code", Facts{Action: "Delayed"}, CaseDelayed},
		{"4xx still retried, no action", Facts{ReplyCode: 421, Status: "4.7.0", Temporary: true}, CaseDelayed},
		{"4.x.x status still retried", Facts{Status: "4.2.2", Temporary: true}, CaseDelayed},
		{"postfix failed after 451", Facts{Action: "failed", ReplyCode: 451, Status: "4.7.650", Temporary: true}, CaseExpired},
		{"4xx without temporary flag", Facts{ReplyCode: 450}, CaseExpired},
		{"status 4.4.7", Facts{Action: "failed", ReplyCode: 550, Status: "4.4.7"}, CaseExpired},
		{"status 5.4.7", Facts{Action: "failed", ReplyCode: 554, Status: "5.4.7"}, CaseExpired},
		{"exchange 550 4.4.7 -> 421", Facts{Action: "failed", ReplyCode: 421, Status: "4.4.7",
			Texts: []string{"550 4.4.7 QUEUE.Expired; message expired -> 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"}}, CaseExpired},
		{"reason expired", Facts{Action: "failed", Reason: "expired", Status: "5.0.947"}, CaseExpired},
		{"temporary flag on a failure", Facts{Action: "failed", Temporary: true}, CaseExpired},
		{"5xx", Facts{Action: "failed", ReplyCode: 550, Status: "5.1.1"}, CasePermanent},
		{"5xx without action", Facts{ReplyCode: 554}, CasePermanent},
		{"the reporting server's permanent verdict on a 4xx reply", Facts{Action: "failed", ReplyCode: 454, Status: "5.7.10"}, CasePermanent},
		{"5.x.x status on a 4xx reply, marked temporary", Facts{Action: "failed", ReplyCode: 451, Status: "5.0.0", Temporary: true}, CaseExpired},
		{"no facts", Facts{}, CasePermanent},
		{"delivered", Facts{Action: "delivered", Status: "2.0.0"}, CaseNone},
		{"relayed", Facts{Action: "Relayed", Status: "2.0.0"}, CaseNone},
		{"expanded with a failure's reason", Facts{Action: "expanded", Reason: "userunknown", Status: "2.0.0"}, CaseNone},
		{"delivered, with a text that refuses retries", Facts{Action: "delivered", Status: "2.0.0",
			Texts: []string{"250 2.0.0 queued; will not be retried"}}, CaseNone},
		{"auto-reply with a 4.x.x status", Facts{Reason: "vacation", Status: "4.0.0", Temporary: true}, CaseNone},
		{"complaint report marked temporary", Facts{Reason: "feedback", Action: "delayed", Temporary: true}, CaseNone},
		{"delivery report with reason only", Facts{Reason: "delivered", ReplyCode: 451}, CaseNone},
		{"yahoo TS03 with 421", Facts{Action: "delayed", ReplyCode: 421, Status: "4.7.1", Temporary: true,
			Texts: []string{"421 4.7.1 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed."}}, CasePermanent},
		{"will not be retried", Facts{ReplyCode: 451, Temporary: true,
			Texts: []string{"451 4.3.0 The message will not be retried"}}, CasePermanent},
		// A mail program's outgoing server refused it: nothing was queued.
		{"4xx refused at submission", Facts{Action: "failed", ReplyCode: 452, Status: "4.5.3", Temporary: true, Submission: true}, CasePermanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, DecideRetry(tt.facts)); diff != "" {
				t.Errorf("DecideRetry (-want +got):\n%s", diff)
			}
		})
	}
}

// retryFacts are one delay notice, one final failure after a temporary
// condition and one permanent failure, for every entry.
var retryFacts = []struct {
	facts Facts
	want  RetryCase
}{
	{Facts{Action: "delayed", ReplyCode: 451, Status: "4.7.0", Temporary: true}, CaseDelayed},
	{Facts{Action: "failed", ReplyCode: 421, Status: "4.4.7", Temporary: true}, CaseExpired},
	{Facts{Action: "failed", ReplyCode: 550, Status: "5.7.1"}, CasePermanent},
}

// Every entry gives advice that follows the facts, with texts in both
// languages: wait while the server retries, resend after the fix once it
// has stopped, and the entry's policy (never wait) for a 5xx.
func TestRetryEveryEntry(t *testing.T) {
	until := time.Date(2026, 12, 7, 9, 30, 0, 0, time.FixedZone("", 9*3600))
	for _, e := range Default().Entries() {
		if e.Retry != RetryAfterFix && e.Retry != RetryNever {
			t.Errorf("%s: policy %q, want resend-after-fix or do-not-resend", e.ID, e.Retry)
		}
		for _, rf := range retryFacts {
			c := DecideRetry(rf.facts)
			if c != rf.want {
				t.Fatalf("DecideRetry(%+v) = %s, want %s", rf.facts, c, rf.want)
			}
			want := map[RetryCase]RetryAdvice{CaseDelayed: RetryWait, CaseExpired: RetryAfterFix, CasePermanent: e.Retry}[c]
			for _, tag := range Languages {
				for _, u := range []time.Time{{}, until} {
					x := e.RenderCase(tag, c, u)
					if x.Retry != want || x.RetryCase != c {
						t.Errorf("%s/%s/%s: advice %s (%s), want %s", e.ID, tag, c, x.Retry, x.RetryCase, want)
					}
					if strings.TrimSpace(x.RetryText) == "" || x.RetryLabel == "" {
						t.Errorf("%s/%s/%s: empty retry text or label", e.ID, tag, c)
					}
					if c == CaseDelayed && !u.IsZero() && !strings.Contains(x.RetryText, "2026-12-07 09:30 +0900") {
						t.Errorf("%s/%s: delay text does not say when the server gives up: %q", e.ID, tag, x.RetryText)
					}
					// The head of a delay's text says that a final notice
					// follows if the server gives up; the entry's own
					// text does not say it again.
					if c == CaseDelayed && (strings.Count(x.RetryText, "final notice") > 1 || strings.Count(x.RetryText, "不達通知が届きます") > 1) {
						t.Errorf("%s/%s: the delay text says twice that a final notice follows: %q", e.ID, tag, x.RetryText)
					}
					if c == CasePermanent && x.Retry == RetryWait {
						t.Errorf("%s/%s: wait for a permanent failure", e.ID, tag)
					}
				}
			}
		}
	}
}

// The entries of reports of no failure say, for such a report, that
// nothing needs resending, under the label that says nothing failed.
func TestRetryNoFailure(t *testing.T) {
	n := 0
	for _, e := range Default().Entries() {
		if len(e.When.Reasons) == 0 || slices.ContainsFunc(e.When.Reasons, func(r string) bool { return !NotFailure(r) }) {
			continue
		}
		n++
		f := Facts{Reason: e.When.Reasons[0], Status: "2.0.0"}
		if len(e.When.Actions) > 0 {
			f.Action = e.When.Actions[0]
		}
		if c := DecideRetry(f); c != CaseNone {
			t.Fatalf("%s: DecideRetry(%+v) = %s, want none", e.ID, f, c)
		}
		for _, tag := range Languages {
			x := e.RenderCase(tag, CaseNone, time.Time{})
			key := languageKey(tag)
			if x.Retry != RetryNever || x.RetryLabel != labels[key]["retry.none"] || x.RetryText != e.Text[key].Retry.Permanent {
				t.Errorf("%s/%s: advice %s, label %q, text %q", e.ID, tag, x.Retry, x.RetryLabel, x.RetryText)
			}
		}
	}
	if n < 3 {
		t.Errorf("%d entries of reports of no failure, want the delivered, vacation and feedback entries", n)
	}
}

// A match carries the retry case of its facts into the rendering.
func TestMatchRetryCase(t *testing.T) {
	until := time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC)
	f := Facts{
		Reason: "badreputation", ReplyCode: 451, Status: "4.7.650", Temporary: true, Action: "delayed",
		Recipient: "user@hotmail.com", RetryUntil: until,
		Texts: []string{"451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. (S775)"},
	}
	m, ok := Default().Best(f)
	if !ok || m.Case != CaseDelayed || !m.RetryUntil.Equal(until) {
		t.Fatalf("Best = %+v, want a delayed match with RetryUntil", m)
	}
	for _, x := range []Explanation{m.Render(MatchLanguage("en")), Default().Explain(f, MatchLanguage("en"))[0]} {
		if x.Retry != RetryWait || x.RetryCase != CaseDelayed || !x.RetryUntil.Equal(until) ||
			!strings.Contains(x.RetryText, "until 2026-12-05 18:00 +0000") {
			t.Errorf("explanation %+v: want wait until 2026-12-05 18:00", x)
		}
	}
	f.Action, f.RetryUntil = "failed", time.Time{}
	x := Default().Explain(f, MatchLanguage("ja"))[0]
	if x.Retry != RetryAfterFix || x.RetryCase != CaseExpired || !strings.Contains(x.RetryText, "届いていません") {
		t.Errorf("final failure after 451: %+v", x)
	}
}

// A delay whose notice gives only a length of time says it in the
// retry text, counted from the notice or from the message's arrival.
func TestRetryLength(t *testing.T) {
	f := Facts{
		Reason: "badreputation", ReplyCode: 451, Status: "4.7.650", Temporary: true, Action: "delayed",
		Recipient: "user@hotmail.com", RetryFor: 43*time.Hour + 57*time.Minute,
		Texts: []string{"451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. (S775)"},
	}
	for _, tt := range []struct {
		fromArrival bool
		lang, want  string
	}{
		{false, "en", "keeps retrying for 1 day, 19 hours and 57 minutes after this notice"},
		{false, "ja", "この通知から1日19時間57分の間、自動で再試行し"},
		{true, "en", "keeps retrying until the message is 1 day, 19 hours and 57 minutes old"},
		{true, "ja", "メールを受け取ってから1日19時間57分たつまで"},
	} {
		f.RetryFromArrival = tt.fromArrival
		m, _ := Default().Best(f)
		for _, x := range []Explanation{m.Render(MatchLanguage(tt.lang)), Default().Explain(f, MatchLanguage(tt.lang))[0]} {
			if x.Retry != RetryWait || !strings.Contains(x.RetryText, tt.want) || !x.RetryUntil.IsZero() {
				t.Errorf("fromArrival=%t %s: retry text %q, want it to hold %q", tt.fromArrival, tt.lang, x.RetryText, tt.want)
			}
		}
	}
	for _, tt := range []struct {
		d  time.Duration
		en string
		ja string
	}{
		{45 * time.Hour, "1 day and 21 hours", "1日21時間"},
		{5 * 24 * time.Hour, "5 days", "5日"},
		{time.Hour + time.Minute, "1 hour and 1 minute", "1時間1分"},
		{2*24*time.Hour + 3*time.Hour + 4*time.Minute, "2 days, 3 hours and 4 minutes", "2日3時間4分"},
	} {
		if got := lengthText("en", tt.d); got != tt.en {
			t.Errorf("lengthText(en, %v) = %q, want %q", tt.d, got, tt.en)
		}
		if got := lengthText("ja", tt.d); got != tt.ja {
			t.Errorf("lengthText(ja, %v) = %q, want %q", tt.d, got, tt.ja)
		}
	}
}

func TestSaysNoRetry(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"421 4.7.1 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.", true},
		{"the message will not be retried", true},
		{"It will not be re-sent.", true},
		{"Your message will not be delivered for another day", false},
		{"will", false},
		{"", false},
		{"WILL NOT be retried", true},
		{"Retries will not succeed", true},
		{"retrying will not be long", false},
		{"the message will not be resent", true},
		{"The message will not be re-tried", true},
		{"submit will not be resent", true},
		{"a copy will not be resent", false},
		{"will not be retrieved", false},
		{"will not succeed", false},
		{"retrying  will not succeed", false},
		{"will notwill not be retried", true},
	} {
		if got := saysNoRetry(tt.text); got != tt.want {
			t.Errorf("saysNoRetry(%q) = %t, want %t", tt.text, got, tt.want)
		}
	}
}

// TestMatchLanguageLongPreference checks that a preference longer than
// any real one is ignored rather than parsed.
func TestMatchLanguageLongPreference(t *testing.T) {
	long := "ja," + strings.Repeat("en-US;q=0.5,", 1<<16)
	if got := MatchLanguage(long); got != Languages[0] {
		t.Errorf("MatchLanguage(long) = %v, want %v", got, Languages[0])
	}
	if got := MatchLanguage(long, "ja"); got.String() != "ja" {
		t.Errorf("MatchLanguage(long, ja) = %v, want ja", got)
	}
}
