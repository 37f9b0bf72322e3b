package remedy

import "testing"

func TestDefaultLoads(t *testing.T) {
	c := Default()
	if c.Len() == 0 {
		t.Fatal("empty catalogue")
	}
}
