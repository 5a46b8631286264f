package mlregistry

import (
	"runtime"
	"testing"
	"time"
)

type sideThing struct{ n int }

// TestSideTableFreesDeadEntries builds a million tracked instances, drops
// them, and sees the side table empty after garbage collection.
func TestSideTableFreesDeadEntries(t *testing.T) {
	n := 1_000_000
	if testing.Short() || raceEnabled {
		n = 100_000
	}
	r := New[any]()
	newThing := Register(r, func(n int) *sideThing { return &sideThing{n} }, Params("n"))
	keep := newThing(-1)
	for i := 0; i < n; i++ {
		newThing(i)
	}
	if _, ok := MetadataOf(keep); !ok {
		t.Fatal("a live instance lost its metadata")
	}
	// A few instances may outlive the loop for a reason that is not
	// ours: the runtime's tiny allocator packs small pointer-free objects
	// (sideThing is one) into shared 16-byte blocks, and an instance that
	// shares a block with a long-lived object of someone else's lives as
	// long. That number does not grow with n; a leak would keep them all.
	const stragglers = 8
	deadline := time.Now().Add(20 * time.Second)
	for side.len() > 1+stragglers && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := side.len(); got > 1+stragglers {
		t.Fatalf("side table holds %d entries after GC of %d dead instances, want 1 (the live one)", got, n)
	}
	md, ok := MetadataOf(keep)
	if !ok || md.Arguments["n"] != -1 {
		t.Errorf("the live instance's metadata: %+v %v", md, ok)
	}
	runtime.KeepAlive(keep)
}

// TestSideTableStaleAddress checks that an entry whose object died is not
// answered for a new object at the same address.
func TestSideTableStaleAddress(t *testing.T) {
	r := New[any]()
	newThing := Register(r, func(n int) *sideThing { return &sideThing{n} }, Name("Stale"), Params("n"))
	for i := 0; i < 1000; i++ {
		newThing(i)
	}
	runtime.GC()
	runtime.GC()
	for i := 0; i < 10000; i++ {
		x := &sideThing{i}
		if _, ok := MetadataOf(x); ok {
			t.Fatalf("an untracked object at a reused address has metadata")
		}
	}
}

type globalThing struct{ n int }

var theGlobal = globalThing{1}

// TestSideTableGlobal checks that a constructor returning a pointer to a
// package-level variable (a singleton, not on the heap) is tracked too.
func TestSideTableGlobal(t *testing.T) {
	r := New[any]()
	newGlobal := Register(r, func(n int) *globalThing { theGlobal.n = n; return &theGlobal }, Name("Global"), Params("n"))
	x := newGlobal(7)
	md, ok := MetadataOf(x)
	if !ok || md.Arguments["n"] != 7 {
		t.Fatalf("metadata %+v %v", md, ok)
	}
	runtime.GC()
	if _, ok := MetadataOf(x); !ok {
		t.Error("a global's metadata was swept")
	}
}
