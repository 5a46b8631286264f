package ml

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
)

// dropout is GoMLX's layers.DropoutStatic(scope, x, p): while training,
// each value is zeroed with probability p and the others are divided by
// 1−p; otherwise x is returned unchanged. The mask is drawn from the same
// random state, and its gradient is the mask applied to the incoming
// gradient — a division and a Where — instead of the four passes (two
// broadcasts, a division, a Where) GoMLX derives.
func dropout(scope *model.Scope, x *graph.Node, p float64) *graph.Node {
	g := x.Graph()
	if p == 0 || !scope.IsTraining(g) {
		return x
	}
	return masked(x, keepMask(scope, x, p), p)
}

// reluDropout is ReLU followed by dropout(scope, ·, p), as one mask: while
// training, a value is kept — divided by 1−p — where it is positive and the
// dropout keeps it, and zeroed elsewhere. ReLU's gradient as GoMLX derives
// it from max(x, 0) takes five passes more; here the one mask serves both.
func reluDropout(scope *model.Scope, x *graph.Node, p float64) *graph.Node {
	g := x.Graph()
	if !scope.IsTraining(g) {
		return activation.Relu(x)
	}
	positive := graph.GreaterThan(x, graph.ScalarZero(g, x.DType()))
	if p == 0 {
		return masked(x, positive, 0)
	}
	return masked(x, graph.LogicalAnd(positive, keepMask(scope, x, p)), p)
}

// keepMask draws which values of x dropout keeps: true with probability
// 1−p, from the store's random state, as GoMLX's dropout draws it.
func keepMask(scope *model.Scope, x *graph.Node, p float64) *graph.Node {
	g := x.Graph()
	uniform := scope.RandomUniform(g, x.Shape())
	return graph.GreaterThan(uniform, graph.Scalar(g, uniform.DType(), p))
}

// masked returns x/(1−p) where keep is true and 0 elsewhere, with the
// gradient dy/(1−p) where keep is true and 0 elsewhere. It divides, as
// GoMLX's dropout does, rather than multiply by 1/(1−p), which would round
// differently.
func masked(x, keep *graph.Node, p float64) *graph.Node {
	g := x.Graph()
	zero := graph.ScalarZero(g, x.DType())
	apply := func(v *graph.Node) *graph.Node {
		if p != 0 {
			v = graph.Div(v, graph.Scalar(g, v.DType(), 1-p))
		}
		return graph.Where(keep, v, zero)
	}
	var tap gradientTap
	return tap.Out(apply(tap.In(x, apply)))
}
