package remedy

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// Catalogue extensions are strict: every problem is an error that names
// the file, the entry and the field.
func TestLoadStrict(t *testing.T) {
	good := entryJSON("ok", `"reasons": ["blocked"]`)
	long := strings.Repeat("x", MaxTextLen+1)
	tests := []struct {
		name  string
		data  string
		want  LoadError
		isErr error
	}{
		{"duplicate key in an entry", `{"entries": [` + strings.Replace(good, `"urgency": "low"`, `"urgency": "low", "urgency": "high"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "urgency"}, ErrDuplicate},
		{"duplicate key in a text", `{"entries": [` + strings.Replace(good, `"title": "T"`, `"title": "T", "title": "U"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.title"}, ErrDuplicate},
		{"duplicate top-level key", `{"entries": [], "entries": []}`,
			LoadError{File: "a.json", Index: -1, Field: "entries"}, ErrDuplicate},
		{"top level is an array", `[]`, LoadError{File: "a.json", Index: -1}, ErrSyntax},
		{"top level is a string", `"entries"`, LoadError{File: "a.json", Index: -1}, ErrSyntax},
		{"top level is null", `null`, LoadError{File: "a.json", Index: -1}, ErrInvalid},
		{"null entries", `{"entries": null}`, LoadError{File: "a.json", Index: -1, Field: "entries"}, ErrInvalid},
		{"null field", `{"entries": [` + strings.Replace(good, `"urgency": "low"`, `"urgency": null`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "urgency"}, ErrInvalid},
		{"null entry", `{"entries": [null]}`, LoadError{File: "a.json", Index: 0}, ErrInvalid},
		{"invalid UTF-8", `{"entries": [` + strings.Replace(good, `"title": "T"`, "\"title\": \"T\xff\"", 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.title"}, ErrSyntax},
		{"invalid UTF-8 in a key", `{"entries": [` + strings.Replace(good, `"title": "T"`, "\"ti\xfftle\": \"T\"", 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.ti\ufffdtle"}, ErrSyntax},
		{"token matching nothing", `{"entries": [` + entryJSON("t", `"tokens": ["*"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.tokens[0]"}, ErrInvalid},
		{"pattern matching the empty string", `{"entries": [` + entryJSON("t", `"texts": ["(spam)?"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.texts[0]"}, ErrInvalid},
		{"pattern of assertions only", `{"entries": [` + entryJSON("t", `"texts": ["^\\b$"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.texts[0]"}, ErrInvalid},
		{"long pattern", `{"entries": [` + entryJSON("t", `"texts": ["`+strings.Repeat("a", MaxPatternLen+1)+`"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.texts[0]"}, ErrInvalid},
		{"long title", `{"entries": [` + strings.Replace(good, `"title": "T"`, `"title": "`+strings.Repeat("t", maxTitleLen+1)+`"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.title"}, ErrInvalid},
		{"long summary", `{"entries": [` + strings.Replace(good, `"summary": "S"`, `"summary": "`+long+`"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.summary"}, ErrInvalid},
		{"long string anywhere", `{"entries": [` + strings.Replace(good, `"checked": "2026-11-01"`, `"checked": "`+strings.Repeat("1", maxString+1)+`"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "checked"}, ErrInvalid},
		{"fraction", `{"entries": [` + entryJSON("t", `"reasons": ["blocked"], "replyCodes": [550.5]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.replyCodes[0]"}, ErrInvalid},
		{"unknown action", `{"entries": [` + entryJSON("t", `"reasons": ["expired"], "actions": ["waiting"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.actions[0]"}, ErrInvalid},
		{"sameDomain as a string", `{"entries": [` + entryJSON("t", `"reasons": ["userunknown"], "sameDomain": "yes"`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.sameDomain"}, ErrSyntax},
		{"local as a number", `{"entries": [` + entryJSON("t", `"reasons": ["userunknown"], "local": 1`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.local"}, ErrSyntax},
		{"forwarded as null", `{"entries": [` + entryJSON("t", `"reasons": ["authfailure"], "forwarded": null`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.forwarded"}, ErrInvalid},
		{"constraint spelt in another case", `{"entries": [` + entryJSON("t", `"reasons": ["userunknown"], "samedomain": true`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.samedomain"}, ErrUnknownField},
		{"constraints on the parties without a trigger", `{"entries": [` + entryJSON("t", `"sameDomain": true, "local": true`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when"}, ErrMissing},
		{"constraint on the parties inside require", `{"entries": [` + entryJSON("t", `"reasons": ["userunknown"], "require": {"local": true}`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.require.local"}, ErrUnknownField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLoadError(t, tt.data, tt.want, tt.isErr) })
	}
}

func TestLoadBOM(t *testing.T) {
	data := "\xef\xbb\xbf" + `{"entries": [` + entryJSON("ok", `"reasons": ["blocked"]`) + `]}`
	c, err := Load(fstest.MapFS{"a.json": {Data: []byte(data)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Lookup("ok"); !ok {
		t.Error("entry missing")
	}
}

func TestLoadFileTooLarge(t *testing.T) {
	data := `{"entries": []}` + strings.Repeat(" ", MaxFileSize)
	_, err := Load(fstest.MapFS{"big.json": {Data: []byte(data)}})
	var le *LoadError
	if !errors.As(err, &le) || le.File != "big.json" || !errors.Is(err, ErrInvalid) {
		t.Errorf("got %v, want an ErrInvalid LoadError for big.json", err)
	}
}

// Replacing a built-in entry is explicit, and may not leave a reason
// without its generic entry.
func TestExtendReplacing(t *testing.T) {
	tests := []struct {
		name    string
		entry   string
		replace bool
		isErr   error
		field   string
	}{
		{"reused ID without the option", entryJSON("reason-blocked", `"reasons": ["blocked"]`), false, ErrDuplicate, "id"},
		{"replacement keeps the reason", entryJSON("reason-blocked", `"reasons": ["blocked"]`), true, nil, ""},
		{"replacement narrows the reason", entryJSON("reason-blocked", `"reasons": ["blocked"], "receivers": ["google"]`), true, ErrMissing, "when.reasons"},
		{"replacement drops the reason", entryJSON("reason-blocked", `"tokens": ["XQ42"]`), true, ErrMissing, "when.reasons"},
		{"replacement narrows the reason to local failures", entryJSON("reason-blocked", `"reasons": ["blocked"], "local": true`), true, ErrMissing, "when.reasons"},
		{"replacement narrows the reason to one domain", entryJSON("reason-blocked", `"reasons": ["blocked"], "sameDomain": true`), true, ErrMissing, "when.reasons"},
		{"replacement narrows the reason to forwarded mail", entryJSON("reason-blocked", `"reasons": ["blocked"], "forwarded": true`), true, ErrMissing, "when.reasons"},
		{"new entry with a new ID", entryJSON("site-blocked", `"reasons": ["blocked"]`), false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"x.json": {Data: []byte(`{"entries": [` + tt.entry + `]}`)}}
			var err error
			if tt.replace {
				_, err = Default().ExtendReplacing(fsys)
			} else {
				_, err = Default().Extend(fsys)
			}
			if tt.isErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var le *LoadError
			if !errors.Is(err, tt.isErr) || !errors.As(err, &le) || le.File != "x.json" || le.Entry != "reason-blocked" || le.Field != tt.field {
				t.Errorf("got %v, want %v naming x.json, reason-blocked and %s", err, tt.isErr, tt.field)
			}
		})
	}
	t.Run("receiver", func(t *testing.T) {
		fsys := fstest.MapFS{"r.json": {Data: []byte(`{"receivers": [{"name": "google", "domains": ["example.com"]}]}`)}}
		if _, err := Default().Extend(fsys); !errors.Is(err, ErrDuplicate) {
			t.Errorf("Extend: got %v, want ErrDuplicate", err)
		}
		if _, err := Default().ExtendReplacing(fsys); err != nil {
			t.Errorf("ExtendReplacing: %v", err)
		}
	})
}

// checkLoadError loads data as a.json and checks the *LoadError: its
// kind, its place, and a message that names file, entry and field.
func checkLoadError(t *testing.T, data string, want LoadError, isErr error) {
	t.Helper()
	_, err := Load(fstest.MapFS{"a.json": {Data: []byte(data)}})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error %v is not a *LoadError", err)
	}
	if !errors.Is(err, isErr) {
		t.Errorf("errors.Is(%v, %v) = false", err, isErr)
	}
	got := *le
	got.Err = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadError (-want +got):\n%s\nmessage: %v", diff, err)
	}
	for _, part := range []string{want.File, want.Entry, want.Field} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("message %q does not name %q", err.Error(), part)
		}
	}
}
