package ml

import (
	"errors"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Optimizer updates a model's weights from the gradients of a loss.
// Parameters returns the variable store it updates — given at construction,
// as PyTorch's optimizers are given model.parameters(); it is a runtime
// input, excluded from the optimizer's metadata and hash and supplied again
// at Rebuild. Build returns the GoMLX optimizer that implements the
// configuration.
type Optimizer interface {
	Parameters() *model.Store
	Build() optimizer.Interface
}

// errNoParams is returned by optimizer constructors given no parameters.
var errNoParams = errors.New("params is required: pass the model's Parameters()")
