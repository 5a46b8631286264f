package ml

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// evalBatch is how many examples Accuracy runs through the model at once:
// MNIST's whole test split, so that the backend runs each matrix product
// once, on 10,000 rows (see BenchmarkAccuracy), for about 10 MB of hidden
// activations in the README's pipeline.
const evalBatch = 10000

// Backend returns the computation backend this package runs on by default:
// GoMLX's pure-Go backend, shared by every caller.
func Backend() compute.Backend { return gobackend.GetBackend() }

// Accuracy returns the fraction of ex that m classifies correctly: the
// class of the largest output. The model runs in inference mode (no
// dropout) with the weights in its Parameters; a model that was never
// trained has freshly initialized ones. A nil backend means Backend().
func Accuracy(backend compute.Backend, m Model, ex *Examples) (float64, error) {
	return accuracy(backend, m, ex, evalBatch)
}

// accuracy is Accuracy, running batch examples through the model at once.
func accuracy(backend compute.Backend, m Model, ex *Examples, batch int) (float64, error) {
	if ex.Len() == 0 {
		return 0, fmt.Errorf("accuracy: no examples")
	}
	if backend == nil {
		backend = Backend()
	}
	var correct int
	err := catch(func() error {
		exec, err := model.NewExec(backend, m.Parameters(), func(scope *model.Scope, x *graph.Node) *graph.Node {
			return graph.ArgMax(m.Forward(scope, x), -1, dtypes.Int32)
		})
		if err != nil {
			return err
		}
		defer exec.Finalize()
		for start := 0; start < ex.Len(); start += batch {
			end := min(start+batch, ex.Len())
			x := tensors.FromFlatDataAndDimensions(ex.X[start*ex.Features:end*ex.Features], end-start, ex.Features)
			pred, err := exec.Call1(x)
			_ = x.FinalizeAll()
			if err != nil {
				return err
			}
			err = tensors.ConstFlatData(pred, func(flat []int32) {
				for i, p := range flat {
					if p == ex.Y[start+i] {
						correct++
					}
				}
			})
			_ = pred.FinalizeAll()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("accuracy: %w", err)
	}
	return float64(correct) / float64(ex.Len()), nil
}
