package ml

import (
	"errors"
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/mlregistry/mlregistry"
)

// MLP is a multi-layer perceptron with any number of hidden layers:
// for each size in HiddenSizes, Dense → Activation → Dropout(P); then a
// final Dense to OutputSize. Its output is logits.
//
// Its arguments show the two shapes a component's configuration can take
// beyond scalars: a list (hidden_sizes) and a nested component
// (activation, itself built through the Models registry, whose metadata
// is nested in the MLP's and whose hash is part of the MLP's hash).
type MLP struct {
	mlregistry.Tracked
	Module

	InputSize   int     // features per example
	HiddenSizes []int   // units of each hidden layer, in order
	OutputSize  int     // outputs (classes)
	Activation  Model   // applied after each hidden layer
	P           float64 // dropout probability after each hidden layer, in [0, 1)
}

// newMLP builds a multi-layer perceptron with any number of hidden
// layers: for each hidden size, Dense → activation → Dropout(p); then a
// final Dense to output_size.
func newMLP(
	inputSize int, // features per example
	hiddenSizes []int, // units of each hidden layer, in order
	outputSize int, // outputs (classes)
	activation Model, // applied after each hidden layer: a nested component
	p float64, // dropout probability after each hidden layer, in [0, 1)
) (*MLP, error) {
	errs := []error{positive("input_size", inputSize), positive("output_size", outputSize), checkDropout(p)}
	for i, h := range hiddenSizes {
		errs = append(errs, positive(fmt.Sprintf("hidden_sizes[%d]", i), h))
	}
	if activation == nil {
		errs = append(errs, errors.New("activation is required (for example ReLU)"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &MLP{InputSize: inputSize, HiddenSizes: append([]int(nil), hiddenSizes...), OutputSize: outputSize, Activation: activation, P: p}, nil
}

// Forward implements Model.
func (m *MLP) Forward(scope *model.Scope, x *graph.Node) *graph.Node {
	checkInput("MLP", x, m.InputSize)
	h := x
	for i, size := range m.HiddenSizes {
		layer := scope.In("hidden%d", i)
		h = dense(layer, h, true, size)
		h = m.Activation.Forward(layer.In("activation"), h)
		h = dropout(layer, h, m.P)
	}
	return dense(scope.In("output"), h, true, m.OutputSize)
}
