package ml

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// eachTrainable calls update with every trainable variable of scope that g
// uses and its gradient, grads being in the order
// scope.BuildTrainableVariablesGradientsGraph returns them. Like all graph
// building, it panics when the two disagree; optimizer names the caller.
func eachTrainable(optimizer string, scope *model.Scope, g *graph.Graph, grads []*graph.Node,
	update func(v *model.Variable, grad *graph.Node)) {
	i := 0
	for v := range scope.IterVariables() {
		if !v.Trainable || !v.InUseByGraph(g) {
			continue
		}
		if i >= len(grads) {
			panic(fmt.Errorf("%s: more trainable variables than gradients (%d): were variables created in between?", optimizer, len(grads)))
		}
		update(v, grads[i])
		i++
	}
	if i != len(grads) {
		panic(fmt.Errorf("%s: %d gradients for %d trainable variables: were variables created in between?", optimizer, len(grads), i))
	}
}
