package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/internal/pgtest"
	"github.com/mlregistry/mlregistry/internal/s3test"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// startWorker starts `mlregistry worker` in its own working directory with
// env, and returns it once it says it takes jobs. It is killed when t ends
// if still running.
func startWorker(t *testing.T, bin string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"worker"}, args...)...)
	cmd.Dir, cmd.Env = t.TempDir(), env
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "taking training jobs") {
		if time.Now().After(deadline) {
			t.Fatalf("worker did not start within 30 s: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd
}

// TestWorkersEndToEnd is the team setup on one machine: PostgreSQL, a real
// S3 server (versitygw), serve, and two workers in working directories of
// their own, sharing only the database and the bucket. Six runs are
// submitted; one worker is killed (kill -9) during a run; every run ends
// succeeded exactly once, its artifacts in the bucket with the recorded
// SHA-256; serve predicts with a run a worker trained; the run rebuilds
// from yet another directory with the same hashes and accuracy.
func TestWorkersEndToEnd(t *testing.T) {
	gomlxrace.Skip(t)
	db := pgtest.SchemaURL(t)
	s3 := s3test.Versitygw(t, "mlruns")
	bucket := s3.BucketURL("mlruns")
	bin := buildBinary(t)
	extra := append(s3.Env(), lostAfterEnv+"=2s", service.ArtifactCacheEnv+"="+t.TempDir())
	for _, e := range extra {
		k, v, _ := strings.Cut(e, "=")
		t.Setenv(k, v) // serve, started by startServe, inherits them
	}
	env := os.Environ()
	base := startServe(t, bin, "--db", db, "--artifacts", bucket)
	w1 := startWorker(t, bin, env, "--db", db, "--artifacts", bucket)
	w2 := startWorker(t, bin, env, "--db", db, "--artifacts", bucket)

	const runs = 6
	ids := make([]string, runs)
	for i := range ids {
		var r store.Run
		post(t, base+"/v1/runs", fmt.Sprintf(`{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 16, "p": 0.1, "bias": true}},
			"dataset": {"name": "Digits"}, "training": {"batch_size": 32, "steps": 600, "seed": %d}}`, i+1), http.StatusAccepted, &r)
		ids[i] = r.ID
	}
	ctx := context.Background()
	s, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// kill -9 the first worker once it trains a run.
	killed := ""
	for deadline := time.Now().Add(60 * time.Second); killed == ""; {
		all, err := s.Runs(ctx, store.RunFilter{Status: store.StatusRunning})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if r.Owner.PID == w1.Process.Pid {
				killed = r.ID
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the first worker trained no run within 60 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := w1.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed worker pid %d during run %s", w1.Process.Pid, killed)

	final := map[string]store.Run{}
	for deadline := time.Now().Add(240 * time.Second); len(final) < runs; {
		for _, id := range ids {
			r, err := s.Run(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if store.Finished(r.Status) {
				final[id] = r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d runs finished within 240 s", len(final), runs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	recorded, err := s.Runs(ctx, store.RunFilter{})
	if err != nil || len(recorded) != runs {
		t.Fatalf("%d runs recorded (%v), want %d: one for each job", len(recorded), err, runs)
	}
	byWorker2 := ""
	for _, id := range ids {
		r := final[id]
		if r.Status != store.StatusSucceeded {
			t.Errorf("run %s ended %s, want succeeded", id, r.Status)
			continue
		}
		if !strings.Contains(r.ArtifactURL, "prefix="+id+"%2F") || len(r.ArtifactSHA256) != 64 {
			t.Errorf("run %s: artifacts %q %q: want the run's folder in the bucket and its SHA-256", id, r.ArtifactURL, r.ArtifactSHA256)
		}
		if err := artifacts.Fetch(ctx, artifacts.Ref{URL: r.ArtifactURL, SHA256: r.ArtifactSHA256}, filepath.Join(t.TempDir(), "check")); err != nil {
			t.Errorf("run %s: fetching its artifacts: %v", id, err)
		}
		if r.Owner.PID == w2.Process.Pid {
			byWorker2 = id
		}
		if id == killed {
			if r.Attempts < 2 || len(r.PastAttempts) == 0 || r.PastAttempts[0].Outcome != store.AttemptLost || r.PastAttempts[0].Owner.PID != w1.Process.Pid || r.Owner.PID == w1.Process.Pid {
				t.Errorf("killed run %s: attempts %d, past %+v, owner %v: want the lost attempt of pid %d marked, another owner", id, r.Attempts, r.PastAttempts, r.Owner, w1.Process.Pid)
			}
			lostFolder := filepath.Join(s3.Dir, "mlruns", id, fmt.Sprint(r.PastAttempts[0].Attempt))
			if _, err := os.Stat(filepath.Join(lostFolder, artifacts.ManifestFile)); err == nil {
				t.Errorf("the lost attempt's folder %s has a manifest: want none referenced or complete", lostFolder)
			}
		}
	}
	if t.Failed() {
		return
	}
	if byWorker2 == "" {
		t.Fatalf("no run was trained by the second worker (pid %d)", w2.Process.Pid)
	}

	// serve predicts with the run the second worker trained, from the bucket.
	digits, err := ml.NewDigits(true)
	if err != nil {
		t.Fatal(err)
	}
	test, err := digits.Test()
	if err != nil {
		t.Fatal(err)
	}
	var req bytes.Buffer
	_ = json.NewEncoder(&req).Encode(service.InferRequest{ID: "team", Inputs: []service.InferInput{{Name: "input", Datatype: "FP32",
		Shape: []int64{4, int64(test.Features)}, Data: test.X[:4*test.Features]}}})
	var resp struct {
		ModelName string `json:"model_name"`
		Outputs   []struct {
			Name string `json:"name"`
		} `json:"outputs"`
	}
	post(t, base+"/v2/models/"+byWorker2+"/infer", req.String(), http.StatusOK, &resp)
	if resp.ModelName != byWorker2 || len(resp.Outputs) != 2 {
		t.Fatalf("infer response %+v: want the model's outputs", resp)
	}

	// rebuild in another directory: the same hashes; the weights from the
	// bucket give the same accuracy.
	rebuild := exec.Command(bin, "rebuild", "--db", db, "--json", byWorker2)
	rebuild.Dir, rebuild.Env = t.TempDir(), env
	out, err := rebuild.CombinedOutput()
	if err != nil {
		t.Fatalf("rebuild %s: %v\n%s", byWorker2, err, out)
	}
	r := final[byWorker2]
	for _, c := range r.Components {
		if !bytes.Contains(out, []byte(c.Hash)) {
			t.Errorf("rebuild output does not show the %s hash %s:\n%s", c.Role, c.Hash, out)
		}
	}
	loaded, err := service.LoadRun(ctx, nil, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := ml.Accuracy(ml.Backend(), loaded.Pipeline.Model, test)
	if err != nil {
		t.Fatal(err)
	}
	if acc != r.Final[ml.MetricTestAccuracy] {
		t.Errorf("accuracy of the run loaded from the bucket %v, the run records %v", acc, r.Final[ml.MetricTestAccuracy])
	}
}
