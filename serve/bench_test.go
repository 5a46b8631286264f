package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

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
