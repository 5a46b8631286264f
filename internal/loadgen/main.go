// Command loadgen drives an HTTP endpoint over loopback from a fixed number
// of clients, for a bounded time and a bounded number of requests, and
// prints requests/s, rows/s and the 50th and 99th percentile latencies.
// scripts/loadtest.sh uses it against a real mlregistry serve.
//
// Usage:
//
//	loadgen -url http://127.0.0.1:8080/v2/models/RUN/infer -body request.json [-rows 1] [-c 8] [-d 10s] [-n 1000000]
//
// Without -body it sends GETs. Only loopback addresses are accepted.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// config is what to send, how often and for how long.
type config struct {
	url      string
	body     []byte // nil: GET
	rows     int
	clients  int
	duration time.Duration
	max      int64
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var cfg config
	var bodyFile string
	fs.StringVar(&cfg.url, "url", "", "the loopback `URL` to send requests to")
	fs.StringVar(&bodyFile, "body", "", "POST this `file`'s content as application/json (default: GET)")
	fs.IntVar(&cfg.rows, "rows", 1, "rows per request, for rows/s")
	fs.IntVar(&cfg.clients, "c", 8, "concurrent clients (1 to 256)")
	fs.DurationVar(&cfg.duration, "d", 10*time.Second, "how long to send (at most 2m)")
	fs.Int64Var(&cfg.max, "n", 1_000_000, "stop after this many requests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	if bodyFile != "" {
		data, err := os.ReadFile(bodyFile)
		if err != nil {
			return err
		}
		cfg.body = data
	}
	r, err := drive(context.Background(), cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	return nil
}

// check refuses settings outside their bounds and URLs beyond loopback.
func (c config) check() error {
	u, err := url.Parse(c.url)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url %q: expected http://127.0.0.1:PORT/PATH", c.url)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url %q: only loopback addresses (127.0.0.1, ::1, localhost)", c.url)
	}
	switch {
	case c.clients < 1 || c.clients > 256:
		return fmt.Errorf("-c %d: expected 1 to 256", c.clients)
	case c.duration <= 0 || c.duration > 2*time.Minute:
		return fmt.Errorf("-d %v: expected more than 0 and at most 2m", c.duration)
	case c.max < 1:
		return fmt.Errorf("-n %d: expected at least 1", c.max)
	case c.rows < 1:
		return fmt.Errorf("-rows %d: expected at least 1", c.rows)
	}
	return nil
}

// result is what a load run measured.
type result struct {
	requests, errors int64
	rows             int
	elapsed          time.Duration
	p50, p99, max    time.Duration
	firstError       string
}

func (r result) String() string {
	s := fmt.Sprintf("%d requests in %.1fs: %.0f req/s, %.0f rows/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors",
		r.requests, r.elapsed.Seconds(), float64(r.requests)/r.elapsed.Seconds(), float64(r.requests)*float64(r.rows)/r.elapsed.Seconds(),
		ms(r.p50), ms(r.p99), ms(r.max), r.errors)
	if r.firstError != "" {
		s += " (first: " + r.firstError + ")"
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// drive sends requests from cfg.clients clients until cfg.duration has
// passed or cfg.max requests were sent; a response that is not 200 counts
// as an error.
func drive(ctx context.Context, cfg config) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients}, Timeout: 30 * time.Second}
	var sent, errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var first string
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.clients {
		wg.Go(func() {
			mine := make([]time.Duration, 0, 1024)
			for ctx.Err() == nil && sent.Add(1) <= cfg.max {
				t := time.Now()
				err := send(ctx, client, cfg)
				if ctx.Err() != nil {
					break // cut off by the deadline: not a measured request
				}
				if err != nil {
					if errs.Add(1) == 1 {
						mu.Lock()
						first = err.Error()
						mu.Unlock()
					}
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) == 0 {
		return result{}, fmt.Errorf("no request succeeded in %v (%d errors; first: %s)", elapsed.Round(time.Millisecond), errs.Load(), first)
	}
	slices.Sort(lat)
	return result{
		requests: int64(len(lat)), errors: errs.Load(), rows: cfg.rows, elapsed: elapsed,
		p50: lat[len(lat)/2], p99: lat[len(lat)*99/100], max: lat[len(lat)-1], firstError: first,
	}, nil
}

// send sends one request and reads its response.
func send(ctx context.Context, client *http.Client, cfg config) error {
	method, body := http.MethodGet, io.Reader(nil)
	if cfg.body != nil {
		method, body = http.MethodPost, bytes.NewReader(cfg.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, cfg.url, body)
	if err != nil {
		return err
	}
	if cfg.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", cfg.url, resp.StatusCode, bytes.TrimSpace(data[:min(len(data), 200)]))
	}
	return nil
}
