package service_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/internal/s3test"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite"
)

// digits builds a short Digits pipeline.
func digits(t *testing.T) *ml.Pipeline {
	t.Helper()
	spec, err := ml.ParseSpec([]byte(`{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 16, "p": 0.1, "bias": true}},
		"dataset": {"name": "Digits"}, "training": {"batch_size": 32, "steps": 20, "seed": 3}}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ml.Default.Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestTrainUploadsBeforeSucceeding(t *testing.T) {
	gomlxrace.Skip(t)
	ctx := context.Background()
	t.Setenv(service.ArtifactCacheEnv, t.TempDir())
	srv := s3test.Fake(t, "runs")
	for _, c := range []struct {
		name, bucket string
		want         string
	}{
		{"uploaded", "runs", store.StatusSucceeded},
		{"no such bucket", "missing", store.StatusFailed},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openStore(t)
			b, err := artifacts.Open(ctx, srv.BucketURL(c.bucket))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			got, err := service.Train(ctx, service.Training{Pipeline: digits(t), Store: s, Artifacts: b})
			if (err == nil) != (c.want == store.StatusSucceeded) {
				t.Fatalf("Train error = %v, want the run %s", err, c.want)
			}
			if got.Result == nil || got.RunID == "" {
				t.Fatalf("Train = %+v: want the run's ID", got)
			}
			run, err := s.Run(ctx, got.RunID)
			if err != nil {
				t.Fatal(err)
			}
			if run.Status != c.want || run.ArtifactDir != "" {
				t.Fatalf("run = %+v: want %s, no local run directory recorded", run, c.want)
			}
			if c.want != store.StatusSucceeded {
				if run.ArtifactURL != "" || got.Artifacts != (artifacts.Ref{}) {
					t.Errorf("a failed upload is referenced: %q %+v", run.ArtifactURL, got.Artifacts)
				}
				return
			}
			if run.ArtifactURL != got.Artifacts.URL || run.ArtifactSHA256 != got.Artifacts.SHA256 {
				t.Errorf("recorded %q %q, uploaded %+v", run.ArtifactURL, run.ArtifactSHA256, got.Artifacts)
			}
			loaded, err := service.LoadRun(ctx, nil, run, nil)
			if err != nil {
				t.Fatalf("LoadRun: %v", err)
			}
			if acc, err := ml.Accuracy(nil, loaded.Pipeline.Model, mustTest(t, loaded.Pipeline)); err != nil || acc != run.Final[ml.MetricTestAccuracy] {
				t.Errorf("accuracy of the loaded run %v (%v), recorded %v", acc, err, run.Final[ml.MetricTestAccuracy])
			}
			tampered := run
			tampered.ArtifactSHA256 = "00" + run.ArtifactSHA256[2:]
			if _, err := service.LoadRun(ctx, nil, tampered, nil); !errors.Is(err, artifacts.ErrChecksum) {
				t.Errorf("LoadRun with another SHA-256: error = %v, want ErrChecksum", err)
			}
		})
	}
}

func mustTest(t *testing.T, p *ml.Pipeline) *ml.Examples {
	t.Helper()
	ex, err := p.Dataset.Test()
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestTrainArtifactsNeedAStore(t *testing.T) {
	b, err := artifacts.Open(context.Background(), "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := service.Train(context.Background(), service.Training{Pipeline: digits(t), Artifacts: b})
	if !errors.Is(err, service.ErrNoHandoff) || got == nil || got.Started {
		t.Errorf("Train with artifacts and no store: %+v, %v; want ErrNoHandoff, nothing started", got, err)
	}
}
