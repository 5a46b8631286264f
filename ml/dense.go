package ml

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/nn"
)

// dense is GoMLX's layers.Dense(scope, x, useBias, outputs) for x shaped
// [batch, in]: the same variables — scope "dense", "weights" shaped
// [in, outputs] and "biases" shaped [outputs], created in that order, so
// that they are initialized alike and checkpoints of either load into the
// other — and the same forward computation (the backend's fused dense op).
//
// Only the gradients differ in how they are computed: each is one matrix
// product in a layout the pure-Go backend's kernels take as they are, where
// GoMLX's derivation transposes both operands of the weights' gradient and
// then its result — a pass over every weight at every step — and copies the
// inputs' gradient through an identity transpose.
func dense(scope *model.Scope, x *graph.Node, useBias bool, outputs int) *graph.Node {
	scope = scope.In("dense")
	g := x.Graph()
	dtype := x.DType()
	inputs := x.Shape().Dimensions[x.Rank()-1]
	w := scope.VariableWithShape("weights", shapes.Make(dtype, inputs, outputs)).NodeValue(g)
	var b *graph.Node
	if useBias {
		b = scope.VariableWithShape("biases", shapes.Make(dtype, outputs)).NodeValue(g)
	}
	if !scope.IsTraining(g) {
		return nn.Dense(x, w, b, compute.DenseLayoutInputOutputs)
	}
	var tap gradientTap
	weights := w
	x = tap.In(x, func(dy *graph.Node) *graph.Node { // dx = dy·wᵀ: [batch, inputs]
		return graph.DotGeneral(dy, []int{1}, nil, weights, []int{1}, nil)
	})
	in := x
	w = tap.In(w, func(dy *graph.Node) *graph.Node { // dw = xᵀ·dy: [inputs, outputs]
		return graph.DotGeneral(graph.Transpose(in, 0, 1), []int{1}, nil, dy, []int{0}, nil)
	})
	return tap.Out(nn.Dense(x, w, b, compute.DenseLayoutInputOutputs))
}
