package dsn

import (
	"strings"
	"testing"
	"time"
)

func TestRetryLimitOf(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		text string
		want RetryLimit
		ok   bool
	}{
		{"It will be retried until it is 5 day(s) old.", RetryLimit{5 * day, true}, true},
		{"It will be retried until it is 24 hours old.", RetryLimit{24 * time.Hour, true}, true},
		{"Warning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old", RetryLimit{5 * day, true}, true},
		{"Will keep trying until message is 1 week, 2 days old", RetryLimit{9 * day, true}, true},
		{"    The message is kept in the queue for up to 7 days.", RetryLimit{7 * day, true}, true},
		{"Gmail will retry for 47 more hours. You'll be notified", RetryLimit{47 * time.Hour, false}, true},
		{"Message will be retried for 2 more day(s)", RetryLimit{2 * day, false}, true},
		{"The server will keep trying to deliver this message for the next 1 days, 19 hours and 57 minutes. You'll be notified",
			RetryLimit{day + 19*time.Hour + 57*time.Minute, false}, true},
		{"The server will keep trying to deliver this message for the next\n2 days and 4 hours.", RetryLimit{2*day + 4*time.Hour, false}, true},
		{"Gmail では、あと 46 時間再試行されます。", RetryLimit{46 * time.Hour, false}, true},
		{"あと2日再試行します", RetryLimit{2 * day, false}, true},
		{"あと\u300012\u3000時間再試行されます", RetryLimit{12 * time.Hour, false}, true},
		{"あと 0 時間再試行されます", RetryLimit{}, false},
		{"あと 3 時間で再試行されます", RetryLimit{}, false},
		{"Delivery attempts will continue for some time.", RetryLimit{}, false},
		{"will retry for a while", RetryLimit{}, false},
		{"will retry for 0 hours", RetryLimit{}, false},
		{"will retry for 1234567 hours", RetryLimit{}, false},
		{"will retry for 5 apples", RetryLimit{}, false},
		{"", RetryLimit{}, false},
	} {
		got, ok := RetryLimitOf(tt.text)
		if ok != tt.ok || got != tt.want {
			t.Errorf("RetryLimitOf(%q) = %+v, %t; want %+v, %t", tt.text, got, ok, tt.want, tt.ok)
		}
	}
	// The length is read within a bounded window after the cue.
	long := "will retry for " + strings.Repeat("1 hour and ", 1000) + "1 hour"
	got, ok := RetryLimitOf(long)
	if !ok || got.For > 10*time.Hour {
		t.Errorf("RetryLimitOf(long) = %+v, %t; want a bounded length", got, ok)
	}
}
