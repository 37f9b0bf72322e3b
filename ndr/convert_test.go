package ndr

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// The public vocabulary and the stages' vocabulary are the same strings.
func TestReasonsMatchRecord(t *testing.T) {
	var want []string
	for _, r := range record.Reasons() {
		want = append(want, string(r))
	}
	var got []string
	for _, r := range Reasons() {
		got = append(got, string(r))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Reasons() differ from the stages' (-record +ndr):\n%s", diff)
	}
	for _, r := range Reasons() {
		for _, permanent := range []bool{false, true} {
			if r.IsHard(permanent) != record.Reason(r).IsHard(permanent) {
				t.Errorf("%s.IsHard(%v) differs from the stages'", r, permanent)
			}
		}
	}
}

// TestRecordLayout checks what publicRecipients and publicOriginal rely
// on: each public type has the fields of its record type, with the same
// names, offsets and types (a public named type stands for the record
// type of the same name and underlying type).
func TestRecordLayout(t *testing.T) {
	for _, p := range [][2]reflect.Type{
		{reflect.TypeFor[Recipient](), reflect.TypeFor[record.Recipient]()},
		{reflect.TypeFor[Original](), reflect.TypeFor[record.Original]()},
		{reflect.TypeFor[Field](), reflect.TypeFor[record.Field]()},
		{reflect.TypeFor[Warning](), reflect.TypeFor[mime.Warning]()},
	} {
		if err := sameLayout(p[0], p[1]); err != nil {
			t.Errorf("%v and %v: %v", p[0], p[1], err)
		}
	}
}

func sameLayout(a, b reflect.Type) error {
	if a == b {
		return nil
	}
	if a.Kind() != b.Kind() || a.Size() != b.Size() || a.Name() != b.Name() {
		return fmt.Errorf("%v is not %v", a, b)
	}
	switch a.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Interface:
		return nil
	case reflect.Slice:
		return sameLayout(a.Elem(), b.Elem())
	case reflect.Struct:
		if a.NumField() != b.NumField() {
			return fmt.Errorf("%d fields, %d in the record", a.NumField(), b.NumField())
		}
		for i := range a.NumField() {
			fa, fb := a.Field(i), b.Field(i)
			if fa.Name != fb.Name || fa.Offset != fb.Offset {
				return fmt.Errorf("field %d is %s at %d, %s at %d in the record", i, fa.Name, fa.Offset, fb.Name, fb.Offset)
			}
			if err := sameLayout(fa.Type, fb.Type); err != nil {
				return fmt.Errorf("field %s: %v", fa.Name, err)
			}
		}
		return nil
	}
	return fmt.Errorf("%v: kind %v not compared", a, a.Kind())
}
