package remedy

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed data/*.json
var embedded embed.FS

var (
	defaultOnce sync.Once
	defaultCat  *Catalogue
)

// Default returns the catalogue embedded in the package. It is parsed
// once; the package tests guarantee that it is valid, so Default panics
// only if the package itself was built from broken data.
func Default() *Catalogue {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(embedded, "data")
		if err == nil {
			defaultCat, err = Load(sub, "*.json")
		}
		if err != nil {
			panic(err)
		}
	})
	return defaultCat
}

// Load reads a catalogue from the files in fsys that match the fs.Glob
// patterns (all "*.json" files at the root when no pattern is given).
// Files are read in name order. An ID or receiver name may be defined
// only once across the files of one call.
func Load(fsys fs.FS, patterns ...string) (*Catalogue, error) {
	return (*Catalogue)(nil).extend(fsys, patterns)
}

// Extend returns a new catalogue holding c's entries and receivers plus
// those read from fsys (see Load). A user entry with the ID of an entry
// in c replaces it in place; a receiver with the name of one in c
// replaces it. c itself is not changed.
func (c *Catalogue) Extend(fsys fs.FS, patterns ...string) (*Catalogue, error) {
	return c.extend(fsys, patterns)
}

type loaded struct {
	file  string
	index int
	entry Entry
}

type loadedReceiver struct {
	file  string
	index int
	rcv   Receiver
}

func (c *Catalogue) extend(fsys fs.FS, patterns []string) (*Catalogue, error) {
	names, err := globAll(fsys, patterns)
	if err != nil {
		return nil, err
	}
	var entries []loaded
	var receivers []loadedReceiver
	ids := map[string]bool{}
	rnames := map[string]bool{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, &LoadError{File: name, Index: -1, Err: err}
		}
		f, err := decodeFile(name, data)
		if err != nil {
			return nil, err
		}
		for i, r := range f.Receivers {
			if rnames[r.Name] {
				return nil, &LoadError{File: name, Index: i, Field: fmt.Sprintf("receivers[%d].name", i), Err: fmt.Errorf("%w receiver %q", ErrDuplicate, r.Name)}
			}
			if r.Name != "" {
				rnames[r.Name] = true
			}
			receivers = append(receivers, loadedReceiver{name, i, r})
		}
		for i, e := range f.Entries {
			if e.ID != "" && ids[e.ID] {
				return nil, &LoadError{File: name, Entry: e.ID, Index: i, Field: "id", Err: fmt.Errorf("%w ID %q", ErrDuplicate, e.ID)}
			}
			ids[e.ID] = true
			entries = append(entries, loaded{name, i, e})
		}
	}

	out := &Catalogue{byID: map[string]*Entry{}, receiverIdx: map[string]int{}}
	if c != nil {
		out.receivers = append(out.receivers, c.receivers...)
		for k, v := range c.receiverIdx {
			out.receiverIdx[k] = v
		}
	}
	for _, lr := range receivers {
		r := lr.rcv
		if err := validateReceiver(&r); err != nil {
			err.File, err.Index = lr.file, lr.index
			err.Field = fmt.Sprintf("receivers[%d].%s", lr.index, err.Field)
			return nil, err
		}
		if i, ok := out.receiverIdx[r.Name]; ok {
			out.receivers[i] = r
		} else {
			out.receiverIdx[r.Name] = len(out.receivers)
			out.receivers = append(out.receivers, r)
		}
	}

	if c != nil {
		out.entries = append(out.entries, c.entries...)
	}
	pos := map[string]int{}
	for i, e := range out.entries {
		pos[e.ID] = i
	}
	for _, le := range entries {
		e := le.entry
		if err := out.compile(&e); err != nil {
			err.File, err.Entry, err.Index = le.file, e.ID, le.index
			return nil, err
		}
		ep := &e
		if i, ok := pos[e.ID]; ok {
			out.entries[i] = ep
		} else {
			pos[e.ID] = len(out.entries)
			out.entries = append(out.entries, ep)
		}
	}
	for _, e := range out.entries {
		out.byID[e.ID] = e
	}
	out.idx = newIndex(out)
	return out, nil
}

func globAll(fsys fs.FS, patterns []string) ([]string, error) {
	if len(patterns) == 0 {
		patterns = []string{"*.json"}
	}
	seen := map[string]bool{}
	var names []string
	for _, p := range patterns {
		m, err := fs.Glob(fsys, p)
		if err != nil {
			return nil, &LoadError{File: p, Index: -1, Err: fmt.Errorf("%w: pattern: %v", ErrInvalid, err)}
		}
		if len(m) == 0 {
			return nil, &LoadError{File: p, Index: -1, Err: ErrNoFiles}
		}
		for _, n := range m {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

// decodeFile decodes one data file strictly. Unknown fields are reported
// with their full path inside the entry.
func decodeFile(name string, data []byte) (*file, error) {
	var top struct {
		Receivers []json.RawMessage `json:"receivers"`
		Entries   []json.RawMessage `json:"entries"`
	}
	if path, ok := unknownField(data, reflect.TypeOf(top), ""); !ok {
		return nil, &LoadError{File: name, Index: -1, Field: path, Err: ErrUnknownField}
	}
	if err := strictDecode(data, &top); err != nil {
		return nil, syntaxError(name, "", -1, data, err)
	}
	f := &file{}
	for i, raw := range top.Receivers {
		var r Receiver
		if path, ok := unknownField(raw, reflect.TypeFor[Receiver](), ""); !ok {
			return nil, &LoadError{File: name, Index: i, Field: fmt.Sprintf("receivers[%d].%s", i, path), Err: ErrUnknownField}
		}
		if err := strictDecode(raw, &r); err != nil {
			le := syntaxError(name, "", i, raw, err)
			le.Field = fmt.Sprintf("receivers[%d]", i) + dotted(le.Field)
			return nil, le
		}
		f.Receivers = append(f.Receivers, r)
	}
	for i, raw := range top.Entries {
		var probe struct {
			ID any `json:"id"`
		}
		_ = json.Unmarshal(raw, &probe)
		id, _ := probe.ID.(string)
		if path, ok := unknownField(raw, reflect.TypeFor[Entry](), ""); !ok {
			return nil, &LoadError{File: name, Entry: id, Index: i, Field: path, Err: ErrUnknownField}
		}
		var e Entry
		if err := strictDecode(raw, &e); err != nil {
			return nil, syntaxError(name, id, i, raw, err)
		}
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

func dotted(s string) string {
	if s == "" {
		return ""
	}
	return "." + s
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the top-level value")
	}
	return nil
}

func syntaxError(name, id string, index int, data []byte, err error) *LoadError {
	le := &LoadError{File: name, Entry: id, Index: index}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset)
		le.Err = fmt.Errorf("%w: line %d, column %d: %v", ErrSyntax, line, col, se)
	case errors.As(err, &te):
		le.Field = te.Field
		le.Err = fmt.Errorf("%w: %s where %s is expected", ErrSyntax, te.Value, te.Type)
	default:
		le.Err = fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	return le
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	head := data[:off]
	line = bytes.Count(head, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(head, '\n')
	return line, col
}

// unknownField walks raw against the JSON layout of t and returns the
// path of the first field (in key order) that t does not define. Keys are
// compared exactly, so "Title" is not taken for "title". Values of the
// wrong JSON type are left to the decoder.
func unknownField(raw []byte, t reflect.Type, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[json.RawMessage]() {
		return "", true
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return "", true
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch t.Kind() {
	case reflect.Struct:
		if trimmed[0] != '{' {
			return "", true
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(trimmed, &m) != nil {
			return "", true
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if tag == "-" {
				continue
			}
			if tag == "" {
				tag = sf.Name
			}
			fields[tag] = sf.Type
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				return join(k), false
			}
			if p, ok := unknownField(m[k], ft, join(k)); !ok {
				return p, false
			}
		}
	case reflect.Slice:
		if trimmed[0] != '[' {
			return "", true
		}
		var a []json.RawMessage
		if json.Unmarshal(trimmed, &a) != nil {
			return "", true
		}
		for i, v := range a {
			if p, ok := unknownField(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
	case reflect.Map:
		if trimmed[0] != '{' {
			return "", true
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(trimmed, &m) != nil {
			return "", true
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := unknownField(m[k], t.Elem(), join(k)); !ok {
				return p, false
			}
		}
	}
	return "", true
}

var (
	idSyntax   = regexp.MustCompile(`^[a-z0-9]+(?:[-.][a-z0-9]+)*$`)
	nameSyntax = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	hostSyntax = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
)

func fieldErr(field string, err error) *LoadError {
	return &LoadError{Index: -1, Field: field, Err: err}
}

func validateReceiver(r *Receiver) *LoadError {
	if r.Name == "" {
		return fieldErr("name", ErrMissing)
	}
	if !nameSyntax.MatchString(r.Name) {
		return fieldErr("name", fmt.Errorf("%w %q: use lower-case letters, digits and '-'", ErrInvalid, r.Name))
	}
	if len(r.Domains) == 0 && len(r.Hosts) == 0 {
		return fieldErr("domains", fmt.Errorf("%w: a receiver needs domains or hosts", ErrMissing))
	}
	for i, d := range r.Domains {
		if !hostSyntax.MatchString(d) {
			return fieldErr(fmt.Sprintf("domains[%d]", i), fmt.Errorf("%w domain %q: use a lower-case domain name", ErrInvalid, d))
		}
	}
	for i, h := range r.Hosts {
		if !hostSyntax.MatchString(h) {
			return fieldErr(fmt.Sprintf("hosts[%d]", i), fmt.Errorf("%w host suffix %q: use a lower-case host name", ErrInvalid, h))
		}
	}
	return nil
}

// compile validates e against the receivers of c and prepares its
// patterns. The returned error has Field set; the caller adds the rest.
func (c *Catalogue) compile(e *Entry) *LoadError {
	if e.ID == "" {
		return fieldErr("id", ErrMissing)
	}
	if !idSyntax.MatchString(e.ID) {
		return fieldErr("id", fmt.Errorf("%w %q: use lower-case letters, digits, '-' and '.'", ErrInvalid, e.ID))
	}
	w := &e.When
	if len(w.Reasons)+len(w.Statuses)+len(w.Tokens)+len(w.Texts) == 0 {
		return fieldErr("when", fmt.Errorf("%w: at least one of reasons, statuses, tokens or texts is required", ErrMissing))
	}
	var err *LoadError
	if e.when, err = compileEvidence("when", w.Reasons, w.Statuses, w.Tokens, w.Texts); err != nil {
		return err
	}
	q := &w.Require
	if e.require, err = compileEvidence("when.require", q.Reasons, q.Statuses, q.Tokens, q.Texts); err != nil {
		return err
	}
	x := &w.Exclude
	if e.exclude, err = compileEvidence("when.exclude", x.Reasons, x.Statuses, x.Tokens, x.Texts); err != nil {
		return err
	}
	for i, r := range w.Receivers {
		if _, ok := c.receiverIdx[r]; !ok {
			return fieldErr(fmt.Sprintf("when.receivers[%d]", i), fmt.Errorf("%w receiver %q: not defined", ErrInvalid, r))
		}
	}
	for i, d := range w.Domains {
		if !hostSyntax.MatchString(d) {
			return fieldErr(fmt.Sprintf("when.domains[%d]", i), fmt.Errorf("%w domain %q: use a lower-case domain name", ErrInvalid, d))
		}
	}
	for i, h := range w.Hosts {
		if !hostSyntax.MatchString(h) {
			return fieldErr(fmt.Sprintf("when.hosts[%d]", i), fmt.Errorf("%w host suffix %q: use a lower-case host name", ErrInvalid, h))
		}
	}
	for i, rc := range w.ReplyCodes {
		if rc < 200 || rc > 599 {
			return fieldErr(fmt.Sprintf("when.replyCodes[%d]", i), fmt.Errorf("%w reply code %d: must be 200-599", ErrInvalid, rc))
		}
	}
	if e.Urgency == "" {
		return fieldErr("urgency", ErrMissing)
	}
	if !e.Urgency.Valid() {
		return fieldErr("urgency", fmt.Errorf("%w %q: want high, medium or low", ErrInvalid, e.Urgency))
	}
	if e.Retry == "" {
		return fieldErr("retry", ErrMissing)
	}
	if e.Retry != RetryAfterFix && e.Retry != RetryNever {
		return fieldErr("retry", fmt.Errorf("%w %q: want resend-after-fix or do-not-resend (the policy for a permanent failure; waiting is decided from each bounce)", ErrInvalid, e.Retry))
	}
	for i, ref := range e.References {
		u, err := url.Parse(ref)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fieldErr(fmt.Sprintf("references[%d]", i), fmt.Errorf("%w URL %q: want an absolute http or https URL", ErrInvalid, ref))
		}
	}
	if e.Checked == "" {
		return fieldErr("checked", ErrMissing)
	}
	if _, err := time.Parse(time.DateOnly, e.Checked); err != nil {
		return fieldErr("checked", fmt.Errorf("%w date %q: want YYYY-MM-DD", ErrInvalid, e.Checked))
	}
	return validateText(e.Text)
}

func compileEvidence(path string, reasons, statuses, tokens, texts []string) (evidence, *LoadError) {
	var ev evidence
	for i, r := range reasons {
		if !knownReason(r) {
			return ev, fieldErr(fmt.Sprintf("%s.reasons[%d]", path, i), fmt.Errorf("%w reason %q: not in the vocabulary", ErrInvalid, r))
		}
		ev.reasons = append(ev.reasons, r)
	}
	for i, s := range statuses {
		p, err := parseStatusPattern(s)
		if err != nil {
			return ev, fieldErr(fmt.Sprintf("%s.statuses[%d]", path, i), err)
		}
		ev.statuses = append(ev.statuses, p)
	}
	for i, t := range tokens {
		lit, p, err := parseToken(t)
		if err != nil {
			return ev, fieldErr(fmt.Sprintf("%s.tokens[%d]", path, i), err)
		}
		if lit != "" {
			ev.literal = append(ev.literal, lit)
		} else {
			ev.patterns = append(ev.patterns, p)
		}
	}
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			return ev, fieldErr(fmt.Sprintf("%s.texts[%d]", path, i), ErrMissing)
		}
		re, err := regexp.Compile("(?i)" + t)
		if err != nil {
			return ev, fieldErr(fmt.Sprintf("%s.texts[%d]", path, i), fmt.Errorf("%w regexp: %v", ErrInvalid, err))
		}
		tp := textPattern{re: re, lits: requiredLiterals(t), maxLen: -1}
		if tree, err := syntax.Parse("(?i)"+t, syntax.Perl); err == nil {
			tp.alts, tp.wordStart, tp.wordEnd = alternatives(tree)
			tp.line = lineLocal(tree)
			tp.maxLen = maxBytes(tree)
			tp.beginLine = hasOp(tree, syntax.OpBeginLine)
			tp.boundary = hasOp(tree, syntax.OpWordBoundary) || hasOp(tree, syntax.OpNoWordBoundary)
		}
		ev.texts = append(ev.texts, tp)
	}
	return ev, nil
}

func validateText(texts map[string]Text) *LoadError {
	var langs []string
	for k := range texts {
		langs = append(langs, k)
	}
	sort.Strings(langs)
	for _, k := range langs {
		if !slices.Contains(languageKeys(), k) {
			return fieldErr("text."+k, fmt.Errorf("%w: language %q is not supported (supported: %s)", ErrInvalid, k, strings.Join(languageKeys(), ", ")))
		}
	}
	for _, k := range languageKeys() {
		t, ok := texts[k]
		p := "text." + k
		if !ok {
			return fieldErr(p, ErrMissing)
		}
		switch {
		case strings.TrimSpace(t.Title) == "":
			return fieldErr(p+".title", ErrMissing)
		case strings.TrimSpace(t.Summary) == "":
			return fieldErr(p+".summary", ErrMissing)
		case len(t.Steps) == 0:
			return fieldErr(p+".steps", fmt.Errorf("%w: at least one step is required", ErrMissing))
		case strings.TrimSpace(t.Retry.Delayed) == "":
			return fieldErr(p+".retry.delayed", ErrMissing)
		case strings.TrimSpace(t.Retry.Expired) == "":
			return fieldErr(p+".retry.expired", ErrMissing)
		case strings.TrimSpace(t.Retry.Permanent) == "":
			return fieldErr(p+".retry.permanent", ErrMissing)
		}
		for i, s := range t.Steps {
			sp := p + ".steps[" + strconv.Itoa(i) + "]"
			if s.Actor == "" {
				return fieldErr(sp+".actor", ErrMissing)
			}
			if !s.Actor.Valid() {
				return fieldErr(sp+".actor", fmt.Errorf("%w actor %q", ErrInvalid, s.Actor))
			}
			if strings.TrimSpace(s.Text) == "" {
				return fieldErr(sp+".text", ErrMissing)
			}
		}
	}
	return nil
}
