package enhancedcode

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/enhancedcode/internal/registrygen"
)

func TestGeneratedUpToDate(t *testing.T) {
	data, err := os.ReadFile("registry.tsv")
	if err != nil {
		t.Fatal(err)
	}
	want, err := registrygen.Generate(data)
	if err != nil {
		t.Fatalf("registry.tsv: %v", err)
	}
	got, err := os.ReadFile("zregistry.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("zregistry.go is out of date with registry.tsv; run go generate ./enhancedcode\n%s",
			cmp.Diff(string(want), string(got)))
	}
	if !regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`).Match(got) {
		t.Error("zregistry.go lacks the generated-code header")
	}
}

func TestRegistryComplete(t *testing.T) {
	reg := Registry()
	if len(reg) != 92 {
		t.Errorf("Registry() has %d rows, want 92 (3 classes, 8 subjects, 81 details)", len(reg))
	}
	ja := language.Japanese
	en := language.English
	seen := map[string]bool{}
	for _, e := range reg {
		if seen[e.Code] {
			t.Errorf("%s appears twice", e.Code)
		}
		seen[e.Code] = true
		fields := map[string]string{
			"ReplyCodes": e.ReplyCodes, "Reference": e.Reference,
			"Name(en)": e.Name(en), "Name(ja)": e.Name(ja),
			"Description(en)": e.Description(en), "Description(ja)": e.Description(ja),
		}
		for name, v := range fields {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", e.Code, name)
			}
		}
		if !hasJapanese(e.Name(ja)) || !hasJapanese(e.Description(ja)) {
			t.Errorf("%s: Japanese name %q or description has no Japanese text", e.Code, e.Name(ja))
		}
		if hasJapanese(e.Name(en)) || hasJapanese(e.Description(en)) {
			t.Errorf("%s: English name %q or description has Japanese text", e.Code, e.Name(en))
		}
	}
	// Every detail from X.0.0 to X.7.30 that the registry lists.
	details := map[int]int{0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30}
	for s, last := range details {
		for d := 0; d <= last; d++ {
			for _, class := range []Class{Success, Transient, Permanent} {
				c := Code{int(class), s, d}
				e, ok := Lookup(c)
				if !ok {
					t.Errorf("Lookup(%v) found nothing", c)
					continue
				}
				want := "X." + (Code{5, s, d}).String()[2:]
				if e.Code != want {
					t.Errorf("Lookup(%v).Code = %q, want %q", c, e.Code, want)
				}
			}
		}
	}
}

// hasJapanese reports whether s has a kana or kanji.
func hasJapanese(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x30ff || r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestLookup(t *testing.T) {
	type result struct {
		Code string
		OK   bool
		Name string
	}
	tests := []struct {
		in   Code
		want result
	}{
		{Code{5, 1, 1}, result{"X.1.1", true, "Bad destination mailbox address"}},
		{Code{4, 2, 2}, result{"X.2.2", true, "Mailbox full"}},
		{Code{2, 0, 0}, result{"X.0.0", true, "Other undefined Status"}},
		{Code{5, 7, 26}, result{"X.7.26", true, "Multiple authentication checks failed"}},
		{Code{4, 7, 650}, result{}},
		{Code{5, 7, 31}, result{}},
		{Code{5, 8, 1}, result{}},
		{Code{3, 1, 1}, result{}},
		{Code{}, result{}},
		{Code{5, -1, 1}, result{}},
		{Code{5, 0, 1001}, result{}},
		{Code{5, 1, -1}, result{}},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.in)
		got := result{e.Code, ok, e.Name(language.English)}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Lookup(%#v) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestLookupSubjectAndClass(t *testing.T) {
	type result struct {
		Code string
		OK   bool
	}
	var got []result
	for s := Subject(-1); s <= 8; s++ {
		e, ok := LookupSubject(s)
		got = append(got, result{e.Code, ok})
	}
	for c := Class(0); c <= 6; c++ {
		e, ok := LookupClass(c)
		got = append(got, result{e.Code, ok})
	}
	want := []result{
		{"", false}, {"X.0.YYY", true}, {"X.1.YYY", true}, {"X.2.YYY", true}, {"X.3.YYY", true},
		{"X.4.YYY", true}, {"X.5.YYY", true}, {"X.6.YYY", true}, {"X.7.YYY", true}, {"", false},
		{"", false}, {"", false}, {"2.XXX.YYY", true}, {"", false}, {"4.XXX.YYY", true}, {"5.XXX.YYY", true}, {"", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LookupSubject and LookupClass mismatch (-want +got):\n%s", diff)
	}
}

func TestEntryLanguage(t *testing.T) {
	e, _ := Lookup(Code{5, 2, 2})
	tests := []struct {
		tag  string
		want string
	}{
		{"ja", "メールボックスの容量超過"},
		{"ja-JP", "メールボックスの容量超過"},
		{"ja-Jpan-JP-u-ca-japanese", "メールボックスの容量超過"},
		{"en", "Mailbox full"},
		{"en-GB", "Mailbox full"},
		{"fr", "Mailbox full"},
		{"zh-Hant", "Mailbox full"},
		{"und", "Mailbox full"},
	}
	for _, tt := range tests {
		tag := language.MustParse(tt.tag)
		if got := e.Name(tag); got != tt.want {
			t.Errorf("Name(%s) = %q, want %q", tt.tag, got, tt.want)
		}
		if got, want := e.Description(tag), e.desc[langOf(tag)]; got != want || got == "" {
			t.Errorf("Description(%s) = %q", tt.tag, got)
		}
	}
	if got := e.Name(language.Tag{}); got != "Mailbox full" {
		t.Errorf("Name(zero Tag) = %q, want English", got)
	}
}

func TestRegistryIsACopy(t *testing.T) {
	a := Registry()
	a[0].Code = "changed"
	if b := Registry(); b[0].Code != "2.XXX.YYY" {
		t.Errorf("changing the result of Registry changed the registry: %q", b[0].Code)
	}
}
