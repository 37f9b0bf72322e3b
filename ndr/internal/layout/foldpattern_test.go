package layout

import (
	"regexp"
	"testing"

	"github.com/ndrkit/ndrkit/internal/literal"
)

func TestFoldPattern(t *testing.T) {
	for _, s := range []string{
		"Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)", "hello",
		"Mail delivery failed: returning message to sender", "MAIL DELIVERY SYSTEM", "配信エラー",
		"Undeliverable: re", "non-delivery", "ſ", "Delivery ſtatus notification", "failure noti\u212Ae",
		"Returned mail: see transcript", "mail failure notice", "NONDELIVERABLE",
	} {
		want := regexp.MustCompile("(?i)" + bounceSubject.Lower.Re.String()).MatchString(s)
		if got := bounceSubject.Matches(s, literal.LowerASCII(s)); got != want {
			t.Errorf("bounceSubject.matches(%q) = %v, want %v", s, got, want)
		}
	}
}
