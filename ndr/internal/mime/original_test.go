package mime

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
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

// TestISO2022JPWhateverTheLabel checks that ISO-2022-JP text is decoded
// under no charset label and under a wrong one: its escape sequences
// pass any ASCII-compatible decoding unchanged.
func TestISO2022JPWhateverTheLabel(t *testing.T) {
	const want = "宛先が見つかりません"
	jis, err := japanese.ISO2022JP.NewEncoder().String(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"text/plain", "text/plain; charset=us-ascii", "text/plain; charset=shift_jis"} {
		m, err := Walk("From: a@example.org\nSubject: x\nContent-Type: "+ct+"\n\n"+jis+"\n", Limits{MaxSize: 1 << 20, MaxParts: 10, MaxDepth: 5})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Body, want) {
			t.Errorf("%s: body %q, want the Japanese text", ct, m.Body)
		}
	}
}
