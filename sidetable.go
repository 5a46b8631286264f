package mlregistry

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"
)

// The side table maps instances that do not embed Tracked to their
// metadata. It is keyed by address; each entry keeps a weak pointer to its
// instance, so an entry whose instance died (and whose address may since
// have been reused) is recognised as stale and never answered. Dead entries
// are swept in batches after each garbage collection, rather than paying
// for one runtime.AddCleanup per instance: a single sentinel object's
// cleanup runs once per GC cycle and sweeps every shard.

const sideShards = 64

type sideEntry struct {
	wp  weak.Pointer[byte]
	rec *record
}

type sideShard struct {
	mu sync.RWMutex
	m  map[uintptr]sideEntry
	_  [40]byte // keep shards on separate cache lines
}

type sideTable struct {
	shards  [sideShards]sideShard
	armed   atomic.Bool
	sweeps  atomic.Int64
	sweepMu sync.Mutex
}

var side = newSideTable()

func newSideTable() *sideTable {
	t := &sideTable{}
	for i := range t.shards {
		t.shards[i].m = make(map[uintptr]sideEntry)
	}
	return t
}

func shardOf(addr uintptr) uintptr {
	// Objects are at least 8-byte aligned; mix the higher bits.
	return (addr >> 4) ^ (addr >> 12) ^ (addr >> 20)
}

// put records rec for the object at p.
func (t *sideTable) put(p unsafe.Pointer, rec *record) {
	addr := uintptr(p)
	e := sideEntry{wp: weak.Make((*byte)(p)), rec: rec}
	s := &t.shards[shardOf(addr)%sideShards]
	s.mu.Lock()
	s.m[addr] = e
	s.mu.Unlock()
	if !t.armed.Load() {
		t.arm()
	}
}

// get returns the record of the live object at p.
func (t *sideTable) get(p unsafe.Pointer) *record {
	addr := uintptr(p)
	s := &t.shards[shardOf(addr)%sideShards]
	s.mu.RLock()
	e, ok := s.m[addr]
	s.mu.RUnlock()
	if !ok || unsafe.Pointer(e.wp.Value()) != p {
		return nil
	}
	return e.rec
}

// len counts the entries, live or not yet swept.
func (t *sideTable) len() int {
	n := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}

// sentinel is allocated to learn when a garbage collection has run. It
// holds a pointer, so that the tiny allocator — which packs small
// pointer-free objects together and may keep them alive — never serves it.
type sentinel struct {
	_ *int
	_ [24]byte
}

// arm makes the next garbage collection sweep the table.
func (t *sideTable) arm() {
	if t.armed.Swap(true) {
		return
	}
	s := new(sentinel)
	runtime.AddCleanup(s, func(t *sideTable) { t.sweep() }, t)
}

// sweep deletes the entries whose objects are dead, then re-arms while
// entries remain.
func (t *sideTable) sweep() {
	t.sweepMu.Lock()
	defer t.sweepMu.Unlock()
	t.armed.Store(false)
	left := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		for addr, e := range s.m {
			if e.wp.Value() == nil {
				delete(s.m, addr)
			}
		}
		left += len(s.m)
		s.mu.Unlock()
	}
	t.sweeps.Add(1)
	if left > 0 {
		t.arm()
	}
}
