// Package configstruct is a fixture of mlregistry-gen: a config-struct
// constructor, with field comments.
package configstruct

import "github.com/mlregistry/mlregistry"

//go:generate go run github.com/mlregistry/mlregistry/cmd/mlregistry-gen

// AdamConfig configures Adam.
type AdamConfig struct {
	// learning rate
	LR    float64   `json:"lr"`
	Betas []float64 `json:"betas"` // decay rates of the moments
	Eps   float64   // stability term
}

// Adam is the optimizer.
type Adam struct {
	mlregistry.Tracked
	AdamConfig
}

// newAdam builds an Adam optimizer.
func newAdam(cfg AdamConfig) (*Adam, error) { return &Adam{AdamConfig: cfg}, nil }

// Optimizers is the fixture's registry.
var Optimizers = mlregistry.New[*Adam](mlregistry.Kind("optimizer"))

// NewAdam is Adam's tracking constructor.
var NewAdam = mlregistry.Register(Optimizers, newAdam, mlregistry.Name("Adam"))
