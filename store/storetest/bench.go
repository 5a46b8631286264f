package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// BigSize is the number of components in the store the lookup and listing
// benchmarks read.
const BigSize = 1_000_000

// benchNames is how many distinct names the big store's components have.
const benchNames = 100

// benchComponent returns the i-th component of the big store: a Perceptron-like
// envelope of realistic size (about 400 bytes).
func benchComponent(i int) store.Component {
	h := HashOf(fmt.Sprintf("bench-%d", i))
	name := fmt.Sprintf("Model%03d", i%benchNames)
	return store.Component{Hash: h, Name: name, Kind: "model", Envelope: Envelope("model", name, h, map[string]any{
		"input_size": 784, "hidden_size": 256 + i%512, "output_size": 10, "p": 0.5, "bias": true,
		"activation": "relu", "init": map[string]any{"scheme": "xavier", "gain": 1.0},
	})}
}

var bigOnce sync.Map // URL → *sync.Once

// Fill makes sure the store at url holds the BigSize benchmark components,
// recording them in large batches the first time (about 10 s for SQLite).
func Fill(tb testing.TB, url string) store.Store {
	ctx := context.Background()
	s := open(tb, url)
	once, _ := bigOnce.LoadOrStore(url, new(sync.Once))
	once.(*sync.Once).Do(func() {
		if _, err := s.Component(ctx, benchComponent(BigSize-1).Hash); err == nil {
			return // filled by an earlier run
		}
		start := time.Now()
		const batch = 50_000
		cs := make([]store.Component, 0, batch)
		for i := range BigSize {
			cs = append(cs, benchComponent(i))
			if len(cs) == batch || i == BigSize-1 {
				if err := s.PutComponents(ctx, cs...); err != nil {
					tb.Fatalf("filling the benchmark store: %v", err)
				}
				cs = cs[:0]
			}
		}
		tb.Logf("recorded %d components in %v", BigSize, time.Since(start).Round(time.Millisecond))
	})
	return s
}

// Bench runs the store benchmarks: newURL gives fresh stores for the write
// benchmarks, bigURL a store that lives as long as the process, which Fill
// fills with BigSize components for the read benchmarks.
func Bench(b *testing.B, newURL NewURL, bigURL string) {
	ctx := context.Background()
	b.Run("PutComponent", func(b *testing.B) {
		s := open(b, newURL(b))
		cs := make([]store.Component, b.N)
		for i := range cs {
			cs[i] = benchComponent(i)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if err := s.PutComponents(ctx, cs[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, batch := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("PutComponentsBatch%d", batch), func(b *testing.B) {
			s := open(b, newURL(b))
			cs := make([]store.Component, b.N*batch)
			for i := range cs {
				cs[i] = benchComponent(i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := range b.N {
				if err := s.PutComponents(ctx, cs[i*batch:(i+1)*batch]...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "components/s")
			// On a shared machine, wall time says more about the neighbours
			// than about the store: CPU time (of this process) does not.
			b.ReportMetric(float64(b.N*batch)/(cpuTime()-cpu).Seconds(), "components/cpu-s")
		})
	}
	b.Run("LogMetrics100", func(b *testing.B) {
		s := open(b, newURL(b))
		r, err := s.StartRun(ctx, store.Run{})
		if err != nil {
			b.Fatal(err)
		}
		ms := make([]store.Metric, 100)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			for j := range ms {
				ms[j] = store.Metric{Step: int64(i), Name: fmt.Sprintf("m%d", j), Value: float64(j)}
			}
			if err := s.LogMetrics(ctx, r.ID, ms...); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("LookupByHash1M", func(b *testing.B) {
		big := Fill(b, bigURL)
		hashes := make([]string, 4096)
		for i := range hashes {
			hashes[i] = benchComponent(rand.IntN(BigSize)).Hash
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := big.Component(ctx, hashes[i%len(hashes)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LookupByPrefix1M", func(b *testing.B) {
		big := Fill(b, bigURL)
		prefixes := make([]string, 4096)
		for i := range prefixes {
			prefixes[i] = benchComponent(rand.IntN(BigSize)).Hash[:10]
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := big.Component(ctx, prefixes[i%len(prefixes)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListByNamePage100of1M", func(b *testing.B) {
		big := Fill(b, bigURL)
		f := store.ComponentFilter{Name: "Model042", Limit: 100}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			page, err := big.Components(ctx, f)
			if err != nil {
				b.Fatal(err)
			}
			if len(page.Components) == 0 {
				b.Fatal("empty page")
			}
			f.After = page.Next // walk on; start again at the end
		}
	})
}

// cpuTime returns the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
