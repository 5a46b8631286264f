package ml

import (
	"sync"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Model is a neural network. Forward adds the model's computation, from a
// batch of inputs x shaped [batch, features] to outputs shaped
// [batch, outputs], to x's graph; it creates the model's weights as
// variables of scope, which belongs to the model's Parameters. Forward runs
// at graph-building time and, like all GoMLX graph building, panics on
// error; the Trainer turns such panics into errors.
type Model interface {
	Forward(scope *model.Scope, x *graph.Node) *graph.Node
	Parameters() *model.Store
}

// Module is embedded by the models of this package: it owns the variable
// store that holds a model's weights — its parameters, in PyTorch's words —
// created empty on first use. The weights themselves are created, and
// initialized from the store's seed, the first time the model's forward
// pass is built.
type Module struct {
	once  sync.Once
	store *model.Store
}

// Parameters returns the variable store holding the model's weights. It is
// what an optimizer is given to update, as in PyTorch's
// Adam(model.parameters()).
func (m *Module) Parameters() *model.Store {
	m.once.Do(func() { m.store = model.NewStore() })
	return m.store
}
