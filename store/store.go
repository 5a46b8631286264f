package store

import (
	"context"
	"encoding/json"
	"time"
)

// Store records components and runs. Every method is safe for concurrent use,
// and every write is one transaction.
type Store interface {
	// PutComponents records components, keyed by hash, in one transaction.
	// A component already recorded keeps its envelope and first-seen time;
	// its last-seen time moves forward. Name and Kind, when empty, are
	// taken from the envelope.
	PutComponents(ctx context.Context, cs ...Component) error

	// Component returns the component with the given hash, or the only one
	// whose hash starts with the given prefix (at least MinPrefix hex
	// digits). It fails with ErrNotFound, or with an *AmbiguousError
	// (matching ErrAmbiguous) that lists the candidates.
	Component(ctx context.Context, hashOrPrefix string) (Component, error)

	// Components lists components by name and kind, one page at a time,
	// ordered by name, then by when they were first recorded.
	Components(ctx context.Context, f ComponentFilter) (ComponentPage, error)

	// StartRun records a new run with status "running", together with its
	// components and their links, in one transaction. It assigns the ID
	// when r.ID is empty and StartedAt when it is zero, and returns the run
	// as recorded.
	StartRun(ctx context.Context, r Run) (Run, error)

	// LogMetrics records metrics of a run in one transaction. A metric
	// logged again for the same step and name replaces the earlier value.
	LogMetrics(ctx context.Context, runID string, ms ...Metric) error

	// FinishRun sets a run's status (StatusSucceeded or StatusFailed), end
	// time and final metrics.
	FinishRun(ctx context.Context, runID, status string, final map[string]float64) error

	// Run returns the run with the given ID, or the only one whose ID starts
	// with the given prefix. It fails with ErrNotFound or ErrAmbiguous.
	Run(ctx context.Context, idOrPrefix string) (Run, error)

	// Runs lists runs, newest first, filtered by f.
	Runs(ctx context.Context, f RunFilter) ([]Run, error)

	// Metrics returns a run's metrics ordered by step, then name.
	Metrics(ctx context.Context, runID string) ([]Metric, error)

	// Close releases the store's connections.
	Close() error
}

// Component is one recorded component, keyed by its hash.
type Component struct {
	Hash      string          `json:"hash"`                // 32 lowercase hex digits
	Name      string          `json:"name"`                // the registered name, e.g. "Perceptron"
	Kind      string          `json:"kind"`                // the registry kind: "model", "criterion", "optimizer", "dataset", or ""
	Envelope  json.RawMessage `json:"envelope,omitempty"`  // the full metadata envelope (json.Marshal of mlregistry.Metadata)
	FirstSeen time.Time       `json:"first_seen,omitzero"` // when the component was first recorded (set by the store)
	LastSeen  time.Time       `json:"last_seen,omitzero"`  // when it was last recorded (set by the store)
}

// RunComponent links a run to a component in a role such as "model",
// "criterion", "optimizer" or "dataset".
type RunComponent struct {
	Role string `json:"role"`
	Hash string `json:"hash"`
}

// Metric is one value of a run's metric at a training step.
type Metric struct {
	Step  int64   `json:"step"`
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Run statuses. A run goes queued → running → one of succeeded, failed,
// canceled or interrupted. Lost is never stored by a live owner: it is what
// a running run whose heartbeat has stopped is reported as.
const (
	StatusQueued      = "queued"      // accepted, waiting for a worker
	StatusRunning     = "running"     // training, its heartbeat fresh
	StatusSucceeded   = "succeeded"   // finished, final metrics recorded
	StatusFailed      = "failed"      // ended by an error
	StatusCanceled    = "canceled"    // stopped on request, before or during training
	StatusInterrupted = "interrupted" // stopped by a signal (SIGINT, SIGTERM), last metrics kept
	StatusLost        = "lost"        // was running, its owner's heartbeat stopped
)

// Statuses lists every run status, in the order of a run's life.
var Statuses = []string{StatusQueued, StatusRunning, StatusSucceeded, StatusFailed, StatusCanceled, StatusInterrupted, StatusLost}

// Run is one training run: which component in which role, when, how it ended,
// and where its artifacts are.
type Run struct {
	ID          string             // assigned by StartRun when empty
	Status      string             // StatusRunning, StatusSucceeded or StatusFailed
	StartedAt   time.Time          // set by StartRun when zero
	EndedAt     time.Time          // zero while running
	ArtifactDir string             // the run directory (metadata document, checkpoint)
	Components  []RunComponent     // ordered by role
	Params      map[string]any     // run-level settings: batch size, steps, seed
	Final       map[string]float64 // final metrics, e.g. "test_accuracy"

	// Records are components StartRun records in the same transaction as
	// the run (they need not be recorded before). Every link in Components
	// must name a component that is recorded, or that is in Records. Run
	// and Runs leave Records empty.
	Records []Component
}

// ComponentFilter selects components for Components. Zero fields match
// everything.
type ComponentFilter struct {
	Name  string // exact registered name
	Kind  string // exact registry kind
	Limit int    // page size; 0 means DefaultLimit, at most MaxLimit
	After string // cursor: ComponentPage.Next of the previous page
}

// ComponentPage is one page of components.
type ComponentPage struct {
	Components []Component `json:"components"`
	Next       string      `json:"next,omitempty"` // cursor for the next page; "" on the last page
}

// RunFilter selects runs for Runs. Zero fields match everything.
type RunFilter struct {
	Component string // hash (or unique prefix) of a component the run used, in any role
	Role      string // with Component: only links in this role
	Status    string // exact status
	Limit     int    // at most this many runs; 0 means DefaultLimit, at most MaxLimit
	After     string // ID of the last run of the previous page: list the runs after it
}

// Page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// MinPrefix is the fewest hex digits a hash prefix may have.
const MinPrefix = 4
