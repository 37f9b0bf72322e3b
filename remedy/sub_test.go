package remedy

import (
	"io/fs"
	"testing"
)

func mustSub(tb testing.TB) fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}
