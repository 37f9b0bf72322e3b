package remedy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on catalogue data. A file or value beyond them is an error, so
// that loading a catalogue costs at most a small multiple of these.
const (
	// MaxFileSize is the largest data file, in bytes.
	MaxFileSize = 4 << 20
	// MaxTextLen is the longest title, gist, summary, step or retry
	// text, in runes. Titles and gists have tighter limits (see
	// validateText).
	MaxTextLen = 1500
	// MaxPatternLen is the longest token or text pattern, in bytes.
	MaxPatternLen = 512
	// maxString is the longest string value of any field, in bytes.
	maxString = 4 * MaxTextLen
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// decodeFile checks one data file against the data format and decodes
// it. The check walks the JSON once and reports, with the path of the
// value: invalid UTF-8, a top-level value that is not an object, null,
// a key given twice in one object, a field the format does not define,
// a value of the wrong JSON type and an overlong string. A leading UTF-8
// byte order mark is skipped.
func decodeFile(name string, data []byte) (*file, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	bad := int64(-1) // offset of the first byte that is not UTF-8
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		bad = int64(off)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec, data: data, bad: bad}
	if err := w.value(reflect.TypeFor[file]()); err != nil {
		return nil, w.loadError(name, err)
	}
	if bad >= 0 { // outside any string
		w.path = nil
		return nil, w.loadError(name, w.invalidUTF8())
	}
	if _, err := dec.Token(); err == nil {
		w.path = nil
		return nil, w.loadError(name, fmt.Errorf("%w: data after the top-level object", ErrSyntax))
	}
	f := &file{}
	if err := json.Unmarshal(data, f); err != nil {
		// The walk has checked everything the decoder checks.
		return nil, &LoadError{File: name, Index: -1, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	return f, nil
}

// walker checks a JSON value against the Go type it decodes into.
type walker struct {
	dec  *json.Decoder
	data []byte
	path []string // keys and "[i]" from the top of the file
	ids  []string // the "id" of each entry, by index, as far as seen
	bad  int64    // offset of the first byte that is not UTF-8, or -1
}

// invalidUTF8 reports the byte that is not UTF-8.
func (w *walker) invalidUTF8() error {
	line, col := lineCol(w.data, w.bad)
	return fmt.Errorf("%w: invalid UTF-8 at line %d, column %d", ErrSyntax, line, col)
}

// value checks the next value of the stream against t.
func (w *walker) value(t reflect.Type) error {
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntax(err)
	}
	want := jsonKind(t)
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			if want != "object" {
				return w.wrongType("object", want)
			}
			return w.object(t)
		case '[':
			if want != "array" {
				return w.wrongType("array", want)
			}
			return w.array(t.Elem())
		}
		return w.syntax(fmt.Errorf("unexpected %q", v))
	case nil:
		return fmt.Errorf("%w: null is not allowed (leave the field out instead)", ErrInvalid)
	case string:
		if w.bad >= 0 && w.dec.InputOffset() > w.bad {
			return w.invalidUTF8()
		}
		if want != "string" {
			return w.wrongType("string", want)
		}
		if len(v) > maxString {
			return fmt.Errorf("%w: string of %d bytes, longer than %d", ErrInvalid, len(v), maxString)
		}
		if len(w.path) == 3 && w.path[0] == "entries" && w.path[2] == "id" {
			i, _ := strconv.Atoi(strings.Trim(w.path[1], "[]"))
			for len(w.ids) <= i {
				w.ids = append(w.ids, "")
			}
			w.ids[i] = v
		}
	case json.Number:
		if want != "number" {
			return w.wrongType("number", want)
		}
		if _, err := strconv.Atoi(v.String()); err != nil {
			return fmt.Errorf("%w: %s is not a whole number", ErrInvalid, v)
		}
	case bool:
		if want != "boolean" {
			return w.wrongType("boolean", want)
		}
	}
	return nil
}

func (w *walker) object(t reflect.Type) error {
	seen := map[string]bool{}
	var fields map[string]reflect.Type
	if t.Kind() == reflect.Struct {
		fields = jsonFields(t)
	}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(err)
		}
		key, _ := tok.(string)
		w.path = append(w.path, key)
		if w.bad >= 0 && w.dec.InputOffset() > w.bad {
			return w.invalidUTF8()
		}
		if seen[key] {
			return fmt.Errorf("%w key %q in one object", ErrDuplicate, key)
		}
		seen[key] = true
		var ft reflect.Type
		if fields != nil {
			var ok bool
			if ft, ok = fields[key]; !ok {
				return ErrUnknownField
			}
		} else {
			ft = t.Elem() // a map
		}
		if err := w.value(ft); err != nil {
			return err
		}
		w.path = w.path[:len(w.path)-1]
	}
	_, err := w.dec.Token() // '}'
	return w.syntax(err)
}

func (w *walker) array(elem reflect.Type) error {
	for i := 0; w.dec.More(); i++ {
		w.path = append(w.path, "["+strconv.Itoa(i)+"]")
		if err := w.value(elem); err != nil {
			return err
		}
		w.path = w.path[:len(w.path)-1]
	}
	_, err := w.dec.Token() // ']'
	return w.syntax(err)
}

func (w *walker) syntax(err error) error {
	if err == nil {
		return nil
	}
	line, col := lineCol(w.data, w.dec.InputOffset())
	return fmt.Errorf("%w: line %d, column %d: %v", ErrSyntax, line, col, err)
}

func (w *walker) wrongType(got, want string) error {
	return fmt.Errorf("%w: %s where %s is expected", ErrSyntax, got, want)
}

// loadError turns an error at the walker's path into a *LoadError that
// names the entry (or receiver) and the field inside it.
func (w *walker) loadError(name string, err error) *LoadError {
	le := &LoadError{File: name, Index: -1, Err: err}
	p := w.path
	if len(p) >= 2 && (p[0] == "entries" || p[0] == "receivers") && strings.HasPrefix(p[1], "[") {
		le.Index, _ = strconv.Atoi(strings.Trim(p[1], "[]"))
		if p[0] == "entries" {
			if le.Index < len(w.ids) {
				le.Entry = w.ids[le.Index]
			}
			if le.Entry == "" {
				// The ID may come after the field in error.
				var probe struct {
					Entries []struct {
						ID any `json:"id"`
					} `json:"entries"`
				}
				if json.Unmarshal(w.data, &probe) == nil && le.Index < len(probe.Entries) {
					le.Entry, _ = probe.Entries[le.Index].ID.(string)
				}
			}
			le.Field = joinPath(p[2:])
		} else {
			le.Field = "receivers" + p[1] + dotted(joinPath(p[2:]))
		}
		return le
	}
	le.Field = joinPath(p)
	return le
}

// joinPath writes a path as "text.en.steps[0].actor".
func joinPath(p []string) string {
	var b strings.Builder
	for _, s := range p {
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func dotted(s string) string {
	if s == "" {
		return ""
	}
	return "." + s
}

// jsonKind is the JSON type that a value decoding into t must have.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "number"
	case reflect.Bool:
		return "boolean"
	}
	return t.Kind().String()
}

// jsonFields maps the JSON names of t's exported fields to their types.
// Names are compared exactly, so "Title" is not taken for "title".
func jsonFields(t reflect.Type) map[string]reflect.Type {
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
	return fields
}

func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	head := data[:off]
	line = bytes.Count(head, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(head, '\n')
	return line, col
}

// errTooLarge is returned for a data file beyond MaxFileSize.
var errTooLarge = errors.New("file larger than the limit")
