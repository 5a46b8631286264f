package ml

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/mlregistry/mlregistry/store"
)

// Trainer runs pipelines. The zero value trains quietly, saves nothing and
// records nothing.
type Trainer struct {
	// Out receives progress while training; nil for none.
	Out io.Writer
	// Progress chooses how progress is shown; ProgressAuto by default.
	Progress Progress
	// RunsDir, when set, is where each run saves its directory: the
	// pipeline's metadata document and the weights checkpoint (see Save).
	RunsDir string
	// Store, when set, records the run: its components, settings, batch
	// loss as it goes, and final metrics; and keeps the run's heartbeat
	// while it trains, every third of LostAfter.
	Store store.Store
	// LostAfter is how long the recorded run may go without a heartbeat
	// before readers report it lost (store.Run.LostAfter); 0 means
	// store.DefaultLostAfter.
	LostAfter time.Duration
	// Backend runs the computation; nil means Backend().
	Backend compute.Backend
}

// Result is what a training run achieved.
type Result struct {
	Steps        int           `json:"steps"`          // steps trained
	Epochs       float64       `json:"epochs"`         // passes over the training split
	Loss         float64       `json:"train_loss_avg"` // training loss at the end: the moving average of the batch loss (MetricTrainLossAvg)
	TestAccuracy float64       `json:"test_accuracy"`  // accuracy on the held-out split
	TestExamples int           `json:"test_examples"`  // size of the held-out split
	Duration     time.Duration `json:"duration_ns"`    // training time, evaluation excluded
	Dir          string        `json:"-"`              // the run directory, "" when not saved
	RunID        string        `json:"-"`              // the run's ID in the Store, "" when not recorded
}

// StepTime returns the mean duration of a training step.
func (r *Result) StepTime() time.Duration {
	if r.Steps == 0 {
		return 0
	}
	return r.Duration / time.Duration(r.Steps)
}

// Train trains p's model on p's dataset: mini-batches of the training split
// in an order shuffled by the seed, the criterion's loss minimized by the
// optimizer. It then measures the accuracy on the held-out split, saves the
// run directory (when RunsDir is set) and records the run (when Store is
// set). The same pipeline with the same seed gives the same weights.
//
// Training continues from the weights the model already has, if any.
// Cancelling ctx stops training between two steps: the run is recorded as
// store.StatusInterrupted when the cancellation's cause is an *Interrupt (a
// signal), as store.StatusCanceled otherwise, with the metrics it reached,
// and no run directory is left. Train then returns the error (matching
// ErrInterrupted, or the context's error) with the partial result: the
// steps done, the loss reached, the run's ID.
func (t *Trainer) Train(ctx context.Context, p *Pipeline) (res *Result, err error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	cfg := p.Training.withDefaults()
	examples := p.Dataset.Examples()
	if err := examples.check(); err != nil {
		return nil, err
	}
	test, err := p.Dataset.Test()
	if err != nil {
		return nil, err
	}
	if err := test.check(); err != nil {
		return nil, fmt.Errorf("held-out split: %w", err)
	}
	if test.Features != examples.Features {
		return nil, fmt.Errorf("the held-out split has %d features, the training split %d", test.Features, examples.Features)
	}
	perEpoch := examples.Len() / cfg.BatchSize
	if perEpoch == 0 {
		return nil, fmt.Errorf("batch_size %d is larger than the training split (%d examples)", cfg.BatchSize, examples.Len())
	}
	steps := cfg.Steps
	if steps == 0 {
		steps = cfg.Epochs * perEpoch
	}
	backend := t.Backend
	if backend == nil {
		backend = Backend()
	}

	var doc *Document
	if t.RunsDir != "" || t.Store != nil {
		if doc, err = NewDocument(p); err != nil {
			return nil, err
		}
	}
	result := &Result{Steps: steps, Epochs: float64(steps) / float64(perEpoch), TestExamples: test.Len()}
	var dir runDir
	if t.RunsDir != "" {
		if dir, err = newRunDir(t.RunsDir, doc.Model.Hash); err != nil {
			return nil, err
		}
		result.Dir = dir.Final
		defer func() {
			if err != nil {
				dir.remove()
				result.Dir = ""
			}
		}()
	}
	rec := newRecorder(t.Store, doc, cfg, result.Dir, t.LostAfter)
	if err := rec.start(ctx); err != nil {
		return nil, err
	}
	defer func() { rec.finish(ctx, result, err) }()

	params := p.Model.Parameters()
	params.SetParam(model.ParamInitialSeed, cfg.Seed)
	prog := newProgress(t.Out, t.Progress, steps)
	start := time.Now()
	done := 0
	err = catch(func() error {
		trainer := train.NewTrainer(backend, params,
			func(scope *model.Scope, x *graph.Node) *graph.Node { return p.Model.Forward(scope, x) },
			p.Criterion.Loss, p.Optimizer.Build(), nil, nil)
		return runSteps(ctx, trainer, examples, cfg, steps, func(step int, loss, avg float64) error {
			prog.step(step, avg)
			done, result.Loss = step, avg
			return rec.log(ctx, step, steps, loss)
		})
	})
	prog.finish()
	result.Duration = time.Since(start)
	if err == nil {
		err = stopped(ctx) // a signal after the last step still interrupts the run
	}
	if err != nil {
		if errors.Is(err, ErrInterrupted) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			result.Steps, result.Epochs = done, float64(done)/float64(perEpoch)
			return result, fmt.Errorf("training stopped after %d of %d steps: %w", done, steps, err)
		}
		return nil, fmt.Errorf("training: %w", err)
	}
	if result.TestAccuracy, err = Accuracy(backend, p.Model, test); err != nil {
		return nil, err
	}
	if t.RunsDir != "" {
		doc.Result = result
		if err = Save(dir.Partial, doc, params); err != nil {
			return nil, err
		}
		if err = stopped(ctx); err != nil {
			return result, err
		}
		if err = dir.commit(); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// stopped returns why ctx was cancelled, nil if it was not: its cause (an
// *Interrupt for a signal) when that is not the bare context error, with
// the cause's message, matching both.
func stopped(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if cause := context.Cause(ctx); cause != nil && cause != err {
		return &stopError{cause: cause, ctxErr: err}
	}
	return err
}

// stopError is a context's cancellation: its cause, and its error
// (context.Canceled), both matched by errors.Is.
type stopError struct{ cause, ctxErr error }

func (e *stopError) Error() string   { return e.cause.Error() }
func (e *stopError) Unwrap() []error { return []error{e.cause, e.ctxErr} }

// runSteps runs the training steps, calling report after each with the
// batch loss and the trainer's moving average of it.
func runSteps(ctx context.Context, trainer *train.Trainer, ex *Examples, cfg Training, steps int,
	report func(step int, loss, avg float64) error) error {
	b, f := cfg.BatchSize, ex.Features
	perEpoch := ex.Len() / b
	order := make([]int, ex.Len())
	xs := make([]float32, b*f)
	ys := make([]int32, b)
	for step := range steps {
		if err := stopped(ctx); err != nil {
			return err
		}
		if step%perEpoch == 0 {
			shuffle(order, cfg.Seed, step/perEpoch)
		}
		batch := order[(step%perEpoch)*b:][:b]
		for i, j := range batch {
			copy(xs[i*f:(i+1)*f], ex.X[j*f:(j+1)*f])
			ys[i] = ex.Y[j]
		}
		metrics, err := trainer.TrainStep(train.Batch{
			Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(xs, b, f)},
			Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(ys, b, 1)},
		})
		if err != nil {
			return err
		}
		loss, avg := scalar(metrics[0]), scalar(metrics[1])
		for _, m := range metrics {
			_ = m.FinalizeAll()
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return fmt.Errorf("%w: the loss is %v at step %d", ErrDiverged, loss, step+1)
		}
		if err := report(step+1, loss, avg); err != nil {
			return err
		}
	}
	return nil
}

// ErrDiverged is reported (wrapped) when the training loss stops being a
// finite number.
var ErrDiverged = errors.New("training diverged")

// shuffle fills order with a permutation of its indexes, determined by the
// seed and the epoch.
func shuffle(order []int, seed int64, epoch int) {
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(epoch)))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
}

// scalar returns a scalar tensor's value as a float64.
func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}
