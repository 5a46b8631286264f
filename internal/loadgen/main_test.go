package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckRefuses(t *testing.T) {
	good := config{url: "http://127.0.0.1:8080/v2", rows: 1, clients: 8, duration: time.Second, max: 10}
	tests := []struct {
		name string
		edit func(*config)
		want string
	}{
		{"remote host", func(c *config) { c.url = "http://example.com/v2" }, "only loopback"},
		{"no host", func(c *config) { c.url = "/v2" }, "expected http://127.0.0.1:PORT/PATH"},
		{"no clients", func(c *config) { c.clients = 0 }, "-c 0: expected 1 to 256"},
		{"too long", func(c *config) { c.duration = time.Hour }, "at most 2m"},
		{"no requests", func(c *config) { c.max = 0 }, "-n 0"},
	}
	if err := good.check(); err != nil {
		t.Fatalf("a good config refused: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			if err := c.check(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("check() = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestDriveIsBounded(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		calls.Add(1)
	}))
	defer srv.Close()
	r, err := drive(context.Background(), config{url: srv.URL, rows: 4, clients: 1, duration: 10 * time.Second, max: 50})
	if err != nil {
		t.Fatal(err)
	}
	if r.requests != 50 || calls.Load() != 50 || r.errors != 0 {
		t.Errorf("%d requests measured, %d served, %d errors; want 50, 50, 0", r.requests, calls.Load(), r.errors)
	}
	if !strings.Contains(r.String(), "50 requests") || r.p99 < r.p50 {
		t.Errorf("result %s", r)
	}
	if _, err := drive(context.Background(), config{url: srv.URL, body: []byte(`{}`), rows: 1, clients: 2, duration: time.Second, max: 10}); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("every request refused: error %v, want one naming the 400", err)
	}
}
