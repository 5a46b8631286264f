package mlregistry_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// TestConcurrentUse hammers registration, lookup, construction and
// metadata reads together; run it with -race.
func TestConcurrentUse(t *testing.T) {
	r := mlregistry.New[any]()
	newC := mlregistry.Register(r, func(n int) *counter { return &counter{n} }, mlregistry.Name("C"), mlregistry.Params("n"))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if i%20 == 0 {
					mlregistry.Register(r, func(n int) *counter { return &counter{n} }, mlregistry.Name(fmt.Sprintf("C%d_%d", g, i)), mlregistry.Params("n"))
				}
				x := newC(i)
				y, err := r.Call("C", []any{i}, nil)
				if err != nil {
					errs <- err
					return
				}
				hx, _ := mlregistry.HashOf(x)
				hy, _ := mlregistry.HashOf(y)
				md, ok := mlregistry.MetadataOf(y)
				if !ok || hx != hy || md.Hash != hx || md.Arguments["n"] != i {
					errs <- fmt.Errorf("goroutine %d, %d: %s %s %+v", g, i, hx, hy, md)
					return
				}
				if _, ok := r.Get("C"); !ok {
					errs <- fmt.Errorf("Get failed")
					return
				}
				_ = r.Keys()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(r.Keys()); n != 1+8*10 {
		t.Errorf("%d components registered, want %d", n, 81)
	}
}
