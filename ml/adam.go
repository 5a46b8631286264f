package ml

import (
	"errors"
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/mlregistry/mlregistry"
)

// Adam is the Adam optimizer (Kingma & Ba, 2014) with PyTorch's defaults
// and semantics: lr 1e-3, betas (0.9, 0.999), eps 1e-8, and weight_decay as
// an L2 penalty added to the gradients (not AdamW's decoupled decay).
type Adam struct {
	mlregistry.Tracked

	params      *model.Store
	LR          float64    // learning rate
	Betas       [2]float64 // decay rates of the moving averages of the gradient and its square
	Eps         float64    // added to the denominator for numerical stability
	WeightDecay float64    // L2 penalty coefficient
}

// newAdam builds an Adam optimizer (Kingma & Ba), with PyTorch's
// parameters and defaults.
func newAdam(
	params *model.Store, // the model's parameters: a runtime input, not configuration
	lr float64, // learning rate
	betas []float64, // decay rates of the first and second moment estimates: two values in [0, 1)
	eps float64, // term added to the denominator, for numerical stability
	weightDecay float64, // L2 penalty coefficient
) (*Adam, error) {
	var errs []error
	if params == nil {
		errs = append(errs, errNoParams)
	}
	if !(lr > 0) {
		errs = append(errs, fmt.Errorf("lr must be positive, got %v", lr))
	}
	if len(betas) != 2 {
		errs = append(errs, fmt.Errorf("betas must hold 2 values, got %d", len(betas)))
	} else {
		for i, b := range betas {
			if !(b >= 0 && b < 1) {
				errs = append(errs, fmt.Errorf("betas[%d] must be in [0, 1), got %v", i, b))
			}
		}
	}
	if !(eps > 0) {
		errs = append(errs, fmt.Errorf("eps must be positive, got %v", eps))
	}
	if !(weightDecay >= 0) {
		errs = append(errs, fmt.Errorf("weight_decay must be non-negative, got %v", weightDecay))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Adam{params: params, LR: lr, Betas: [2]float64{betas[0], betas[1]}, Eps: eps, WeightDecay: weightDecay}, nil
}

// Parameters implements Optimizer.
func (o *Adam) Parameters() *model.Store { return o.params }

// Build implements Optimizer. The update is PyTorch's (eps 1e-8 by
// default, where GoMLX's own Adam defaults to 1e-7), in fewer passes over
// the weights than GoMLX's Adam (see adamUpdate).
func (o *Adam) Build() optimizer.Interface {
	var opt optimizer.Interface = &adamUpdate{lr: o.LR, beta1: o.Betas[0], beta2: o.Betas[1], eps: o.Eps}
	if o.WeightDecay > 0 {
		return &l2Penalty{Interface: opt, amount: o.WeightDecay}
	}
	return opt
}

// l2Penalty adds amount/2·Σw² over the trainable weights to the loss an
// optimizer minimizes, which adds amount·w to each gradient: PyTorch's
// weight_decay. The loss the trainer reports does not include it.
type l2Penalty struct {
	optimizer.Interface
	amount float64
}

// UpdateGraph implements optimizer.Interface.
func (o *l2Penalty) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	total := loss
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			w := v.NodeValue(g)
			penalty := graph.MulScalar(graph.ReduceAllSum(graph.Square(w)), o.amount/2)
			total = graph.Add(total, graph.ConvertDType(penalty, loss.DType()))
		}
	}
	o.Interface.UpdateGraph(scope, g, total)
}
