package artifacts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/s3test"
)

func TestHolds(t *testing.T) {
	ctx := context.Background()
	b, err := artifacts.Open(ctx, "s3://runs?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range []struct {
		name, url, run string
		want           bool
	}{
		{"an attempt of the run", "s3://runs?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1&prefix=run-a%2F2%2F", "run-a", true},
		{"parameters in another order", "s3://runs?region=us-east-1&prefix=run-a%2F1%2F&use_path_style=true&endpoint=http://127.0.0.1:9", "run-a", true},
		{"another run", "s3://runs?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1&prefix=run-b%2F1%2F", "run-a", false},
		{"a run sharing a prefix", "s3://runs?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1&prefix=run-ab%2F1%2F", "run-a", false},
		{"not an attempt folder", "s3://runs?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1&prefix=run-a%2Fx%2F", "run-a", false},
		{"the whole bucket", "s3://runs?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1", "run-a", false},
		{"another bucket", "s3://other?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1&prefix=run-a%2F1%2F", "run-a", false},
		{"another endpoint", "s3://runs?endpoint=http://10.0.0.1:9&use_path_style=true&region=us-east-1&prefix=run-a%2F1%2F", "run-a", false},
		{"another scheme", "file:///runs?prefix=run-a%2F1%2F", "run-a", false},
		{"unparsable", "s3://runs?%zz", "run-a", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := b.Holds(c.url, c.run); got != c.want {
				t.Errorf("Holds(%s, %s) = %v, want %v", c.url, c.run, got, c.want)
			}
		})
	}
}

func TestDeleteRunRemovesEveryAttempt(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Fake(t, "runs")
	b, err := artifacts.Open(ctx, srv.BucketURL("runs"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dir := runDir(t)
	var refs []artifacts.Ref
	for _, up := range []struct {
		run     string
		attempt int
	}{{"run-a", 1}, {"run-a", 2}, {"run-ab", 1}} {
		ref, err := b.Upload(ctx, dir, up.run, up.attempt)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if !b.Holds(refs[1].URL, "run-a") {
		t.Fatalf("Holds(%s, run-a) = false for the bucket's own upload", refs[1].URL)
	}
	if err := b.DeleteRun(ctx, "run-a"); err != nil {
		t.Fatal(err)
	}
	for i, ref := range refs[:2] {
		if err := artifacts.Fetch(ctx, ref, t.TempDir()+"/x"); !errors.Is(err, artifacts.ErrMissing) {
			t.Errorf("attempt %d of the deleted run: Fetch error = %v, want ErrMissing", i+1, err)
		}
	}
	if err := artifacts.Fetch(ctx, refs[2], t.TempDir()+"/x"); err != nil {
		t.Errorf("the other run, whose ID starts the same: %v", err)
	}
	if err := b.DeleteRun(ctx, "../x"); err == nil {
		t.Error("DeleteRun of a run ID with a slash: no error")
	}
}
