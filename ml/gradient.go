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
// forward computation is then never used, so the backend never runs it
// (it drops the nodes no output needs).
//
// It relies on GoMLX's reverse pass visiting nodes in the reverse order of
// their creation: Out's gradient is complete before any node created before
// it, In's included, is visited. An In visited in a reverse pass that did
// not go through Out (a second gradient of the same graph that reaches In
// another way) keeps the derived gradient.
type gradientTap struct {
	dy  *graph.Node // the gradient arriving at Out, in the latest reverse pass through it
	gen int         // counts the reverse passes through Out
}

// In returns x unchanged, with grad(dy) as its gradient. Out must be
// called after every In whose result the forward computation uses.
func (t *gradientTap) In(x *graph.Node, grad func(dy *graph.Node) *graph.Node) *graph.Node {
	used := 0 // the pass whose dy this In last used
	return graph.IdentityWithCustomGradient(x, func(_, v *graph.Node) *graph.Node {
		if t.dy == nil || used == t.gen {
			return v // this pass did not go through Out
		}
		used = t.gen
		return grad(t.dy)
	})
}

// Out returns y unchanged, recording the gradient that arrives at it.
func (t *gradientTap) Out(y *graph.Node) *graph.Node {
	return graph.IdentityWithCustomGradient(y, func(_, v *graph.Node) *graph.Node {
		t.dy = v
		t.gen++
		return v
	})
}
