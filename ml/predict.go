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
// each row. It is safe for concurrent use.
//
// Concurrent calls of few rows are run together: while one batch runs, the
// calls that arrive wait, and the first of them then runs them all as one
// batch (at most CoalesceRows rows). A model's weights are read once for
// them all, and no call waits for a timer: alone, a call runs at once.
// Batches are padded to a power of two (at most PredictChunk rows; larger
// ones run in chunks), so that a model compiles a handful of graphs however
// its callers batch.
type Predictor struct {
	// Features is the number of inputs of a row; Classes the number of
	// outputs (probabilities) of a row.
	Features, Classes int

	mu   sync.Mutex // one graph runs at a time: guards exec and in
	exec *model.Exec
	in   []float32 // the padded batch, reused

	queueMu sync.Mutex
	queue   []*predictCall // calls waiting for the batch that runs
	busy    bool           // a batch runs; its leader hands over to queue[0]
}

// CoalesceRows is the most rows of concurrent calls a Predictor runs as one
// batch; a call of more rows runs alone.
const CoalesceRows = 32

// predictCall is one call of Predict waiting to run with others.
type predictCall struct {
	x      []float32
	rows   int
	probs  []float32
	labels []int64
	err    error
	wake   chan bool // true: done; false: lead the next batch
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
	if rows > CoalesceRows {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.predict(x, rows)
	}
	c := &predictCall{x: x, rows: rows, wake: make(chan bool, 1)}
	p.queueMu.Lock()
	p.queue = append(p.queue, c)
	lead := !p.busy
	p.busy = true
	p.queueMu.Unlock()
	for !lead {
		lead = !<-c.wake
		if !lead {
			return c.probs, c.labels, c.err
		}
	}
	p.runQueued()
	<-c.wake // its own call ran in that batch: it was first in the queue
	return c.probs, c.labels, c.err
}

// predict runs rows rows of x in chunks; p.mu is held.
func (p *Predictor) predict(x []float32, rows int) (probs []float32, labels []int64, err error) {
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

// runQueued runs the calls at the head of the queue, up to CoalesceRows
// rows, as one batch, wakes them with their results, and hands the next
// batch to the first call still waiting (or marks the Predictor idle).
func (p *Predictor) runQueued() {
	p.queueMu.Lock()
	n, rows := 0, 0
	for n < len(p.queue) && rows+p.queue[n].rows <= CoalesceRows {
		rows += p.queue[n].rows
		n++
	}
	batch := p.queue[:n:n]
	p.queue = append([]*predictCall(nil), p.queue[n:]...)
	p.queueMu.Unlock()

	x := make([]float32, 0, rows*p.Features)
	for _, c := range batch {
		x = append(x, c.x...)
	}
	p.mu.Lock()
	probs, labels, err := p.predict(x, rows)
	p.mu.Unlock()
	at := 0
	for _, c := range batch {
		if c.err = err; err == nil {
			c.probs = probs[at*p.Classes : (at+c.rows)*p.Classes : (at+c.rows)*p.Classes]
			c.labels = labels[at : at+c.rows : at+c.rows]
		}
		at += c.rows
		c.wake <- true
	}

	p.queueMu.Lock()
	if len(p.queue) == 0 {
		p.busy = false
	} else {
		p.queue[0].wake <- false
	}
	p.queueMu.Unlock()
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
