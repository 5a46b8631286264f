package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite"
	"github.com/mlregistry/mlregistry/web"
)

// newServer serves the API with the UI on s.
func newServer(tb testing.TB, s store.Store, token string) *httptest.Server {
	tb.Helper()
	ui := web.New(web.Config{Runs: &service.Runs{Store: s}, Records: &service.Records{Store: s}, Catalogue: service.NewCatalogue(ml.Default), DB: "sqlite://test.db", TokenRequired: token != ""})
	srv := httptest.NewServer(serve.New(serve.Config{Store: s, Token: token, UI: ui}))
	tb.Cleanup(srv.Close)
	return srv
}

func openStore(tb testing.TB) store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), "sqlite://"+filepath.Join(tb.TempDir(), "s.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestPages(t *testing.T) {
	s := openStore(t)
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := record(t, s, "run-a", base, model(32), adam(0.001), 50, 0.9)
	b := record(t, s, "run-b", base.Add(time.Minute), model(32), adam(0.01), 70, 0.95)
	srv := newServer(t, s, "")
	html := "text/html; charset=utf-8"
	for _, c := range []struct {
		path   string
		status int
		ctype  string
		want   []string // in the body
		not    []string // not in it
	}{
		{"/", 200, html, []string{`<a href="/runs/run-b">run-b</a>`, `<a href="/runs/run-a">run-a</a>`, "Perceptron", "(input_size=64, hidden_size=32, output_size=10, p=0.1, bias=true) · Adam(lr=0.01)", ">0.95<", `aria-sort="none"`,
			`<th scope="col">Host</th>`, `<td class="host">host-run-b <span class="pid">pid 42</span></td>`}, nil},
		{"/?name=Adam&metric=test_accuracy&min=0.92", 200, html, []string{"run-b"}, []string{"run-a"}},
		{"/?sort=test_accuracy&order=asc", 200, html, []string{"lowest first", `aria-sort="ascending"`}, nil},
		{"/?status=running", 200, html, []string{"No runs match these filters"}, []string{"run-a"}},
		{"/?limit=1", 200, html, []string{"run-b", `href="/?after=run-b&amp;limit=1"`}, []string{"run-a"}},
		{"/?min=low&metric=x", 400, html, []string{`min &#34;low&#34;: expected a number`}, nil},
		{"/?status=runing", 400, html, []string{"did you mean"}, nil},
		{"/runs/run-a", 200, html, []string{"Perceptron(input_size=64, hidden_size=32, output_size=10, p=0.1, bias=true)", model(32).Hash,
			"{input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}", "mlregistry rebuild --db sqlite://test.db run-a",
			`<td class="num">50</td>`, `<td id="attempts">1</td>`, "host-run-a, pid 42", "test_accuracy", `id="delete-ask"`}, nil},
		{"/runs/run-nope", 404, html, []string{"not found"}, nil},
		{"/compare?runs=run-a,run-b", 200, html, []string{`class="differ" data-path="components.optimizer.arguments.lr"`, `class="same" data-path="params.batch_size"`,
			`class="differ" data-path="params.steps"`, "0.001", "0.01"}, nil},
		{"/compare?runs=run-a&runs=run-b&all=1", 200, html, []string{`class="compare show-all"`}, nil},
		{"/compare?runs=run-a", 400, html, []string{"expected 2 to 12"}, nil},
		{"/components/" + adam(0.01).Hash, 200, html, []string{"Adam(lr=0.01)", "run-b", `&#34;$schema&#34;`, "{lr: float64, betas: []float64, eps: float64, weight_decay: float64}"}, []string{`href="/runs/run-a"`}},
		{"/components/" + adam(0.01).Hash[:30], 302, "", nil, nil},
		{"/components?name=Adam", 200, html, []string{"Adam(lr=0.001)", "Adam(lr=0.01)"}, nil},
		{"/components", 200, html, []string{"Perceptron", "CrossEntropyLoss", "SGD"}, nil},
		{"/launch", 200, html, []string{`data-path="model.kwargs.hidden_size"`, `data-path="optimizer.kwargs.lr"`, `data-path="training.steps"`}, nil},
		{"/launch?model=MLP", 200, html, []string{`data-path="model.kwargs.hidden_sizes" data-type="json"`}, nil},
		{"/launch?model=MPL", 404, html, []string{`did you mean`}, nil},
		{"/static/app.js", 200, "text/javascript; charset=utf-8", []string{"Authorization"}, nil},
		{"/static/uplot/uPlot.iife.min.js", 200, "text/javascript; charset=utf-8", nil, nil},
		{"/nowhere", 404, "application/json", nil, nil}, // outside the UI's paths: the API's 404
		{"/runs/", 404, html, nil, nil},
		{"/v1/nowhere", 404, "application/json", []string{`"error"`}, nil},
		{"/v1/runs?sort=test_accuracy", 200, "application/json", []string{`"id":"run-b"`}, nil},
		{"/v1/records?name=Adam", 200, "application/json", []string{adam(0.001).Hash, adam(0.01).Hash}, []string{model(32).Hash}},
		{"/components?name=Adam&kind=model", 200, html, []string{"No Adam is recorded yet"}, nil},
		{"/components?name=Adam&kind=optimiser", 400, html, []string{"expected one of"}, nil},
	} {
		t.Run(c.path, func(t *testing.T) {
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Get(srv.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			body := string(data)
			if resp.StatusCode != c.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) {
				t.Fatalf("%d %s, want %d %s\n%.2000s", resp.StatusCode, resp.Header.Get("Content-Type"), c.status, c.ctype, body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q\n%.3000s", w, body)
				}
			}
			for _, w := range c.not {
				if strings.Contains(body, w) {
					t.Errorf("body has %q", w)
				}
			}
		})
	}
	_, _ = a, b
}

// TestTokenAsked: with a token, pages still read without it, and ask for
// it for writes, which the API refuses without it.
func TestTokenAsked(t *testing.T) {
	s := openStore(t)
	record(t, s, "run-a", time.Now(), model(8), adam(0.001), 3, 0.5)
	srv := newServer(t, s, "s3cret")
	if status, _, body := get(t, srv.URL+"/runs/run-a"); status != 200 || !strings.Contains(body, `id="token"`) {
		t.Errorf("run page with a token set: %d, token field %v", status, strings.Contains(body, `id="token"`))
	}
	req, _ := http.NewRequest("DELETE", srv.URL+"/v1/runs/run-a", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("DELETE without the token: %d, want 401", resp.StatusCode)
	}
}

// TestVendoredUPlot: the vendored files are those SHA256SUMS names, at
// the version vendor.sh pins.
func TestVendoredUPlot(t *testing.T) {
	sums, err := os.ReadFile("static/uplot/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(sums)), "\n")
	if len(lines) != 3 {
		t.Fatalf("SHA256SUMS lists %d files, want 3", len(lines))
	}
	for _, line := range lines {
		sum, name, _ := strings.Cut(line, "  ")
		data, err := os.ReadFile(filepath.Join("static/uplot", name))
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(data)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: SHA-256 %x, SHA256SUMS says %s: re-vendor with web/vendor.sh, never edit by hand", name, got, sum)
		}
	}
	version, _ := os.ReadFile("static/uplot/VERSION")
	script, _ := os.ReadFile("vendor.sh")
	if v := strings.TrimSpace(string(version)); v != "1.6.32" || !strings.Contains(string(script), "version="+v) {
		t.Errorf("vendored uPlot %q; vendor.sh must pin the same version", v)
	}
}
