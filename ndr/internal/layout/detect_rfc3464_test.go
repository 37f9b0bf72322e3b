package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Fields pasted with quote marks or indentation lose that prefix, and a
// folded value keeps its continuation.
func TestDedentFields(t *testing.T) {
	tests := []struct{ name, in, prefix, want string }{
		{"quoted", "> Action: failed\n> Diagnostic-Code: smtp; 550 a\n>     b\n>\n> Status: 5.0.0", "> ",
			"Action: failed\nDiagnostic-Code: smtp; 550 a\n    b\n\nStatus: 5.0.0"},
		{"indented", "  Action: failed\n  Status: 5.1.1\n\nregards", "  ",
			"Action: failed\nStatus: 5.1.1\n\nregards"},
		{"no prefix", "Action: failed", "", "Action: failed"},
		{"a line without the prefix stays", "> Action: failed\nsigned", "> ", "Action: failed\nsigned"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, dedentFields(tt.in, tt.prefix)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
