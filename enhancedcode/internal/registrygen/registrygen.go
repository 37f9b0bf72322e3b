// Package registrygen reads enhancedcode/registry.tsv, the IANA registry
// of enhanced status codes with English and Japanese texts, and writes
// the Go source of zregistry.go from it. The generator (gen.go) and the
// test that keeps zregistry.go up to date both use it.
package registrygen

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrFormat is returned (wrapped) for a registry file that is malformed
// or incomplete.
var ErrFormat = errors.New("registrygen: malformed registry")

// header is the first non-comment line of the registry file.
var header = []string{"code", "reply_codes", "reference", "name_en", "name_ja", "description_en", "description_ja"}

// Kind tells which level of the registry a row describes.
type Kind int

// The three kinds of row, in the order the registry lists them.
const (
	KindClass   Kind = 0 // "5.XXX.YYY"
	KindSubject Kind = 1 // "X.1.YYY"
	KindDetail  Kind = 2 // "X.1.1"
)

// Row is one row of the registry file.
type Row struct {
	Code       string
	ReplyCodes string
	Reference  string
	NameEN     string
	NameJA     string
	DescEN     string
	DescJA     string

	// Kind, Class, Subject and Detail are read from Code. Class is 0
	// for subject and detail rows, Subject and Detail are -1 where the
	// code does not give them.
	Kind    Kind
	Class   int
	Subject int
	Detail  int
}

// Parse reads the registry file. Lines that start with "#" and blank
// lines are skipped; the first other line must be the header. Every row
// must have every field, both Japanese fields must hold Japanese text,
// codes must be well formed and unique, and rows must come in registry
// order: classes, then subjects, then details.
func Parse(data []byte) ([]Row, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrFormat)
	}
	var rows []Row
	seen := map[string]int{}
	sawHeader := false
	for n, line := range strings.Split(string(data), "\n") {
		lineNo := n + 1
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if !sawHeader {
			if strings.Join(f, "\t") != strings.Join(header, "\t") {
				return nil, fmt.Errorf("%w: line %d: header must be %q", ErrFormat, lineNo, strings.Join(header, " "))
			}
			sawHeader = true
			continue
		}
		if len(f) != len(header) {
			return nil, fmt.Errorf("%w: line %d: %d fields, want %d", ErrFormat, lineNo, len(f), len(header))
		}
		for i, v := range f {
			if strings.TrimSpace(v) != v || v == "" {
				return nil, fmt.Errorf("%w: line %d: field %s is empty or has surrounding space", ErrFormat, lineNo, header[i])
			}
		}
		r := Row{Code: f[0], ReplyCodes: f[1], Reference: f[2], NameEN: f[3], NameJA: f[4], DescEN: f[5], DescJA: f[6]}
		if err := r.readCode(); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrFormat, lineNo, err)
		}
		if !isJapanese(r.NameJA) || !isJapanese(r.DescJA) {
			return nil, fmt.Errorf("%w: line %d: %s: Japanese name or description has no Japanese text", ErrFormat, lineNo, r.Code)
		}
		if prev, ok := seen[r.Code]; ok {
			return nil, fmt.Errorf("%w: line %d: %s repeats line %d", ErrFormat, lineNo, r.Code, prev)
		}
		seen[r.Code] = lineNo
		if len(rows) > 0 && !inOrder(rows[len(rows)-1], r) {
			return nil, fmt.Errorf("%w: line %d: %s is out of registry order", ErrFormat, lineNo, r.Code)
		}
		rows = append(rows, r)
	}
	if !sawHeader {
		return nil, fmt.Errorf("%w: no header", ErrFormat)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: no rows", ErrFormat)
	}
	return rows, nil
}

// readCode sets Kind, Class, Subject and Detail from Code.
func (r *Row) readCode() error {
	p := strings.Split(r.Code, ".")
	if len(p) != 3 {
		return fmt.Errorf("code %q is not of the form a.b.c", r.Code)
	}
	r.Class, r.Subject, r.Detail = 0, -1, -1
	switch {
	case p[1] == "XXX" && p[2] == "YYY":
		r.Kind = KindClass
		if p[0] != "2" && p[0] != "4" && p[0] != "5" {
			return fmt.Errorf("class row %q: class must be 2, 4 or 5", r.Code)
		}
		r.Class = int(p[0][0] - '0')
		return nil
	case p[0] != "X":
		return fmt.Errorf("code %q: subject and detail rows start with X", r.Code)
	case p[2] == "YYY":
		r.Kind = KindSubject
	default:
		r.Kind = KindDetail
	}
	s, err := number(p[1], 1)
	if err != nil || s > 7 {
		return fmt.Errorf("code %q: subject must be 0 to 7", r.Code)
	}
	r.Subject = s
	if r.Kind == KindDetail {
		d, err := number(p[2], 3)
		if err != nil {
			return fmt.Errorf("code %q: detail must be a number of one to three digits", r.Code)
		}
		r.Detail = d
	}
	return nil
}

// number reads a decimal number of one to max digits without a leading
// zero.
func number(s string, max int) (int, error) {
	if s == "" || len(s) > max || len(s) > 1 && s[0] == '0' {
		return 0, errors.New("bad number")
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, errors.New("bad number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// inOrder reports whether b may follow a: kinds in order, classes and
// subjects ascending, details ascending within a subject.
func inOrder(a, b Row) bool {
	switch {
	case a.Kind != b.Kind:
		return a.Kind < b.Kind
	case a.Kind == KindClass:
		return a.Class < b.Class
	case a.Subject != b.Subject:
		return a.Subject < b.Subject
	}
	return a.Detail < b.Detail
}

// isJapanese reports whether s has at least one kana or kanji.
func isJapanese(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x30ff || r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// Generate parses the registry file and returns the gofmt-ed source of
// zregistry.go.
func Generate(data []byte) ([]byte, error) {
	rows, err := Parse(data)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by gen.go from registry.tsv. DO NOT EDIT.\n\n")
	b.WriteString("package enhancedcode\n\n")
	b.WriteString("// registry holds the rows of registry.tsv in registry order.\n")
	b.WriteString("var registry = [...]Entry{\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "{\nCode: %s,\nReplyCodes: %s,\nReference: %s,\n", strconv.Quote(r.Code), strconv.Quote(r.ReplyCodes), strconv.Quote(r.Reference))
		fmt.Fprintf(&b, "name: [numLangs]string{langEN: %s, langJA: %s},\n", strconv.Quote(r.NameEN), strconv.Quote(r.NameJA))
		fmt.Fprintf(&b, "desc: [numLangs]string{langEN: %s, langJA: %s},\n},\n", strconv.Quote(r.DescEN), strconv.Quote(r.DescJA))
	}
	b.WriteString("}\n\n")
	b.WriteString("// classIndex maps a class to the index of its row in registry.\n")
	b.WriteString("var classIndex = map[Class]int{\n")
	for i, r := range rows {
		if r.Kind == KindClass {
			fmt.Fprintf(&b, "%d: %d, // %s\n", r.Class, i, r.Code)
		}
	}
	b.WriteString("}\n\n")
	b.WriteString("// subjectIndex maps a subject to the index of its row in registry.\n")
	b.WriteString("var subjectIndex = map[Subject]int{\n")
	for i, r := range rows {
		if r.Kind == KindSubject {
			fmt.Fprintf(&b, "%d: %d, // %s\n", r.Subject, i, r.Code)
		}
	}
	b.WriteString("}\n\n")
	b.WriteString("// detailIndex maps subject*1000+detail to the index of the detail row\n// in registry.\n")
	b.WriteString("var detailIndex = map[int]int{\n")
	for i, r := range rows {
		if r.Kind == KindDetail {
			fmt.Fprintf(&b, "%d: %d, // %s\n", r.Subject*1000+r.Detail, i, r.Code)
		}
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("registrygen: formatting generated code: %w", err)
	}
	return src, nil
}
