// Package order is a fixture of mlregistry-gen: a package-level Register
// call in a file that sorts before the generated one.
package order

import "github.com/mlregistry/mlregistry"

// Box holds a value.
type Box struct{ V int }

func newBox(v int) *Box { return &Box{V: v} }

// NewBox is Box's tracking constructor.
var NewBox = mlregistry.Register(mlregistry.Default, newBox)
