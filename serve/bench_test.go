package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// seedRun trains the seed's pipeline — Perceptron(784, 256, 10) on MNIST —
// for one step through the server, and returns the run.
func seedRun(b *testing.B, f *fixture) store.Run {
	b.Helper()
	status, data := f.do("POST", "/v1/runs", `{"training": {"steps": 1}}`)
	if status != http.StatusAccepted {
		b.Fatalf("POST /v1/runs: %d %s", status, data)
	}
	var run store.Run
	_ = json.Unmarshal(data, &run)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r, err := f.store.Run(context.Background(), run.ID)
		if err == nil && r.Status == store.StatusSucceeded {
			return r
		}
	}
	b.Fatalf("run %s did not succeed", run.ID)
	return store.Run{}
}

// BenchmarkInfer measures POST /v2/models/{run}/infer over loopback on the
// seed's Perceptron, batches of 1 and 64 rows, from as many clients as
// there are cores, against the same model called in process (the
// baseline). It reports requests/s, rows/s and the 99th percentile latency.
func BenchmarkInfer(b *testing.B) {
	f := newFixture(b, "")
	run := seedRun(b, f)
	ms := &service.Models{Store: f.store}
	m, err := ms.Get(context.Background(), run.ID)
	if err != nil {
		b.Fatal(err)
	}
	for _, rows := range []int{1, 64} {
		x := make([]float32, rows*784)
		for i := range x {
			x[i] = float32(i%255) / 255
		}
		b.Run("inprocess/batch"+itoa(rows), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := m.Predictor.Predict(x, rows); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
		})
		body, _ := json.Marshal(service.InferRequest{Inputs: []service.InferInput{{Name: "input", Datatype: "FP32", Shape: []int64{int64(rows), 784}, Data: x}}})
		url := f.srv.URL + "/v2/models/" + run.ID + "/infer"
		b.Run("http/batch"+itoa(rows), func(b *testing.B) {
			benchPost(b, url, body, rows)
		})
	}
}

// BenchmarkCatalogue measures GET /v1/components/{kind}/{name} and POST
// /v1/validate over loopback.
func BenchmarkCatalogue(b *testing.B) {
	f := newFixture(b, "")
	b.Run("describe", func(b *testing.B) {
		benchGet(b, f.srv.URL+"/v1/components/model/Perceptron")
	})
	b.Run("validate", func(b *testing.B) {
		benchPost(b, f.srv.URL+"/v1/validate", []byte(`{"name": "Adam", "kwargs": {"lr": 0.01}}`), 1)
	})
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func benchGet(b *testing.B, url string) {
	benchRequests(b, 1, func() (*http.Response, error) { return client.Get(url) })
}

func benchPost(b *testing.B, url string, body []byte, rows int) {
	benchRequests(b, rows, func() (*http.Response, error) {
		return client.Post(url, "application/json", bytes.NewReader(body))
	})
}

// benchRequests sends requests from parallel clients and reports req/s,
// rows/s and the 99th percentile latency.
func benchRequests(b *testing.B, rows int, send func() (*http.Response, error)) {
	b.ReportAllocs()
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(4) // 4 clients per core: the server, not the client, is the bottleneck
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			resp, err := send()
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

func itoa(n int) string { return string(mustJSON(n)) }

func mustJSON(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}

// queueSpec is the run BenchmarkQueueOverhead trains: short, on Digits.
const queueSpec = `{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 16}}, "dataset": {"name": "Digits"},
	"training": {"batch_size": 32, "steps": 5, "seed": 1}}`

// BenchmarkQueueOverhead measures what the queue adds to a training's own
// start-up: from POST /v1/runs to the run's first recorded step, through a
// queue polling at its default interval (jobs.DefaultPollInterval), against
// the same pipeline trained in process from the call of Train to its first
// recorded step (the baseline: building the pipeline, compiling the graphs,
// the first step). It reports both and their difference, in milliseconds.
func BenchmarkQueueOverhead(b *testing.B) {
	gomlxrace.Skip(b)
	ctx := context.Background()
	dir := b.TempDir()
	s, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "store.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	q, err := jobs.Open(ctx, jobs.Config{Store: s, Train: (&service.JobTrainer{RunsDir: filepath.Join(dir, "runs")}).Train})
	if err != nil {
		b.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = q.Stop(ctx, nil) }()
	srv := httptest.NewServer(serve.New(serve.Config{Store: s, Queue: q}))
	defer srv.Close()
	spec, err := ml.ParseSpec([]byte(queueSpec))
	if err != nil {
		b.Fatal(err)
	}

	var queued, direct time.Duration
	for b.Loop() {
		// In process: Build and Train, recording into the same store.
		before := newestRun(b, s, "")
		start := time.Now()
		p, err := ml.Default.Build(ml.FitDefaultModel(spec), nil)
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { _, err := (&ml.Trainer{Store: s, Progress: ml.ProgressOff}).Train(ctx, p); done <- err }()
		direct += untilFirstStep(b, s, start, func() string { return newestRun(b, s, before) }, done)

		// Over HTTP and the queue.
		start = time.Now()
		resp, err := http.Post(srv.URL+"/v1/runs", "application/json", bytes.NewBufferString(queueSpec))
		if err != nil {
			b.Fatal(err)
		}
		var run store.Run
		err = json.NewDecoder(resp.Body).Decode(&run)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusAccepted {
			b.Fatalf("POST /v1/runs: %d %v", resp.StatusCode, err)
		}
		queued += untilFirstStep(b, s, start, func() string { return run.ID }, nil)
		waitFinished(b, s, run.ID)
	}
	n := float64(b.N)
	b.ReportMetric(float64(queued.Milliseconds())/n, "submit-to-first-step-ms")
	b.ReportMetric(float64(direct.Milliseconds())/n, "in-process-first-step-ms")
	b.ReportMetric(float64((queued-direct).Milliseconds())/n, "queue-overhead-ms")
}

// untilFirstStep polls the store every millisecond until the run id()
// names has a metric, and returns the time since start. done, when not
// nil, is the in-process training's end, waited for after.
func untilFirstStep(b *testing.B, s store.Store, start time.Time, id func() string, done chan error) time.Duration {
	b.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if run := id(); run != "" {
			if ms, err := s.Metrics(context.Background(), run); err == nil && len(ms) > 0 {
				took := time.Since(start)
				if done != nil {
					if err := <-done; err != nil {
						b.Fatal(err)
					}
				}
				return took
			}
		}
	}
	b.Fatal("no step recorded within a minute")
	return 0
}

// newestRun is the ID of the store's newest run, or "" when there is none
// or it is not.
func newestRun(b *testing.B, s store.Store, not string) string {
	runs, err := s.Runs(context.Background(), store.RunFilter{Limit: 1})
	if err != nil || len(runs) == 0 || runs[0].ID == not {
		return ""
	}
	return runs[0].ID
}

// waitFinished waits until run id has finished.
func waitFinished(b *testing.B, s store.Store, id string) {
	b.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if r, err := s.Run(context.Background(), id); err == nil && r.Status != store.StatusQueued && r.Status != store.StatusRunning {
			return
		}
	}
	b.Fatalf("run %s did not finish within a minute", id)
}
