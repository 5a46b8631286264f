package service_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/internal/s3test"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

func TestDeleteRunWithArtifactsInABucket(t *testing.T) {
	gomlxrace.Skip(t)
	ctx := context.Background()
	cache := t.TempDir()
	t.Setenv(service.ArtifactCacheEnv, cache)
	srv := s3test.Fake(t, "runs", "other")
	s := openStore(t)
	open := func(name string) *artifacts.Bucket {
		b, err := artifacts.Open(ctx, srv.BucketURL(name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	b := open("runs")
	got, err := service.Train(ctx, service.Training{Pipeline: digits(t), Store: s, Artifacts: b})
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.Run(ctx, got.RunID)
	if err != nil {
		t.Fatal(err)
	}
	fetched, err := service.RunDir(ctx, run) // a cached copy, which deleting removes too
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		rs   *service.Runs
	}{
		{"no bucket", &service.Runs{Store: s}},
		{"another bucket", &service.Runs{Store: s, Artifacts: open("other")}},
	} {
		if _, err := c.rs.Delete(ctx, run.ID); !errors.Is(err, service.ErrConflict) {
			t.Errorf("%s: Delete error = %v, want ErrConflict", c.name, err)
		}
		if _, err := s.Run(ctx, run.ID); err != nil {
			t.Errorf("%s: the refused deletion lost the record: %v", c.name, err)
		}
	}

	rs := &service.Runs{Store: s, Artifacts: b}
	if _, err := rs.Delete(ctx, run.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Run(ctx, run.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the deleted run's record: %v, want not found", err)
	}
	ref := artifacts.Ref{URL: run.ArtifactURL, SHA256: run.ArtifactSHA256}
	if err := artifacts.Fetch(ctx, ref, filepath.Join(t.TempDir(), "x")); !errors.Is(err, artifacts.ErrMissing) {
		t.Errorf("the deleted run's objects: Fetch error = %v, want ErrMissing", err)
	}
	if _, err := os.Stat(fetched); !os.IsNotExist(err) {
		t.Errorf("the cached copy %s: %v, want it gone", fetched, err)
	}
}
