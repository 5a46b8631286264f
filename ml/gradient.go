package ml

import "github.com/gomlx/gomlx/core/graph"

// gradientTap gives a part of a graph a gradient written by hand. GoMLX
// derives every gradient from the forward computation, and the derivation
// it writes for a matrix product or a mask costs the pure-Go backend extra
// passes over the data: a transpose of each weight gradient, broadcasts of
// scalars, a chain of Sign ops for ReLU. A tap lets a layer state the
// cheaper equivalent instead.
//
// Build the forward computation from In's results, pass its output through
// Out, and give In a function of dy — the gradient arriving at Out — that
// returns the gradient of its input. The gradient GoMLX derives from the
// forward computation is then never used, so the backend never runs it.
//
// It relies on GoMLX's reverse pass visiting nodes in the reverse order of
// their creation: Out's gradient is complete before any node created before
// it, In's included, is visited.
type gradientTap struct {
	dy *graph.Node // the gradient arriving at Out, once the reverse pass reached it
}

// In returns x unchanged, with grad(dy) as its gradient. Out must be
// called after every In whose result the forward computation uses.
func (t *gradientTap) In(x *graph.Node, grad func(dy *graph.Node) *graph.Node) *graph.Node {
	return graph.IdentityWithCustomGradient(x, func(_, v *graph.Node) *graph.Node {
		if t.dy == nil {
			return v // Out is not on the loss's path: keep the derived gradient
		}
		return grad(t.dy)
	})
}

// Out returns y unchanged, recording the gradient that arrives at it.
func (t *gradientTap) Out(y *graph.Node) *graph.Node {
	return graph.IdentityWithCustomGradient(y, func(_, v *graph.Node) *graph.Node {
		t.dy = v
		return v
	})
}
