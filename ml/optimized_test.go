package ml

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestOptimizedMatchesBaseline checks that the graphs shaped for the
// pure-Go backend (dense, reluDropout, dropout, adamUpdate) compute what GoMLX's own
// layers and Adam compute: from the same seed, after the same training
// steps, the two hold the same variables (names, shapes: a checkpoint of
// one loads into the other) and every weight and Adam moment agrees to
// float32 rounding.
func TestOptimizedMatchesBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	needsGoMLX(t)
	tests := []struct {
		name string
		c    pipelineConfig
	}{
		{"README pipeline", readme},
		{"no dropout", pipelineConfig{p: 0, bias: true}},
		{"no bias", pipelineConfig{p: 0.2, bias: false}},
		{"weight decay", pipelineConfig{p: 0.5, bias: true, weightDecay: 1e-2}},
		{"MLP", pipelineConfig{p: 0.3, mlp: true}},
	}
	const steps = 5
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			baseline, baseVars := gomlxTrainer(tt.c)
			optimized, optVars := optimizedTrainer(t, tt.c)
			stepBase, stepOpt := stepper(t, baseline), stepper(t, optimized)
			for i := range steps {
				stepBase(i)
				stepOpt(i)
			}
			if err := sameVariables(optVars, baseVars); err != nil {
				t.Fatalf("variables differ, so checkpoints would not carry over: %v", err)
			}
			for v := range baseVars.IterVariables() {
				if v.Shape().DType != dtypes.Float32 || strings.HasPrefix(v.Path(), "/metrics/") {
					continue // the random state, the global step
				}
				want, got := values(t, baseVars, v.Path()), values(t, optVars, v.Path())
				if err := close32(got, want); err != nil {
					t.Errorf("%s after %d steps: %v", v.Path(), steps, err)
				}
			}
		})
	}
}

// sameVariables reports a variable of want that got lacks or holds in
// another shape, or one got has beyond want's. The trainers' metrics,
// named by a random ID and not part of a checkpoint's model or optimizer
// state, are left out.
func sameVariables(got, want *model.Store) error {
	n := 0
	for v := range want.IterVariables() {
		if strings.HasPrefix(v.Path(), "/metrics/") {
			continue
		}
		n++
		g := got.GetVariable(v.Path())
		if g == nil {
			return fmt.Errorf("no variable %s", v.Path())
		}
		if !g.Shape().Equal(v.Shape()) {
			return fmt.Errorf("%s is %s, want %s", v.Path(), g.Shape(), v.Shape())
		}
	}
	for v := range got.IterVariables() {
		if !strings.HasPrefix(v.Path(), "/metrics/") {
			n--
		}
	}
	if n != 0 {
		return fmt.Errorf("%d variables more than want's", -n)
	}
	return nil
}

// values returns the flat float32 values of a store's variable.
func values(t *testing.T, store *model.Store, name string) []float32 {
	t.Helper()
	v := store.GetVariable(name)
	if v == nil {
		t.Fatalf("no variable %s", name)
	}
	value, err := v.Value()
	if err != nil {
		t.Fatal(err)
	}
	var flat []float32
	tensors.MustConstFlatData(value, func(data []float32) { flat = append(flat, data...) })
	return flat
}

// close32 reports the first value of got that differs from want by more
// than float32 rounding over a few steps allows.
func close32(got, want []float32) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d values, want %d", len(got), len(want))
	}
	var scale float64
	for _, w := range want {
		scale = max(scale, math.Abs(float64(w)))
	}
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > 1e-4*scale+1e-7 {
			return fmt.Errorf("value %d is %v, want %v (largest value %v)", i, got[i], want[i], scale)
		}
	}
	return nil
}
