//go:build ignore

// gen.go writes zregistry.go from registry.tsv. Run it with
// "go generate ./enhancedcode" after editing registry.tsv.
package main

import (
	"fmt"
	"os"

	"github.com/ndrkit/ndrkit/enhancedcode/internal/registrygen"
)

func main() {
	data, err := os.ReadFile("registry.tsv")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	src, err := registrygen.Generate(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("zregistry.go", src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
