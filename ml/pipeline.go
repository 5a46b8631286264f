package ml

import (
	"errors"
	"fmt"
)

// Pipeline is what a training run is made of: the four components, built
// through the registries of a Repository, and the run's settings.
type Pipeline struct {
	Model     Model
	Criterion Criterion
	Optimizer Optimizer
	Dataset   Dataset
	Training  Training
}

// Training holds the settings of a run. Zero values take the defaults.
type Training struct {
	// BatchSize is the number of examples per step; default 64.
	BatchSize int `json:"batch_size"`
	// Steps, when positive, is the number of steps to train; it takes
	// precedence over Epochs.
	Steps int `json:"steps,omitempty"`
	// Epochs is the number of passes over the training split when Steps is
	// 0; default 1. A pass is as many full batches as the split holds
	// (the remainder of a shuffled epoch is left out, as PyTorch's
	// drop_last does).
	Epochs int `json:"epochs,omitempty"`
	// Seed makes the run reproducible: it seeds the weights'
	// initialization, dropout, and the shuffling of the examples.
	Seed int64 `json:"seed"`
}

// DefaultBatchSize is the batch size of a Training that sets none.
const DefaultBatchSize = 64

// withDefaults fills in the defaults.
func (t Training) withDefaults() Training {
	if t.BatchSize == 0 {
		t.BatchSize = DefaultBatchSize
	}
	if t.Steps == 0 && t.Epochs == 0 {
		t.Epochs = 1
	}
	return t
}

// Check reports every problem with the pipeline that would stop it
// training, at once and before anything is allocated: a missing component,
// an optimizer not given the model's parameters, a model that does not fit
// the dataset (its input_size, its output_size) or whose weights would
// exceed MaxWeights, negative training settings. Trainer.Train checks it
// too; a program calls it to refuse a pipeline before printing it.
func (p *Pipeline) Check() error { return p.check() }

// check reports every problem with the pipeline at once.
func (p *Pipeline) check() error {
	var errs []error
	if p.Model == nil {
		errs = append(errs, errors.New("pipeline: no model"))
	}
	if p.Criterion == nil {
		errs = append(errs, errors.New("pipeline: no criterion"))
	}
	if p.Optimizer == nil {
		errs = append(errs, errors.New("pipeline: no optimizer"))
	}
	if p.Dataset == nil {
		errs = append(errs, errors.New("pipeline: no dataset"))
	}
	if p.Model != nil && p.Optimizer != nil && p.Optimizer.Parameters() != p.Model.Parameters() {
		errs = append(errs, errors.New("pipeline: the optimizer was not given the model's Parameters()"))
	}
	if p.Model != nil && p.Dataset != nil {
		if err := p.checkFit(); err != nil {
			errs = append(errs, fmt.Errorf("pipeline: %w", err))
		}
	}
	t := p.Training
	if t.BatchSize < 0 || t.Steps < 0 || t.Epochs < 0 {
		errs = append(errs, fmt.Errorf("pipeline: batch_size (%d), steps (%d) and epochs (%d) must not be negative", t.BatchSize, t.Steps, t.Epochs))
	}
	return errors.Join(errs...)
}
