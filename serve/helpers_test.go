package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite"
)

// digitsSpec is a short Digits run.
const digitsSpec = `{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 16, "p": 0.1, "bias": true}},
	"dataset": {"name": "Digits"}, "training": {"batch_size": 32, "steps": 20, "seed": 3}}`

// fixture is a server on a fresh SQLite store, with a started queue.
type fixture struct {
	t     testing.TB
	store store.Store
	queue *jobs.Queue
	srv   *httptest.Server
	token string
}

// newFixture starts a server; token "" means none.
func newFixture(t testing.TB, token string) *fixture {
	t.Helper()
	gomlxrace.Skip(t)
	dir := t.TempDir()
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.Open(ctx, jobs.Config{Store: s, Train: (&service.JobTrainer{RunsDir: filepath.Join(dir, "runs")}).Train, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(serve.New(serve.Config{Store: s, Queue: q, Token: token, Version: "test", RunsDir: filepath.Join(dir, "runs")}))
	t.Cleanup(func() {
		srv.Close()
		_ = q.Stop(ctx, nil)
		s.Close()
	})
	return &fixture{t: t, store: s, queue: q, srv: srv, token: token}
}

// do sends a request and returns the status and the body.
func (f *fixture) do(method, path, body string, header ...string) (int, []byte) {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, r)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if f.token != "" {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, data
}

// trained submits the Digits spec and waits for it to succeed.
func (f *fixture) trained() store.Run {
	f.t.Helper()
	status, data := f.do("POST", "/v1/runs", digitsSpec)
	if status != http.StatusAccepted {
		f.t.Fatalf("POST /v1/runs: %d %s", status, data)
	}
	var run store.Run
	if err := json.Unmarshal(data, &run); err != nil {
		f.t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := f.store.Run(context.Background(), run.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		if r.Status == store.StatusSucceeded {
			return r
		}
		if r.Status != store.StatusQueued && r.Status != store.StatusRunning || time.Now().After(deadline) {
			f.t.Fatalf("run %s is %s", r.ID, r.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// errorOf decodes an error body, failing unless it is {"error": "…"}
// (with, maybe, problems).
func errorOf(t *testing.T, data []byte) string {
	t.Helper()
	var e map[string]json.RawMessage
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("error body %s: not a JSON object: %v", data, err)
	}
	var msg string
	if err := json.Unmarshal(e["error"], &msg); err != nil || msg == "" {
		t.Fatalf("error body %s: no \"error\" message", data)
	}
	for k := range e {
		if k != "error" && k != "problems" {
			t.Errorf("error body %s: unexpected member %q", data, k)
		}
	}
	return msg
}
