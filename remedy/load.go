package remedy

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"sync"
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
	return (*Catalogue)(nil).extend(fsys, patterns, false)
}

// Extend returns a new catalogue holding c's entries and receivers plus
// those read from fsys (see Load). An entry ID or receiver name that c
// already has is an ErrDuplicate error: replacing one of c's entries
// takes [Catalogue.ExtendReplacing]. c itself is not changed.
func (c *Catalogue) Extend(fsys fs.FS, patterns ...string) (*Catalogue, error) {
	return c.extend(fsys, patterns, false)
}

// ExtendReplacing is Extend where an entry or receiver with the ID or
// name of one in c replaces it in place. A replacement may not leave a
// reason that c explains with no generic entry (one triggered by the
// reason alone, without constraints): that is an ErrMissing error.
func (c *Catalogue) ExtendReplacing(fsys fs.FS, patterns ...string) (*Catalogue, error) {
	return c.extend(fsys, patterns, true)
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

func (c *Catalogue) extend(fsys fs.FS, patterns []string, replace bool) (*Catalogue, error) {
	names, err := globAll(fsys, patterns)
	if err != nil {
		return nil, err
	}
	var entries []loaded
	var receivers []loadedReceiver
	ids := map[string]bool{}
	rnames := map[string]bool{}
	for _, name := range names {
		data, err := readFile(fsys, name)
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
			if !replace {
				return nil, &LoadError{File: lr.file, Index: lr.index, Field: fmt.Sprintf("receivers[%d].name", lr.index),
					Err: fmt.Errorf("%w receiver %q: it is already defined; use ExtendReplacing to replace it", ErrDuplicate, r.Name)}
			}
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
			if !replace {
				return nil, &LoadError{File: le.file, Entry: e.ID, Index: le.index, Field: "id",
					Err: fmt.Errorf("%w ID %q: the catalogue already has it; use ExtendReplacing to replace it", ErrDuplicate, e.ID)}
			}
			out.entries[i] = ep
		} else {
			pos[e.ID] = len(out.entries)
			out.entries = append(out.entries, ep)
		}
	}
	for _, e := range out.entries {
		out.byID[e.ID] = e
	}
	if c != nil {
		if err := keepsGenericEntries(c, out, entries); err != nil {
			return nil, err
		}
	}
	out.idx = newIndex(out)
	return out, nil
}

// keepsGenericEntries reports an error when out, made from c by
// replacing entries, has no generic entry for a reason that c has one
// for.
func keepsGenericEntries(c, out *Catalogue, added []loaded) *LoadError {
	have := genericReasons(out)
	for r := range genericReasons(c) {
		if have[r] {
			continue
		}
		le := &LoadError{File: "", Index: -1, Field: "when.reasons",
			Err: fmt.Errorf("%w: reason %q would have no generic entry (one triggered by the reason alone)", ErrMissing, r)}
		for _, a := range added {
			if e, ok := c.byID[a.entry.ID]; ok && slices.Contains(e.When.Reasons, r) {
				le.File, le.Entry, le.Index = a.file, a.entry.ID, a.index
				break
			}
		}
		return le
	}
	return nil
}

// genericReasons returns the reasons that have an entry triggered by the
// reason alone: no other trigger, constraint, requirement or exclusion.
func genericReasons(c *Catalogue) map[string]bool {
	out := map[string]bool{}
	for _, e := range c.entries {
		if e.When.ReasonOnly() {
			for _, r := range e.When.Reasons {
				out[r] = true
			}
		}
	}
	return out
}

// readFile reads a data file of at most MaxFileSize bytes.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%w: %w of %d bytes", ErrInvalid, errTooLarge, MaxFileSize)
	}
	return b, nil
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
