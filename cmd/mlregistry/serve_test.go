package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/internal/pgtest"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// startServe starts the real serve binary on a random loopback port and
// returns its base URL; it is stopped with SIGTERM when t ends, and must
// then exit 0 within 30 s.
func startServe(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base string
	select {
	case line := <-lines:
		var ok bool
		if base, ok = strings.CutPrefix(line, "listening on "); !ok {
			t.Fatalf("first line %q: want \"listening on http://ADDR\"; stderr: %s", line, stderr.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("serve did not say it listens within 30 s; stderr: %s", stderr.String())
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve after SIGTERM: %v; stderr: %s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("serve did not stop within 30 s of SIGTERM")
		}
	})
	return base
}

// post sends a JSON body and decodes the JSON answer into out.
func post(t *testing.T, url, body string, want int, out any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d %s, want %d", url, resp.StatusCode, data, want)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("POST %s: %s: %v", url, data, err)
	}
}

// follow reads the run's event stream until its status is final, and
// returns the last status event's run and the number of metric events. It
// logs when the first metric event came.
func follow(t *testing.T, base, id string, since time.Time) (store.Run, int) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Minute}
	resp, err := client.Get(base + "/v1/runs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	var last store.Run
	metrics := 0
	event := ""
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "metric":
			if metrics == 0 {
				t.Logf("submit → first step's event: %v", time.Since(since).Round(time.Millisecond))
			}
			metrics++
		case strings.HasPrefix(line, "data: ") && event == "status":
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &last); err != nil {
				t.Fatal(err)
			}
		}
	}
	return last, metrics
}

func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	testServeEndToEnd(t, "sqlite://"+filepath.Join(dir, "store.db"), dir)
}

func TestServeEndToEndPostgres(t *testing.T) {
	testServeEndToEnd(t, pgtest.SchemaURL(t), t.TempDir())
}

func testServeEndToEnd(t *testing.T, db, dir string) {
	gomlxrace.Skip(t) // the in-process Load and Predictor
	bin := buildBinary(t)
	base := startServe(t, bin, "--db", db, "--runs", filepath.Join(dir, "runs"))

	var queued store.Run
	submitted := time.Now()
	post(t, base+"/v1/runs", `{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 32, "p": 0.1, "bias": true}},
		"dataset": {"name": "Digits"}, "training": {"batch_size": 32, "steps": 40, "seed": 5}}`, http.StatusAccepted, &queued)
	if queued.Status != store.StatusQueued || queued.ID == "" {
		t.Fatalf("submitted run %+v: want queued", queued)
	}
	done, metrics := follow(t, base, queued.ID, submitted)
	if done.Status != store.StatusSucceeded || metrics == 0 {
		t.Fatalf("events ended with %+v after %d metric events: want succeeded, with metrics", done, metrics)
	}

	digits, err := ml.NewDigits(true)
	if err != nil {
		t.Fatal(err)
	}
	test, err := digits.Test()
	if err != nil {
		t.Fatal(err)
	}
	rows := 50
	x := test.X[:rows*test.Features]
	var req bytes.Buffer
	json.NewEncoder(&req).Encode(service.InferRequest{ID: "e2e", Inputs: []service.InferInput{{Name: "input", Datatype: "FP32", Shape: []int64{int64(rows), int64(test.Features)}, Data: x}}})
	var resp struct {
		ModelName string `json:"model_name"`
		ID        string `json:"id"`
		Outputs   []struct {
			Name  string    `json:"name"`
			Shape []int64   `json:"shape"`
			Data  []float64 `json:"data"`
		} `json:"outputs"`
	}
	post(t, base+"/v2/models/"+done.ID+"/infer", req.String(), http.StatusOK, &resp)
	if resp.ModelName != done.ID || resp.ID != "e2e" || len(resp.Outputs) != 2 {
		t.Fatalf("infer response %+v", resp)
	}

	run, err := ml.Default.Load(done.ArtifactDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := ml.NewPredictor(nil, run.Pipeline.Model, test.Features)
	if err != nil {
		t.Fatal(err)
	}
	probs, labels, err := pr.Predict(x, rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range resp.Outputs {
		switch o.Name {
		case service.OutputLabel:
			for i, l := range labels {
				if int64(o.Data[i]) != l {
					t.Errorf("row %d: served label %v, in-process %d", i, o.Data[i], l)
				}
			}
		case service.OutputProbabilities:
			for i, p := range probs {
				if math.Abs(o.Data[i]-float64(p)) > 1e-6 {
					t.Fatalf("probability %d: served %v, in-process %v", i, o.Data[i], p)
				}
			}
		default:
			t.Errorf("unexpected output %q", o.Name)
		}
	}
}

func TestServeRefusesOpenListenWithoutToken(t *testing.T) {
	t.Setenv(tokenEnv, "")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces", []string{"serve", "--addr", "0.0.0.0:0"}, "listens beyond loopback: give a token"},
		{"workers", []string{"serve", "--workers", "0"}, "--workers 0: expected 1 to 64"},
		{"empty token file", []string{"serve", "--token-file", writeFile(t, t.TempDir(), "token", "\n")}, "is empty"},
		{"argument", []string{"serve", "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(c.args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, stderr %q: want %d and %q", code, stderr.String(), exitUsage, c.want)
			}
		})
	}
}

// TestServeHandsRunsBackOnSIGTERM checks serve's drain: a run training
// when SIGTERM comes goes back to the queue, its attempt kept as handed
// back, its metrics kept, for the next start or a worker.
func TestServeHandsRunsBackOnSIGTERM(t *testing.T) {
	gomlxrace.Skip(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "store.db")
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--runs", filepath.Join(dir, "runs"))
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	submitted := time.Now()
	var run store.Run
	post(t, base+"/v1/runs", `{"dataset": {"name": "Digits"}, "training": {"steps": 20000}}`, http.StatusAccepted, &run)
	for { // until the first logged step (step 200): training has begun
		var ms struct {
			Metrics []store.Metric `json:"metrics"`
		}
		resp, err := http.Get(base + "/v1/runs/" + run.ID + "/metrics?limit=1")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&ms)
		resp.Body.Close()
		if len(ms.Metrics) > 0 {
			break
		}
		if time.Since(submitted) > 30*time.Second {
			t.Fatal("no step logged within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v, want exit 0", err)
	}
	s, err := store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Run(context.Background(), run.ID)
	if err != nil || got.Status != store.StatusQueued || got.Owner != (store.RunOwner{}) || len(got.PastAttempts) != 1 ||
		got.PastAttempts[0].Outcome != store.AttemptHandedBack {
		t.Errorf("run after SIGTERM: %+v (%v): want queued again, no owner, its attempt handed back", got, err)
	}
	if ms, err := s.Metrics(context.Background(), run.ID); err != nil || len(ms) == 0 {
		t.Errorf("metrics after SIGTERM: %d (%v): want the steps it reached", len(ms), err)
	}
}
