package enhancedcode

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Code
		wantErr bool
	}{
		{in: "5.1.1", want: Code{5, 1, 1}},
		{in: "4.7.650", want: Code{4, 7, 650}},
		{in: "2.0.0", want: Code{2, 0, 0}},
		{in: "5.7.26", want: Code{5, 7, 26}},
		{in: "  4.2.2\r\n", want: Code{4, 2, 2}},
		{in: "5.999.999", want: Code{5, 999, 999}},
		{in: "5.01.001", want: Code{5, 1, 1}},
		{in: "", wantErr: true},
		{in: "5", wantErr: true},
		{in: "5.1", wantErr: true},
		{in: "5.1.", wantErr: true},
		{in: ".1.1", wantErr: true},
		{in: "5..1", wantErr: true},
		{in: "5.1.1.1", wantErr: true},
		{in: "4.16.55.1", wantErr: true},
		{in: "3.1.1", wantErr: true},
		{in: "0.0.0", wantErr: true},
		{in: "55.1.1", wantErr: true},
		{in: "5.1000.1", wantErr: true},
		{in: "5.1.1000", wantErr: true},
		{in: "5.1.1" + strings.Repeat(" x", 1<<20), wantErr: true},
		{in: "5.1.1a", wantErr: true},
		{in: "5.-1.1", wantErr: true},
		{in: "5.+1.1", wantErr: true},
		{in: "5. 1.1", wantErr: true},
		{in: "５.１.１", wantErr: true},
		{in: "550", wantErr: true},
		{in: "#5.1.1", wantErr: true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.wantErr {
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("Parse(%q) error = %v, want one that wraps ErrSyntax", tt.in, err)
			}
			if !got.IsZero() {
				t.Errorf("Parse(%q) = %v with an error, want the zero Code", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q) error = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestMustParse(t *testing.T) {
	if got := MustParse("5.7.1"); got != (Code{5, 7, 1}) {
		t.Errorf("MustParse(5.7.1) = %v", got)
	}
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrSyntax) {
			t.Errorf("MustParse(bad) panicked with %v, want an error wrapping ErrSyntax", r)
		}
	}()
	MustParse("5.1")
}

func TestCodeString(t *testing.T) {
	tests := []struct {
		in   Code
		want string
	}{
		{Code{5, 1, 1}, "5.1.1"},
		{Code{4, 7, 650}, "4.7.650"},
		{Code{2, 0, 0}, "2.0.0"},
		{Code{}, ""},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCodeParts(t *testing.T) {
	type parts struct {
		Class                           Class
		Subject                         Subject
		Detail                          int
		Zero, Success, Temporary, Perm  bool
		ClassName, SubjectName, AsClass string
	}
	tests := []struct {
		in   Code
		want parts
	}{
		{Code{5, 1, 1}, parts{Permanent, SubjectAddress, 1, false, false, false, true, "Permanent Failure", "Addressing Status", "4.1.1"}},
		{Code{4, 2, 2}, parts{Transient, SubjectMailbox, 2, false, false, true, false, "Persistent Transient Failure", "Mailbox Status", "4.2.2"}},
		{Code{2, 0, 0}, parts{Success, SubjectOther, 0, false, true, false, false, "Success", "Other or Undefined Status", "4.0.0"}},
		{Code{4, 7, 650}, parts{Transient, SubjectPolicy, 650, false, false, true, false, "Persistent Transient Failure", "Security or Policy Status", "4.7.650"}},
		{Code{}, parts{0, SubjectOther, 0, true, false, false, false, "Class(0)", "Other or Undefined Status", "4.0.0"}},
		{Code{5, 9, 1}, parts{Permanent, 9, 1, false, false, false, true, "Permanent Failure", "Subject(9)", "4.9.1"}},
	}
	for _, tt := range tests {
		got := parts{
			Class: tt.in.Class(), Subject: tt.in.Subject(), Detail: tt.in.Detail(),
			Zero: tt.in.IsZero(), Success: tt.in.IsSuccess(), Temporary: tt.in.Temporary(), Perm: tt.in.Permanent(),
			ClassName: tt.in.Class().String(), SubjectName: tt.in.Subject().String(), AsClass: tt.in.WithClass(Transient).String(),
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%v mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestCodeText(t *testing.T) {
	type doc struct {
		Status Code `json:"status"`
	}
	b, err := json.Marshal(doc{Code{5, 7, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"status":"5.7.1"}`, string(b)); diff != "" {
		t.Errorf("Marshal mismatch (-want +got):\n%s", diff)
	}
	b, err = json.Marshal(doc{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"status":""}`, string(b)); diff != "" {
		t.Errorf("Marshal of zero mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		in      string
		want    Code
		wantErr bool
	}{
		{in: `{"status":"4.4.7"}`, want: Code{4, 4, 7}},
		{in: `{"status":""}`, want: Code{}},
		{in: `{"status":"  "}`, want: Code{}},
		{in: `{"status":"4.4"}`, wantErr: true},
	}
	for _, tt := range tests {
		var d doc
		err := json.Unmarshal([]byte(tt.in), &d)
		if tt.wantErr != (err != nil) || err != nil && !errors.Is(err, ErrSyntax) {
			t.Errorf("Unmarshal(%s) error = %v, want error: %v (wrapping ErrSyntax)", tt.in, err, tt.wantErr)
		}
		if diff := cmp.Diff(tt.want, d.Status); diff != "" {
			t.Errorf("Unmarshal(%s) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}
