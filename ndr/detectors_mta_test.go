package ndr

import "testing"

func TestContainsLower(t *testing.T) {
	tests := []struct {
		s, marker string
		want      bool
	}{
		{"MAILER-DAEMON@Corp.Mail.RU", "mail.ru", true},
		{"mailer-daemon@yandex.ru", "@yandex.", true},
		{"Postmaster <postmaster@example.jp>", "content-filter at", false},
		{"\"Content-filter at gw\" <postmaster@gw>", "content-filter at", true},
		{"short", "longer marker", false},
		{"", "", true},
		{"A", "a", true},
		{"[", "{", false},
	}
	for _, tt := range tests {
		if got := containsLower(tt.s, tt.marker); got != tt.want {
			t.Errorf("containsLower(%q, %q) = %v, want %v", tt.s, tt.marker, got, tt.want)
		}
	}
}
