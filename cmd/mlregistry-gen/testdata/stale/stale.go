// Package stale is a fixture of mlregistry-gen: the test generates its
// file, then changes the constructor's signature.
package stale

import "github.com/mlregistry/mlregistry"

// Linear is a layer.
type Linear struct {
	mlregistry.Tracked
	In, Out int
}

func newLinear(in, out int) *Linear { return &Linear{In: in, Out: out} }

// Models is the fixture's registry.
var Models = mlregistry.New[any]()

// NewLinear is Linear's tracking constructor.
var NewLinear, RegisterErr = mlregistry.TryRegister(Models, newLinear)
