package ml

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
)

func TestPredictorAgreesWithAccuracy(t *testing.T) {
	needsGoMLX(t)
	p := digitsPipeline(t, 1)
	p.Training = Training{BatchSize: 32, Steps: 30, Seed: 1}
	if _, err := (&Trainer{}).Train(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	test := must(p.Dataset.Test())
	pr, err := NewPredictor(nil, p.Model, test.Features)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	if pr.Features != 64 || pr.Classes != 10 {
		t.Fatalf("predictor of %d features, %d classes; want 64, 10", pr.Features, pr.Classes)
	}
	probs, labels, err := pr.Predict(test.X, test.Len())
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != test.Len()*10 || len(labels) != test.Len() {
		t.Fatalf("%d probabilities, %d labels for %d rows", len(probs), len(labels), test.Len())
	}
	correct := 0
	for i, l := range labels {
		if int32(l) == test.Y[i] {
			correct++
		}
		sum, best := 0.0, 0
		for c := range 10 {
			v := probs[i*10+c]
			sum += float64(v)
			if v > probs[i*10+best] {
				best = c
			}
		}
		if math.Abs(sum-1) > 1e-4 || int64(best) != l {
			t.Fatalf("row %d: probabilities sum to %v, largest at %d, label %d", i, sum, best, l)
		}
	}
	acc := must(Accuracy(nil, p.Model, test))
	if got := float64(correct) / float64(test.Len()); got != acc {
		t.Errorf("accuracy of Predict's labels %v, Accuracy %v", got, acc)
	}
	// One row at a time and in odd batches, from many goroutines at once
	// (their calls run together, CoalesceRows rows at most, and each gets
	// its own rows back), and batches larger than CoalesceRows: the same
	// labels and probabilities.
	var wg sync.WaitGroup
	for g, rows := range []int{1, 1, 1, 1, 1, 1, 3, 7, 32, 33} {
		wg.Go(func() {
			for start := g; start+rows <= 120; start += rows {
				gotProbs, got, err := pr.Predict(test.X[start*64:(start+rows)*64], rows)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) != rows || len(gotProbs) != rows*10 {
					t.Errorf("batch of %d at %d: %d labels, %d probabilities", rows, start, len(got), len(gotProbs))
					return
				}
				for i, l := range got {
					if l != labels[start+i] {
						t.Errorf("batch of %d at %d: label %d, want %d", rows, start+i, l, labels[start+i])
					}
				}
				for i, v := range gotProbs {
					if want := probs[start*10+i]; math.Abs(float64(v-want)) > 1e-5 {
						t.Errorf("batch of %d at %d: probability %d is %v, want %v", rows, start, i, v, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestPredictRefusesWrongSizes(t *testing.T) {
	needsGoMLX(t)
	p := digitsPipeline(t, 1)
	pr, err := NewPredictor(nil, p.Model, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	for _, c := range []struct {
		values, rows int
	}{{63, 1}, {64, 2}, {0, 0}, {128, -2}} {
		if _, _, err := pr.Predict(make([]float32, c.values), c.rows); !errors.Is(err, ErrPredictInput) {
			t.Errorf("Predict(%d values, %d rows): error = %v, want ErrPredictInput", c.values, c.rows, err)
		}
	}
}
