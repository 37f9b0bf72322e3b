package remedy

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/remedy")

func TestDefaultComplete(t *testing.T) {
	c := Default()
	if c.Len() < 60 {
		t.Errorf("catalogue has %d entries, want at least 60", c.Len())
	}
	for _, e := range c.Entries() {
		if len(e.References) == 0 {
			t.Errorf("%s: no references", e.ID)
		}
		if e.Checked == "" {
			t.Errorf("%s: no checked date", e.ID)
		}
		for _, tag := range Languages {
			key := languageKey(tag)
			tx, ok := e.Text[key]
			if !ok {
				t.Errorf("%s: no %s text", e.ID, key)
				continue
			}
			if tx.Title == "" || tx.Summary == "" || tx.Retry.Delayed == "" || tx.Retry.Expired == "" || tx.Retry.Permanent == "" || len(tx.Steps) == 0 {
				t.Errorf("%s/%s: title, summary, retry text and steps are required", e.ID, key)
			}
			for i, s := range tx.Steps {
				if !s.Actor.Valid() || s.Text == "" {
					t.Errorf("%s/%s: step %d incomplete", e.ID, key, i)
				}
			}
			x := e.Render(tag)
			if x.Language != key || x.RetryLabel == "" || len(x.Actions) == 0 || x.Actions[0].Label == "" {
				t.Errorf("%s/%s: rendered explanation incomplete: %+v", e.ID, key, x)
			}
		}
	}
}

func TestLabelsComplete(t *testing.T) {
	var keys []string
	for _, a := range Actors {
		keys = append(keys, string(a))
	}
	keys = append(keys, string(UrgencyHigh), string(UrgencyMedium), string(UrgencyLow),
		string(RetryWait), string(RetryAfterFix), string(RetryNever),
		"h.gist", "h.urgency", "h.actions", "h.retry", "h.triggers", "h.references", "h.checked")
	for _, tag := range Languages {
		for _, k := range keys {
			if label(tag, k) == "" {
				t.Errorf("%s: no label for %q", tag, k)
			}
		}
	}
}

// Every reason of the vocabulary must give a result on its own, with the
// generic entry first.
func TestMatchEveryReason(t *testing.T) {
	for _, r := range Reasons {
		t.Run(r, func(t *testing.T) {
			got := Default().Match(Facts{Reason: r})
			if len(got) == 0 {
				t.Fatalf("no match for reason %q", r)
			}
			want := Match{Entry: got[0].Entry, Triggers: []string{"reason " + r}, Score: scoreReason}
			if diff := cmp.Diff("reason-"+r, got[0].Entry.ID); diff != "" {
				t.Errorf("first entry (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Triggers, got[0].Triggers); diff != "" {
				t.Errorf("triggers (-want +got):\n%s", diff)
			}
			if !got[0].Entry.When.ReasonOnly() {
				t.Errorf("%s: ReasonOnly = false for the generic entry", got[0].Entry.ID)
			}
			if x := Default().Explain(Facts{Reason: r}, language.English); len(x) == 0 || !x[0].Generic {
				t.Errorf("Explain: the generic entry is not marked Generic")
			}
		})
	}
}

func TestGenericMarked(t *testing.T) {
	xs := Default().Explain(Facts{Reason: "mailboxfull", Status: "5.2.2", Texts: []string{"552 5.2.2 The email account that you tried to reach is over quota"}}, language.English)
	if len(xs) < 2 {
		t.Fatalf("want a specific and the generic entry, got %d", len(xs))
	}
	if xs[0].Generic {
		t.Errorf("%s ranks first but is marked Generic", xs[0].ID)
	}
	var generic []string
	for _, x := range xs {
		if x.Generic {
			generic = append(generic, x.ID)
		}
	}
	if diff := cmp.Diff([]string{"reason-mailboxfull"}, generic); diff != "" {
		t.Errorf("generic entries (-want +got):\n%s", diff)
	}
}

func TestMatch(t *testing.T) {
	type result struct {
		IDs      []string
		Triggers []string // of the first match
	}
	want := map[string]result{
		"s775-shared-host": {
			IDs:      []string{"ms-s775-ip-reputation", "reason-badreputation"},
			Triggers: []string{"token S775", "status 4.7.650", `text "rate limited due to IP reputation"`},
		},
		"yahoo-tss04": {
			IDs:      []string{"yahoo-tss04-deferral", "reason-speeding"},
			Triggers: []string{"token TSS04", `text "temporarily deferred due to unexpected volume"`},
		},
		"m365-aol-no-response": {
			IDs:      []string{"ms365-to-yahoo-aol-no-response", "remote-server-unreachable", "reason-networkerror"},
			Triggers: []string{`text "The server or service did not respond in time"`, "receiver aol (domain aol.com)"},
		},
		"gmail-5.7.26-unauthenticated": {
			IDs:      []string{"auth-spf-dkim-none", "dmarc-policy-reject", "reason-authfailure"},
			Triggers: []string{"status 5.7.26 (x.7.26)", `text "requires all senders to authenticate with either SPF or DKIM"`},
		},
		"gmail-spf-hardfail": {
			IDs:      []string{"spf-sender-not-listed", "auth-spf-dkim-none", "dmarc-policy-reject", "reason-authfailure"},
			Triggers: []string{`text "SPF record with a hard fail policy"`},
		},
		"gmail-dmarc-reject": {
			IDs:      []string{"dmarc-policy-reject", "auth-spf-dkim-none", "reason-authfailure"},
			Triggers: []string{"status 5.7.26 (x.7.26)", `text "DMARC policy"`},
		},
		"outlook-5.7.515": {
			IDs:      []string{"ms-5.7.515-authentication-level", "reason-authfailure"},
			Triggers: []string{"status 5.7.515", `text "does not meet the required authentication level"`},
		},
		"m365-dkim-cname-missing": {
			IDs:      []string{"dkim-cname-registrar", "dns-propagation"},
			Triggers: []string{`text "CNAME record does not exist"`},
		},
		"docomo-filter": {
			IDs:      []string{"jp-carrier-reception-filter", "unknown-user-refused-as-filter", "reason-filtered"},
			Triggers: []string{`text "Unknown user"`, "reason filtered", "receiver docomo (domain docomo.ne.jp)"},
		},
	}
	for _, c := range matchCases {
		t.Run(c.name, func(t *testing.T) {
			ms := Default().Match(c.facts)
			var got result
			for _, m := range ms {
				got.IDs = append(got.IDs, m.Entry.ID)
			}
			if len(ms) > 0 {
				got.Triggers = ms[0].Triggers
			}
			if diff := cmp.Diff(want[c.name], got); diff != "" {
				t.Errorf("Match (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMatchDetails(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		want  string // ID of the first match, "" for none
	}{
		{"no facts", Facts{}, ""},
		{"unknown reason only", Facts{Reason: "nosuchreason"}, ""},
		{"token is a whole word", Facts{Texts: []string{"ticket XS7750 closed"}}, ""},
		{"token case-insensitive", Facts{Texts: []string{"deferred [tss04]"}}, "yahoo-tss04-deferral"},
		{"token pattern", Facts{Texts: []string{"550 5.7.1 Service unavailable; Client host blocked (OFR004_103)"}}, "dnsbl-listed"},
		{"status range", Facts{Status: "5.7.612"}, "ms-eop-banned-ip"},
		{"status outside range", Facts{Status: "5.7.650"}, ""},
		{"malformed status", Facts{Status: "5.7"}, ""},
		{"scope needs receiver", Facts{Texts: []string{"Relay access denied"}, Recipient: "x@ezweb.ne.jp"}, "au-relay-denied-bad-address"},
		{"scope by remote host", Facts{Texts: []string{"550 Unknown user"}, RemoteMTA: "dns; msmx.au.com"}, "jp-carrier-reception-filter"},
		{"scope not met", Facts{Texts: []string{"550 Unknown user"}, Recipient: "x@example.com"}, ""},
		{"require not met", Facts{Texts: []string{"Generating server: X.prod.outlook.com"}, Reason: "userunknown"}, "reason-userunknown"},
		{"require met", Facts{Texts: []string{"Generating server: TYCPR01MB1234.jpnprd01.prod.outlook.com", "550 5.7.1 Client host [40.107.0.1] blocked by the receiver"}, Reason: "blocked"}, "ms365-shared-pool-reputation"},
		{"require not met without a refusal", Facts{Texts: []string{"Generating server: TYCPR01MB1234.jpnprd01.prod.outlook.com", "421 4.4.2 mx.example.com Error: timeout exceeded"}, Reason: "expired"}, "reason-expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if m, ok := Default().Best(tt.facts); ok {
				got = m.Entry.ID
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Best (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	for _, c := range matchCases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := Default().Best(c.facts)
			if !ok {
				t.Fatal("no match")
			}
			var b strings.Builder
			for i, tag := range Languages {
				if i > 0 {
					b.WriteString("\n----\n\n")
				}
				b.WriteString(m.Render(tag).Text())
			}
			path := filepath.Join("..", "testdata", "remedy", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("rendered text (-golden +got):\n%s", diff)
			}
		})
	}
}

func TestRenderLanguage(t *testing.T) {
	e, ok := Default().Lookup("reason-mailboxfull")
	if !ok {
		t.Fatal("reason-mailboxfull missing")
	}
	tests := []struct {
		tag  language.Tag
		want string
	}{
		{language.Japanese, "ja"},
		{language.MustParse("ja-JP"), "ja"},
		{language.English, "en"},
		{language.French, "en"},
		{language.Und, "en"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, e.Render(tt.tag).Language); diff != "" {
			t.Errorf("Render(%s).Language (-want +got):\n%s", tt.tag, diff)
		}
	}
}

func TestMatchLanguage(t *testing.T) {
	tests := []struct {
		prefs []string
		want  language.Tag
	}{
		{[]string{"ja-JP"}, language.Japanese},
		{[]string{"ja-JP,ja;q=0.9"}, language.Japanese},
		{[]string{"ja-JP,ja;q=0.9,en;q=0.8"}, language.Japanese},
		{[]string{"en;q=0.9,ja;q=0.5"}, language.English},
		{[]string{"fr"}, language.English},
		{[]string{""}, language.English},
		{nil, language.English},
		{[]string{"en-GB"}, language.English},
		{[]string{"*"}, language.English},
		{[]string{"fr", "ja"}, language.Japanese},
		{[]string{"!!not a tag"}, language.English},
	}
	for _, tt := range tests {
		got := MatchLanguage(tt.prefs...)
		if got != tt.want {
			t.Errorf("MatchLanguage(%q) = %s, want %s", tt.prefs, got, tt.want)
		}
	}
}

// entryJSON returns a complete entry with the given ID and extra "when"
// members, for loader tests.
func entryJSON(id, when string) string {
	text := `{"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "text": "Do it."}], "retry": {"delayed": "D", "expired": "E", "permanent": "P"}}`
	return `{"id": "` + id + `", "when": {` + when + `}, "urgency": "low", "retry": "resend-after-fix", "checked": "2026-11-01",
		"references": ["https://example.com/doc"], "text": {"en": ` + text + `, "ja": ` + text + `}}`
}

// A token with parentheses, as Microsoft writes its rule numbers, is
// matched whole.
func TestTokenWithParentheses(t *testing.T) {
	fsys := fstest.MapFS{"c.json": {Data: []byte(`{"entries": [` + entryJSON("rule", `"tokens": ["AS(#)"]`) + `]}`)}}
	c, err := Load(fsys, "c.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"550 5.7.708 Service unavailable. Access denied, AS(7230) [host]", true},
		{"Access denied AS(12)", true},
		{"Access denied XAS(7230)", false},
		{"Access denied AS(72a)", false},
		{"Access denied AS 7230", false},
	} {
		got := len(c.Match(Facts{Texts: []string{tc.text}})) > 0
		if got != tc.want {
			t.Errorf("Match(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestExtendOverride(t *testing.T) {
	fsys := fstest.MapFS{
		"site/override.json": {Data: []byte(`{"entries": [` + entryJSON("reason-userunknown", `"reasons": ["userunknown"]`) + `,
			` + entryJSON("site-custom", `"tokens": ["XQ42"]`) + `]}`)},
	}
	base := Default()
	if _, err := base.Extend(fsys, "site/*.json"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("Extend with a built-in ID: got %v, want ErrDuplicate", err)
	}
	c, err := base.ExtendReplacing(fsys, "site/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(base.Len()+1, c.Len()); diff != "" {
		t.Errorf("Len (-want +got):\n%s", diff)
	}
	e, _ := c.Lookup("reason-userunknown")
	if diff := cmp.Diff("T", e.Text["en"].Title); diff != "" {
		t.Errorf("overridden title (-want +got):\n%s", diff)
	}
	if orig, _ := base.Lookup("reason-userunknown"); orig.Text["en"].Title == "T" {
		t.Error("Extend changed the base catalogue")
	}
	m, ok := c.Best(Facts{Texts: []string{"refused [XQ42]"}})
	if !ok || m.Entry.ID != "site-custom" {
		t.Errorf("custom entry not matched: %+v", m)
	}
}

func TestLoadErrors(t *testing.T) {
	good := entryJSON("ok", `"reasons": ["blocked"]`)
	tests := []struct {
		name  string
		data  string
		want  LoadError
		isErr error
	}{
		{"syntax", `{"entries": [`, LoadError{File: "a.json", Index: -1, Field: "entries"}, ErrSyntax},
		{"unknown top-level field", `{"entrys": []}`, LoadError{File: "a.json", Index: -1, Field: "entrys"}, ErrUnknownField},
		{"unknown nested field", `{"entries": [` + strings.Replace(good, `"title": "T"`, `"title": "T", "titel": "x"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.titel"}, ErrUnknownField},
		{"case matters", `{"entries": [` + strings.Replace(good, `"urgency"`, `"Urgency"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "Urgency"}, ErrUnknownField},
		{"wrong type", `{"entries": [` + strings.Replace(good, `"urgency": "low"`, `"urgency": 3`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "urgency"}, ErrSyntax},
		{"missing id", `{"entries": [` + good + `, ` + entryJSON("", `"reasons": ["blocked"]`) + `]}`,
			LoadError{File: "a.json", Index: 1, Field: "id"}, ErrMissing},
		{"duplicate id", `{"entries": [` + good + `, ` + good + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 1, Field: "id"}, ErrDuplicate},
		{"no trigger", `{"entries": [` + entryJSON("t", `"receivers": []`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when"}, ErrMissing},
		{"bad regexp", `{"entries": [` + entryJSON("t", `"texts": ["ok", "(unclosed"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.texts[1]"}, ErrInvalid},
		{"bad reason", `{"entries": [` + entryJSON("t", `"reasons": ["nosuch"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.reasons[0]"}, ErrInvalid},
		{"bad status", `{"entries": [` + entryJSON("t", `"statuses": ["5.7.9-1"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.statuses[0]"}, ErrInvalid},
		{"bad token", `{"entries": [` + entryJSON("t", `"tokens": ["A B"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.tokens[0]"}, ErrInvalid},
		{"unknown receiver", `{"entries": [` + entryJSON("t", `"reasons": ["blocked"], "receivers": ["nosuch"]`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.receivers[0]"}, ErrInvalid},
		{"bad require", `{"entries": [` + entryJSON("t", `"reasons": ["blocked"], "require": {"texts": ["("]}`) + `]}`,
			LoadError{File: "a.json", Entry: "t", Index: 0, Field: "when.require.texts[0]"}, ErrInvalid},
		{"bad retry", `{"entries": [` + strings.Replace(good, `"retry": "resend-after-fix"`, `"retry": "later"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "retry"}, ErrInvalid},
		{"wait is no policy", `{"entries": [` + strings.Replace(good, `"retry": "resend-after-fix"`, `"retry": "wait"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "retry"}, ErrInvalid},
		{"retry text as a string", `{"entries": [` + strings.Replace(good, `"retry": {"delayed": "D", "expired": "E", "permanent": "P"}}, "ja"`, `"retry": "R"}, "ja"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.retry"}, ErrSyntax},
		{"missing expired text", `{"entries": [` + strings.Replace(good, `"ja": {"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "text": "Do it."}], "retry": {"delayed": "D", "expired": "E"`, `"ja": {"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "text": "Do it."}], "retry": {"delayed": "D", "expired": " "`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.ja.retry.expired"}, ErrMissing},
		{"bad urgency", `{"entries": [` + strings.Replace(good, `"urgency": "low"`, `"urgency": "urgent"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "urgency"}, ErrInvalid},
		{"bad actor", `{"entries": [` + strings.Replace(good, `"actor": "sender"`, `"actor": "boss"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.steps[0].actor"}, ErrInvalid},
		{"bad date", `{"entries": [` + strings.Replace(good, `"2026-11-01"`, `"2026-13-01"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "checked"}, ErrInvalid},
		{"bad reference", `{"entries": [` + strings.Replace(good, `https://example.com/doc`, `example.com/doc`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "references[0]"}, ErrInvalid},
		{"missing language", `{"entries": [` + strings.Replace(good, `, "ja": {`, `, "fr": {`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.fr"}, ErrInvalid},
		{"missing japanese title", `{"entries": [` + strings.Replace(good, `"ja": {"gist": "G", "title": "T"`, `"ja": {"gist": "G", "title": ""`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.ja.title"}, ErrMissing},
		{"no steps", `{"entries": [` + strings.Replace(good, `"ja": {"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "text": "Do it."}]`, `"ja": {"gist": "G", "title": "T", "summary": "S", "steps": []`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.ja.steps"}, ErrMissing},
		{"only steps for the sender's own server", `{"entries": [` + strings.Replace(good, `"ja": {"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "text": "Do it."}]`, `"ja": {"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "ownServer": true, "text": "Do it."}]`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.ja.steps"}, ErrInvalid},
		{"missing gist", `{"entries": [` + strings.Replace(good, `"gist": "G", `, ``, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.gist"}, ErrMissing},
		{"gist of two lines", `{"entries": [` + strings.Replace(good, `"gist": "G"`, `"gist": "G\nH"`, 1) + `]}`,
			LoadError{File: "a.json", Entry: "ok", Index: 0, Field: "text.en.gist"}, ErrInvalid},
		{"bad receiver", `{"receivers": [{"name": "Big Mail", "domains": ["example.com"]}]}`,
			LoadError{File: "a.json", Index: 0, Field: "receivers[0].name"}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLoadError(t, tt.data, tt.want, tt.isErr) })
	}
}

func TestLoadNoFiles(t *testing.T) {
	_, err := Load(fstest.MapFS{}, "*.json")
	if !errors.Is(err, ErrNoFiles) {
		t.Errorf("got %v, want ErrNoFiles", err)
	}
}

func TestLoadDuplicateAcrossFiles(t *testing.T) {
	e := `{"entries": [` + entryJSON("same", `"reasons": ["blocked"]`) + `]}`
	_, err := Load(fstest.MapFS{"a.json": {Data: []byte(e)}, "b.json": {Data: []byte(e)}})
	var le *LoadError
	if !errors.As(err, &le) || le.File != "b.json" || !errors.Is(err, ErrDuplicate) {
		t.Errorf("got %v, want a duplicate error in b.json", err)
	}
}

func BenchmarkMatch(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		for _, mc := range matchCases {
			c.Match(mc.facts)
		}
	}
}

func BenchmarkDefaultLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(mustSub(b), "*.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"entries": [` + entryJSON("a", `"reasons": ["blocked"], "tokens": ["AS(#)"], "texts": ["x{1,3}y"]`) + `]}`))
	f.Add([]byte(`{"receivers": [{"name": "r", "domains": ["example.com"]}]}`))
	f.Add([]byte(`{"entries": [{"id": 5}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Load(fstest.MapFS{"f.json": {Data: data}})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LoadError", err)
			}
			return
		}
		for _, e := range c.Entries() {
			c.Match(Facts{Reason: "blocked", Texts: []string{"AS(12) xxy"}, Status: "5.7.1"})
			e.Render(language.Japanese)
		}
	})
}
