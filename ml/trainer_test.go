package ml

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/store"
)

func TestTrainDigits(t *testing.T) {
	needsGoMLX(t)
	p := digitsPipeline(t, 1)
	var out bytes.Buffer
	res, err := (&Trainer{Out: &out, Progress: ProgressLines}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.TestAccuracy < 0.9 {
		t.Errorf("test accuracy %.3f on Digits, want ≥ 0.9", res.TestAccuracy)
	}
	if res.TestExamples != 359 || res.Steps != 8*(1438/32) {
		t.Errorf("result %+v: want 359 test examples and %d steps", res, 8*(1438/32))
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 11 || !strings.HasPrefix(lines[10], "step 352/352 (100%)  train_loss_avg ") {
		t.Errorf("progress lines:\n%s", out.String())
	}
}

func TestTrainReproducible(t *testing.T) {
	needsGoMLX(t)
	run := func(seed int64) *Result {
		p := digitsPipeline(t, seed)
		p.Training.Epochs = 2
		return must((&Trainer{}).Train(context.Background(), p))
	}
	a, b, c := run(7), run(7), run(8)
	if a.Loss != b.Loss || a.TestAccuracy != b.TestAccuracy {
		t.Errorf("same seed, different runs: loss %v vs %v, accuracy %v vs %v", a.Loss, b.Loss, a.TestAccuracy, b.TestAccuracy)
	}
	if a.Loss == c.Loss {
		t.Errorf("seeds 7 and 8 gave the same loss %v", a.Loss)
	}
}

// TestTrainComponents trains every model, criterion and optimizer on
// Digits: each must learn.
func TestTrainComponents(t *testing.T) {
	needsGoMLX(t)
	tests := []struct {
		name      string
		model     func() Model
		criterion func() Criterion
		optimizer func(*Pipeline) Optimizer
		min       float64
	}{
		{"Perceptron/CrossEntropy/SGD+momentum",
			func() Model { return must(NewPerceptron(64, 64, 10, 0, true)) },
			func() Criterion { return must(NewCrossEntropyLoss(0)) },
			func(p *Pipeline) Optimizer { return must(NewSGD(p.Model.Parameters(), 0.05, 0.9)) }, 0.9},
		{"Perceptron/CrossEntropy/SGD",
			func() Model { return must(NewPerceptron(64, 64, 10, 0, true)) },
			func() Criterion { return must(NewCrossEntropyLoss(0.1)) },
			func(p *Pipeline) Optimizer { return must(NewSGD(p.Model.Parameters(), 0.2, 0)) }, 0.85},
		{"MLP(GELU)/MSE/Adam+weight_decay",
			func() Model { return must(NewMLP(64, []int{64, 32}, 10, NewGELU(), 0)) },
			func() Criterion { return NewMSELoss() },
			func(p *Pipeline) Optimizer {
				return must(NewAdam(p.Model.Parameters(), 3e-3, []float64{0.9, 0.999}, 1e-8, 1e-4))
			}, 0.85},
		{"MLP(Tanh)/CrossEntropy/Adam",
			func() Model { return must(NewMLP(64, []int{32}, 10, NewTanh(), 0.1)) },
			func() Criterion { return must(NewCrossEntropyLoss(0)) },
			func(p *Pipeline) Optimizer {
				return must(NewAdam(p.Model.Parameters(), 3e-3, []float64{0.9, 0.999}, 1e-8, 0))
			}, 0.9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			epochs := 8
			if raceEnabled {
				epochs = 1 // checks for races, not for learning
			}
			p := &Pipeline{Model: tt.model(), Criterion: tt.criterion(), Dataset: must(NewDigits(true)),
				Training: Training{BatchSize: 32, Epochs: epochs, Seed: 3}}
			p.Optimizer = tt.optimizer(p)
			res, err := (&Trainer{}).Train(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if !raceEnabled && res.TestAccuracy < tt.min {
				t.Errorf("test accuracy %.3f, want ≥ %.2f", res.TestAccuracy, tt.min)
			}
		})
	}
}

func TestTrainErrors(t *testing.T) {
	needsGoMLX(t)
	other := must(NewPerceptron(64, 8, 10, 0, true))
	tests := []struct {
		name   string
		change func(*Pipeline, *Trainer)
		want   string
		is     error
	}{
		{"batch larger than the data", func(p *Pipeline, _ *Trainer) { p.Training.BatchSize = 5000 }, "larger than the training split", nil},
		{"optimizer of another model", func(p *Pipeline, _ *Trainer) {
			p.Optimizer = must(NewSGD(other.Parameters(), 0.1, 0))
		}, "not given the model's Parameters()", nil},
		{"no criterion", func(p *Pipeline, _ *Trainer) { p.Criterion = nil }, "no criterion", nil},
		{"negative steps", func(p *Pipeline, _ *Trainer) { p.Training.Steps = -1 }, "must not be negative", nil},
		{"wrong input size", func(p *Pipeline, _ *Trainer) {
			p.Model = must(NewPerceptron(784, 8, 10, 0, true))
			p.Optimizer = must(NewSGD(p.Model.Parameters(), 0.1, 0))
		}, "model.arguments.input_size: Perceptron takes 784 features, but Digits has 64", nil},
		{"wrong input size, untracked", func(p *Pipeline, _ *Trainer) {
			// No metadata to check before training: the graph's own check
			// stops it, and its panic becomes an error.
			p.Model = &Perceptron{InputSize: 784, HiddenSize: 8, OutputSize: 10}
			p.Optimizer = must(NewSGD(p.Model.Parameters(), 0.1, 0))
		}, "expects inputs shaped [batch, 784]", nil},
		{"untracked model saved", func(p *Pipeline, tr *Trainer) {
			p.Model = &Perceptron{InputSize: 64, HiddenSize: 8, OutputSize: 10}
			p.Optimizer = must(NewSGD(p.Model.Parameters(), 0.1, 0))
			tr.RunsDir = t.TempDir()
		}, "", ErrUntracked},
		{"diverging", func(p *Pipeline, _ *Trainer) {
			p.Optimizer = must(NewSGD(p.Model.Parameters(), 1e30, 0))
		}, "", ErrDiverged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := digitsPipeline(t, 1)
			p.Training.Epochs = 1
			tr := &Trainer{}
			tt.change(p, tr)
			_, err := tr.Train(context.Background(), p)
			switch {
			case err == nil:
				t.Fatal("Train succeeded")
			case tt.is != nil && !errors.Is(err, tt.is):
				t.Fatalf("Train = %v, want %v", err, tt.is)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Train = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestTrainCancel(t *testing.T) {
	needsGoMLX(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	runs := t.TempDir()
	_, err := (&Trainer{RunsDir: runs}).Train(ctx, digitsPipeline(t, 1))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Train = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(runs); len(entries) != 0 {
		t.Errorf("a cancelled run left %d entries in the runs directory", len(entries))
	}
}

// memStore records what a Trainer tells a store.Store.
type memStore struct {
	store.Store // methods the trainer does not use panic (nil)

	mu       sync.Mutex
	run      store.Run
	metrics  []store.Metric
	status   string
	final    map[string]float64
	finished int
}

func (s *memStore) StartRun(_ context.Context, r store.Run) (store.Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.ID, r.Status = "run-1", store.StatusRunning
	s.run = r
	return r, nil
}

func (s *memStore) LogMetrics(_ context.Context, id string, ms ...store.Metric) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.run.ID {
		return errors.New("unknown run")
	}
	s.metrics = append(s.metrics, ms...)
	return nil
}

func (s *memStore) Heartbeat(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.run.ID {
		return errors.New("unknown run")
	}
	return nil
}

func (s *memStore) FinishRun(_ context.Context, id, status string, final map[string]float64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.final = status, final
	s.finished++
	return nil
}

func TestTrainRecordsRun(t *testing.T) {
	needsGoMLX(t)
	s := &memStore{}
	p := digitsPipeline(t, 1)
	p.Training.Epochs = 1
	runs := t.TempDir()
	res, err := (&Trainer{Store: s, RunsDir: runs}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.RunID != "run-1" || s.status != store.StatusSucceeded || s.finished != 1 {
		t.Errorf("run %q ended %q (%d finishes)", res.RunID, s.status, s.finished)
	}
	if s.final["test_accuracy"] != res.TestAccuracy {
		t.Errorf("final metrics %v, want test_accuracy %v", s.final, res.TestAccuracy)
	}
	if s.run.ArtifactDir != res.Dir || filepath.Dir(res.Dir) != runs {
		t.Errorf("artifact dir %q, run dir %q", s.run.ArtifactDir, res.Dir)
	}
	roles := map[string]string{}
	for _, c := range s.run.Components {
		roles[c.Role] = c.Hash
	}
	for role, x := range map[string]any{"model": p.Model, "criterion": p.Criterion, "optimizer": p.Optimizer, "dataset": p.Dataset} {
		if roles[role] != hashOf(t, x) {
			t.Errorf("role %s linked to %q, want %s", role, roles[role], hashOf(t, x))
		}
	}
	if len(s.run.Records) != 4 {
		t.Errorf("%d component records, want 4", len(s.run.Records))
	}
	for _, rec := range s.run.Records {
		var md mlregistry.Metadata
		if err := md.UnmarshalJSON(rec.Envelope); err != nil || md.Hash != rec.Hash {
			t.Errorf("record %s: envelope decodes to hash %q (%v)", rec.Name, md.Hash, err)
		}
	}
	if n := len(s.metrics); n < 40 || s.metrics[n-1].Step != int64(res.Steps) || s.metrics[0].Name != MetricBatchLoss {
		t.Errorf("%d metrics logged, last %+v", n, s.metrics[n-1])
	}
}

func TestTrainRecordsFailure(t *testing.T) {
	needsGoMLX(t)
	s := &memStore{}
	p := digitsPipeline(t, 1)
	p.Optimizer = must(NewSGD(p.Model.Parameters(), 1e30, 0))
	if _, err := (&Trainer{Store: s}).Train(context.Background(), p); err == nil {
		t.Fatal("Train succeeded")
	}
	if s.status != store.StatusFailed {
		t.Errorf("run ended %q, want %q", s.status, store.StatusFailed)
	}
}
