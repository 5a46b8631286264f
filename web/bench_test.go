package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/web"
)

// benchRuns is how many runs the benchmark store holds.
const benchRuns = 100_000

var (
	bigOnce sync.Once
	bigURL  string
	bigErr  error
)

// bigStore returns the URL of an SQLite store holding benchRuns runs,
// filled once per process (in a temporary directory removed with it... by
// the OS: it outlives the benchmark that filled it, for the next ones).
func bigStore(b *testing.B) string {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mlregistry-web-bench-")
		if err != nil {
			bigErr = err
			return
		}
		bigURL = "sqlite://" + filepath.Join(dir, "runs.db")
		s, err := store.Open(context.Background(), bigURL)
		if err != nil {
			bigErr = err
			return
		}
		defer s.Close()
		bulkFill(b, s, benchRuns)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigURL
}

// BenchmarkRunsPage serves the first page of the runs table (/, HTML,
// through the real handler: the API's mux with the UI mounted) and of
// GET /v1/runs from a store of 100,000 runs, newest first, sorted by a
// final metric, and filtered.
func BenchmarkRunsPage(b *testing.B) {
	url := bigStore(b)
	s, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ui := web.New(web.Config{Runs: &service.Runs{Store: s}, Records: &service.Records{Store: s}, Catalogue: service.NewCatalogue(ml.Default), DB: url})
	h := serve.New(serve.Config{Store: s, UI: ui})
	for _, c := range []struct{ name, path string }{
		{"html", "/"},
		{"api", "/v1/runs"},
		{"html-sorted", "/?sort=test_accuracy"},
		{"html-filtered", "/?name=Adam&metric=test_accuracy&min=0.5&max=0.6"},
		{"html-filtered-rare", "/?metric=test_accuracy&min=0.999"}, // 100 matches spread over every run: a scan of all of them
		{"html-deep-page", "/?after=run-bench-0050000"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
				if rec.Code != 200 {
					b.Fatalf("GET %s: %d %s", c.path, rec.Code, rec.Body.String())
				}
			}
		})
	}
}
