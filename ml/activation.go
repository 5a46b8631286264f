package ml

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/mlregistry/mlregistry"
)

// The activations are models without weights, as PyTorch's nn.ReLU is a
// Module: registered in the same registry as the models, they can be given
// to a model as an argument — a nested component, which the model's
// metadata and hash include (see MLP).

// ReLU applies max(x, 0) element-wise.
type ReLU struct {
	mlregistry.Tracked
	Module
}

// Forward implements Model.
func (*ReLU) Forward(_ *model.Scope, x *graph.Node) *graph.Node { return activation.Relu(x) }

// LeakyReLU applies x for x ≥ 0 and NegativeSlope·x otherwise.
type LeakyReLU struct {
	mlregistry.Tracked
	Module

	NegativeSlope float64 // slope for negative inputs, PyTorch's negative_slope
}

// newLeakyReLU builds a LeakyReLU: x for x ≥ 0, negative_slope·x below.
func newLeakyReLU(
	negativeSlope float64, // slope for negative inputs, PyTorch's negative_slope
) (*LeakyReLU, error) {
	if !(negativeSlope >= 0 && negativeSlope < 1) {
		return nil, fmt.Errorf("negative_slope must be in [0, 1), got %v", negativeSlope)
	}
	return &LeakyReLU{NegativeSlope: negativeSlope}, nil
}

// Forward implements Model.
func (m *LeakyReLU) Forward(_ *model.Scope, x *graph.Node) *graph.Node {
	return activation.LeakyReluWith(x, m.NegativeSlope)
}

// Tanh applies the hyperbolic tangent element-wise.
type Tanh struct {
	mlregistry.Tracked
	Module
}

// Forward implements Model.
func (*Tanh) Forward(_ *model.Scope, x *graph.Node) *graph.Node { return graph.Tanh(x) }

// Sigmoid applies the logistic function element-wise.
type Sigmoid struct {
	mlregistry.Tracked
	Module
}

// Forward implements Model.
func (*Sigmoid) Forward(_ *model.Scope, x *graph.Node) *graph.Node { return graph.Sigmoid(x) }

// GELU applies the Gaussian error linear unit element-wise (exact form,
// PyTorch's approximate="none").
type GELU struct {
	mlregistry.Tracked
	Module
}

// Forward implements Model.
func (*GELU) Forward(_ *model.Scope, x *graph.Node) *graph.Node { return activation.Gelu(x) }

// newReLU is the constructor registered as "ReLU".
func newReLU() *ReLU { return &ReLU{} }

// newTanh is the constructor registered as "Tanh".
func newTanh() *Tanh { return &Tanh{} }

// newSigmoid is the constructor registered as "Sigmoid".
func newSigmoid() *Sigmoid { return &Sigmoid{} }

// newGELU is the constructor registered as "GELU".
func newGELU() *GELU { return &GELU{} }
