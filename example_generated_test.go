//go:build !mlregistry_nogen

package mlregistry_test

import (
	"fmt"

	"github.com/mlregistry/mlregistry"
)

// Dropout is a layer whose constructor has a generated tracking
// constructor (mlregistry_gen_x_test.go, written by mlregistry-gen).
type Dropout struct {
	mlregistry.Tracked
	p float64
}

// NewDropout builds a Dropout layer.
func NewDropout(
	p float64, // probability of zeroing an element, in [0, 1)
) *Dropout {
	return &Dropout{p: p}
}

// After go generate, Register needs no Params: the names, and the docs,
// come from the source; the tracking constructor it returns records the
// arguments without reflection.
func Example_generated() {
	layers := mlregistry.New[any](mlregistry.Kind("layer"))
	newDropout := mlregistry.Register(layers, NewDropout)

	d := newDropout(0.1)
	md, _ := mlregistry.MetadataOf(d)
	c, _ := layers.Get("Dropout")
	p, _ := c.Signature().Lookup("p")
	fmt.Println(md.Name, md.Signature, md.Args)
	fmt.Println(c.Doc())
	fmt.Println("p:", p.Doc)
	// Output:
	// Dropout {p: float64} [0.1]
	// NewDropout builds a Dropout layer.
	// p: probability of zeroing an element, in [0, 1)
}
