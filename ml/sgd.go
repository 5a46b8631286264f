package ml

import (
	"errors"
	"fmt"
	"path"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/mlregistry/mlregistry"
)

// SGD is stochastic gradient descent with optional momentum, as PyTorch's
// torch.optim.SGD computes it: buf ← momentum·buf + grad; w ← w − lr·buf
// (plain w ← w − lr·grad when momentum is 0). GoMLX's own SGD has no
// momentum and decays its learning rate by default; this one does neither.
type SGD struct {
	mlregistry.Tracked

	params   *model.Store
	LR       float64 // learning rate
	Momentum float64 // momentum factor, in [0, 1)
}

// newSGD builds a stochastic gradient descent optimizer, with PyTorch's
// parameters and defaults.
func newSGD(
	params *model.Store, // the model's parameters: a runtime input, not configuration
	lr float64, // learning rate
	momentum float64, // momentum factor, in [0, 1)
) (*SGD, error) {
	var errs []error
	if params == nil {
		errs = append(errs, errNoParams)
	}
	if !(lr > 0) {
		errs = append(errs, fmt.Errorf("lr must be positive, got %v", lr))
	}
	if !(momentum >= 0 && momentum < 1) {
		errs = append(errs, fmt.Errorf("momentum must be in [0, 1), got %v", momentum))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &SGD{params: params, LR: lr, Momentum: momentum}, nil
}

// Parameters implements Optimizer.
func (o *SGD) Parameters() *model.Store { return o.params }

// Build implements Optimizer.
func (o *SGD) Build() optimizer.Interface { return &sgdUpdate{lr: o.LR, momentum: o.Momentum} }

// sgdScope is where SGD keeps its momentum buffers in the variable store.
const sgdScope = "SGDOptimizer"

// sgdUpdate implements optimizer.Interface for SGD.
type sgdUpdate struct {
	lr, momentum float64
}

// UpdateGraph implements optimizer.Interface.
func (o *sgdUpdate) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	grads := scope.BuildTrainableVariablesGradientsGraph(loss)
	dtype := loss.DType()
	lr := optimizer.LearningRateVar(scope, dtype, o.lr).NodeValue(g)
	_ = optimizer.IncrementGlobalStep(g, dtype)
	eachTrainable("SGD", scope, g, grads, func(v *model.Variable, step *graph.Node) {
		if o.momentum != 0 {
			buf := scope.Store().Scope(path.Join("/", sgdScope, v.Scope())).
				WithInitializer(initializer.Zero).
				VariableWithShape(v.Name()+"_momentum", step.Shape()).
				SetTrainable(false)
			step = graph.Add(graph.MulScalar(buf.NodeValue(g), o.momentum), step)
			buf.SetNodeValue(step)
		}
		rate := lr
		if rate.DType() != step.DType() {
			rate = graph.ConvertDType(rate, step.DType())
		}
		w := v.NodeValue(g)
		v.SetNodeValue(graph.Sub(w, graph.Mul(step, rate)))
	})
}

// Clear implements optimizer.Interface: it deletes the momentum buffers.
func (o *sgdUpdate) Clear(scope *model.Scope) error {
	return scope.Store().DeleteVariablesInScope(path.Join("/", sgdScope))
}
