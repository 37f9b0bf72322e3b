package mime

import (
	"strings"
	"testing"
)

// TestReadOriginalCut checks that a returned header longer than
// MaxOriginalHeader is reported cut wherever the limit falls in a line,
// even inside a field's name, and that a header ending within the limit
// is not.
func TestReadOriginalCut(t *testing.T) {
	line := "Received: from relay.example.org by mx.example.net\n"
	for _, into := range []int{0, 1, 3, 8, 9, len(line) - 1} {
		pad := strings.Repeat("x", (MaxOriginalHeader-len("Subject: \n")-into)%len(line))
		text := "Subject: " + pad + "\n" + strings.Repeat(line, MaxOriginalHeader/len(line)+2) + "From: a@example.org\n\nbody\n"
		o, ok, cut := readOriginal(text)
		if !ok || !cut {
			t.Errorf("limit %d bytes into a line: ok %v, cut %v; want both", into, ok, cut)
		}
		if o.Subject == "" {
			t.Errorf("limit %d bytes into a line: the fields before it were lost", into)
		}
	}
	if _, ok, cut := readOriginal("Subject: hi\nFrom: a@example.org\n\n" + strings.Repeat("body\n", MaxOriginalHeader)); !ok || cut {
		t.Errorf("a short header before a long body: ok %v, cut %v; want ok, not cut", ok, cut)
	}
}
