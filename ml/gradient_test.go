package ml

import (
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestGradientTap checks that a tap's hand-written gradient replaces the
// derived one exactly when the reverse pass goes through Out, and that the
// derived gradient is kept otherwise. The forward computation is 3·x; the
// hand-written gradient is 2·dy, so that the two can be told apart.
func TestGradientTap(t *testing.T) {
	needsGoMLX(t)
	tapped := func(x *graph.Node) (in, out *graph.Node) {
		var tap gradientTap
		in = tap.In(x, func(dy *graph.Node) *graph.Node { return graph.MulScalar(dy, 2) })
		return in, tap.Out(graph.MulScalar(in, 3))
	}
	tests := []struct {
		name string
		grad func(x *graph.Node) *graph.Node // the gradient of some loss with respect to x
		want float32
	}{
		{"through Out", func(x *graph.Node) *graph.Node {
			_, out := tapped(x)
			return graph.Gradient(graph.ReduceAllSum(out), x)[0]
		}, 2},
		{"Out off the loss's path", func(x *graph.Node) *graph.Node {
			in, _ := tapped(x)
			return graph.Gradient(graph.ReduceAllSum(graph.MulScalar(in, 5)), x)[0]
		}, 5},
		{"a second pass that misses Out", func(x *graph.Node) *graph.Node {
			in, out := tapped(x)
			_ = graph.Gradient(graph.ReduceAllSum(out), x)
			return graph.Gradient(graph.ReduceAllSum(graph.MulScalar(in, 5)), x)[0]
		}, 5},
		{"both paths", func(x *graph.Node) *graph.Node {
			_, out := tapped(x)
			return graph.Gradient(graph.ReduceAllSum(graph.Add(out, graph.MulScalar(x, 7))), x)[0]
		}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := graph.CallOnce(Backend(), tt.grad, []float32{1, -4, 0.5})
			if err != nil {
				t.Fatal(err)
			}
			tensors.MustConstFlatData(got, func(flat []float32) {
				for i, g := range flat {
					if g != tt.want {
						t.Errorf("gradient[%d] = %v, want %v", i, g, tt.want)
					}
				}
			})
		})
	}
}
