package ml

import (
	"errors"
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/mlregistry/mlregistry"
)

// Linear is a fully connected layer, PyTorch's nn.Linear: y = x·W + b,
// from InFeatures to OutFeatures.
type Linear struct {
	mlregistry.Tracked
	Module

	InFeatures  int  // features per example in
	OutFeatures int  // features per example out
	Bias        bool // whether to add a learned bias
}

// newLinear builds a Linear layer: a dense, fully connected layer.
func newLinear(
	inFeatures int, // features per input example
	outFeatures int, // features per output example
	bias bool, // whether to add a learned bias
) (*Linear, error) {
	if err := errors.Join(positive("in_features", inFeatures), positive("out_features", outFeatures)); err != nil {
		return nil, err
	}
	return &Linear{InFeatures: inFeatures, OutFeatures: outFeatures, Bias: bias}, nil
}

// Forward implements Model.
func (m *Linear) Forward(scope *model.Scope, x *graph.Node) *graph.Node {
	checkInput("Linear", x, m.InFeatures)
	return layers.Dense(scope, x, m.Bias, m.OutFeatures)
}

// Sequential applies its layers in order, as PyTorch's nn.Sequential: the
// output of each is the input of the next. Its configuration is a list of
// components — each layer's metadata is nested in the Sequential's, and
// each layer's hash is part of the Sequential's hash.
//
// A layer given more than once (the same instance) is one layer applied
// again, with the same weights, as in PyTorch; equal but distinct
// instances have weights of their own.
type Sequential struct {
	mlregistry.Tracked
	Module

	Layers []Model // applied in order
}

// newSequential builds a Sequential: its layers applied in order.
func newSequential(
	layers []Model, // the layers, nested components, applied in order
) (*Sequential, error) {
	if len(layers) == 0 {
		return nil, errors.New("layers must hold at least one layer")
	}
	var errs []error
	for i, l := range layers {
		if l == nil {
			errs = append(errs, fmt.Errorf("layers[%d] is null: want a model (for example Linear or ReLU)", i))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Sequential{Layers: append([]Model(nil), layers...)}, nil
}

// Forward implements Model. Layer i's weights live in the scope
// "layer<j>", j being the first position of the same instance.
func (m *Sequential) Forward(scope *model.Scope, x *graph.Node) *graph.Node {
	h := x
	for i, l := range m.Layers {
		first := i
		for j := range i {
			if m.Layers[j] == l {
				first = j
				break
			}
		}
		if first == i {
			h = l.Forward(scope.In("layer%d", i), h)
		} else {
			h = l.Forward(scope.Shared("layer%d", first), h)
		}
	}
	return h
}
