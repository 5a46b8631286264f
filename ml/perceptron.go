package ml

import (
	"errors"
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/mlregistry/mlregistry"
)

// Perceptron is a multi-layer perceptron with one hidden layer:
// Dense(input_size → hidden_size) → ReLU → Dropout(p) → Dense(hidden_size →
// output_size). Its output is logits.
type Perceptron struct {
	mlregistry.Tracked
	Module

	InputSize  int     // features per example
	HiddenSize int     // units of the hidden layer
	OutputSize int     // outputs (classes)
	P          float64 // dropout probability after the hidden layer, in [0, 1)
	Bias       bool    // whether the dense layers have a bias term
}

// newPerceptron builds a multi-layer perceptron with one hidden layer:
// Dense → ReLU → Dropout(p) → Dense. Its output is logits.
func newPerceptron(
	inputSize int, // features per example
	hiddenSize int, // units of the hidden layer
	outputSize int, // outputs (classes)
	p float64, // dropout probability after the hidden layer, in [0, 1)
	bias bool, // whether the dense layers have a bias term
) (*Perceptron, error) {
	err := errors.Join(positive("input_size", inputSize), positive("hidden_size", hiddenSize),
		positive("output_size", outputSize), checkDropout(p))
	if err != nil {
		return nil, err
	}
	return &Perceptron{InputSize: inputSize, HiddenSize: hiddenSize, OutputSize: outputSize, P: p, Bias: bias}, nil
}

// Forward implements Model.
func (m *Perceptron) Forward(scope *model.Scope, x *graph.Node) *graph.Node {
	checkInput("Perceptron", x, m.InputSize)
	h := dense(scope.In("hidden"), x, m.Bias, m.HiddenSize)
	h = reluDropout(scope, h, m.P)
	return dense(scope.In("output"), h, m.Bias, m.OutputSize)
}

// positive reports a size that is not positive.
func positive(name string, v int) error {
	if v <= 0 {
		return fmt.Errorf("%s must be positive, got %d", name, v)
	}
	return nil
}

// checkDropout reports a dropout probability outside [0, 1).
func checkDropout(p float64) error {
	if !(p >= 0 && p < 1) {
		return fmt.Errorf("p (dropout probability) must be in [0, 1), got %v", p)
	}
	return nil
}

// checkInput panics, at graph-building time, when x is not shaped
// [batch, inputSize].
func checkInput(name string, x *graph.Node, inputSize int) {
	s := x.Shape()
	if s.Rank() != 2 || s.Dimensions[1] != inputSize {
		panic(fmt.Errorf("%s expects inputs shaped [batch, %d] (input_size=%d), got %s", name, inputSize, inputSize, s))
	}
}
