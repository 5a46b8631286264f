package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// runCLI runs the CLI with args and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// fixture is a store holding two recorded runs of real ml components.
type fixture struct {
	db                         string
	run1, run2                 string
	model1, model2, adam, loss string
	digits                     string
	dir                        string
}

func envelopeOf(t *testing.T, x any) store.Component {
	t.Helper()
	md, ok := mlregistry.MetadataOf(x)
	if !ok {
		t.Fatalf("%T has no metadata", x)
	}
	env, err := json.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.ComponentFromEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	fx := fixture{db: "sqlite://" + filepath.Join(dir, "cli.db"), dir: dir}
	ctx := context.Background()
	s, err := store.Open(ctx, fx.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m1, err := ml.NewPerceptron(64, 32, 10, 0.5, true)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := ml.NewPerceptron(64, 16, 10, 0.25, true)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := ml.NewCrossEntropyLoss(0.0)
	if err != nil {
		t.Fatal(err)
	}
	adam, err := ml.NewAdam(m1.Parameters(), 1e-3, []float64{0.9, 0.999}, 1e-8, 0.0)
	if err != nil {
		t.Fatal(err)
	}
	digits, err := ml.NewDigits(true)
	if err != nil {
		t.Fatal(err)
	}
	cs := []store.Component{envelopeOf(t, m1), envelopeOf(t, m2), envelopeOf(t, loss), envelopeOf(t, adam), envelopeOf(t, digits)}
	fx.model1, fx.model2, fx.loss, fx.adam, fx.digits = cs[0].Hash, cs[1].Hash, cs[2].Hash, cs[3].Hash, cs[4].Hash
	links := func(model string) []store.RunComponent {
		return []store.RunComponent{{Role: "model", Hash: model}, {Role: "criterion", Hash: fx.loss}, {Role: "optimizer", Hash: fx.adam}, {Role: "dataset", Hash: fx.digits}}
	}
	r1, err := s.StartRun(ctx, store.Run{ID: "run-one", Components: links(fx.model1), Records: cs, Params: map[string]any{"batch_size": 64, "steps": 100}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LogMetrics(ctx, r1.ID, store.Metric{Step: 1, Name: "loss", Value: 2.3}, store.Metric{Step: 100, Name: "loss", Value: 0.4}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, r1.ID, store.StatusSucceeded, map[string]float64{"test_accuracy": 0.91}); err != nil {
		t.Fatal(err)
	}
	r2, err := s.StartRun(ctx, store.Run{ID: "run-two", Components: links(fx.model2), Params: map[string]any{"batch_size": 32, "steps": 100}})
	if err != nil {
		t.Fatal(err)
	}
	fx.run1, fx.run2 = r1.ID, r2.ID
	return fx
}

// file writes the envelope of the recorded component hash to a file named
// name and returns its path.
func (fx fixture) file(t *testing.T, name, hash string) string {
	t.Helper()
	s, err := store.Open(context.Background(), fx.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Component(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(fx.dir, name)
	if err := os.WriteFile(p, c.Envelope, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeFile writes content to the file name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
