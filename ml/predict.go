package ml

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Predictor runs a trained model on rows of features, in inference mode (no
// dropout): the class probabilities (the softmax of the model's outputs)
// and the predicted class (the largest output, as Accuracy counts it) of
// each row. It is safe for concurrent use; calls run one at a time.
//
// Batches are padded to a power of two (at most PredictChunk rows; larger
// ones run in chunks), so that a model compiles a handful of graphs however
// its callers batch.
type Predictor struct {
	// Features is the number of inputs of a row; Classes the number of
	// outputs (probabilities) of a row.
	Features, Classes int

	mu   sync.Mutex
	exec *model.Exec
	in   []float32 // the padded batch, reused
}

// PredictChunk is the largest batch a Predictor runs at once.
const PredictChunk = 1024

// ErrPredictInput is matched by Predict's error for input of the wrong
// size.
var ErrPredictInput = errors.New("wrong prediction input")

// NewPredictor prepares m, whose rows have the given number of features,
// for predictions on backend (nil: Backend()). It runs the model once on a
// row of zeros to learn its number of classes.
func NewPredictor(backend compute.Backend, m Model, features int) (*Predictor, error) {
	if features <= 0 {
		return nil, fmt.Errorf("predictor: %d features: expected a positive number", features)
	}
	if backend == nil {
		backend = Backend()
	}
	p := &Predictor{Features: features}
	err := catch(func() error {
		exec, err := model.NewExec(backend, m.Parameters(), func(scope *model.Scope, x *graph.Node) (*graph.Node, *graph.Node) {
			logits := m.Forward(scope, x)
			return graph.Softmax(logits, -1), graph.ArgMax(logits, -1, dtypes.Int64)
		})
		if err != nil {
			return err
		}
		p.exec = exec.SetMaxCache(16)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("predictor: %w", err)
	}
	probs, _, err := p.run(make([]float32, features), 1)
	if err != nil {
		p.Close()
		return nil, err
	}
	p.Classes = len(probs)
	return p, nil
}

// Predict returns, for rows rows of x (row-major, rows×Features values),
// the class probabilities (rows×Classes, row-major) and the predicted
// classes (rows).
func (p *Predictor) Predict(x []float32, rows int) (probs []float32, labels []int64, err error) {
	if rows <= 0 || len(x) != rows*p.Features {
		return nil, nil, fmt.Errorf("%w: %d values for %d rows of %d features", ErrPredictInput, len(x), rows, p.Features)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	probs = make([]float32, 0, rows*p.Classes)
	labels = make([]int64, 0, rows)
	for start := 0; start < rows; start += PredictChunk {
		n := min(PredictChunk, rows-start)
		pr, lb, err := p.run(x[start*p.Features:(start+n)*p.Features], n)
		if err != nil {
			return nil, nil, err
		}
		probs = append(probs, pr...)
		labels = append(labels, lb...)
	}
	return probs, labels, nil
}

// run runs one chunk of n rows, padded to a power of two.
func (p *Predictor) run(x []float32, n int) (probs []float32, labels []int64, err error) {
	padded := 1
	for padded < n {
		padded *= 2
	}
	if cap(p.in) < padded*p.Features {
		p.in = make([]float32, padded*p.Features)
	}
	in := p.in[:padded*p.Features]
	copy(in, x)
	clear(in[len(x):])
	err = catch(func() error {
		t := tensors.FromFlatDataAndDimensions(in, padded, p.Features)
		defer t.FinalizeAll()
		outs, err := p.exec.Call(t)
		if err != nil {
			return err
		}
		defer func() {
			for _, o := range outs {
				_ = o.FinalizeAll()
			}
		}()
		classes := outs[0].Shape().Dimensions[1]
		if err := tensors.ConstFlatData(outs[0], func(flat []float32) { probs = append(probs, flat[:n*classes]...) }); err != nil {
			return err
		}
		return tensors.ConstFlatData(outs[1], func(flat []int64) { labels = append(labels, flat[:n]...) })
	})
	if err != nil {
		return nil, nil, fmt.Errorf("predicting: %w", err)
	}
	return probs, labels, nil
}

// Close releases the compiled graphs.
func (p *Predictor) Close() {
	if p.exec != nil {
		p.exec.Finalize()
	}
}
