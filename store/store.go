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

	// StartRun records a new run, together with its components and their
	// links, in one transaction, and returns the run as recorded. The run
	// is "running", owned by r.Owner (this process when zero), its
	// heartbeat fresh; or, when r.Status is StatusQueued, "queued", with
	// no owner. It assigns the ID when r.ID is empty, StartedAt when it is
	// zero, and LostAfter (DefaultLostAfter) when it is zero.
	//
	// Given the ID of a queued run, StartRun starts that run instead
	// (queued → running): it keeps the run's components and settings,
	// and r must give none. So it does for a lost run (running, its
	// heartbeat older than its LostAfter): a job queue's retry restarts
	// the run its dead worker left, under the same ID, with a new owner.
	StartRun(ctx context.Context, r Run) (Run, error)

	// Heartbeat tells the store that the owner of a running run is alive:
	// it sets the run's LastSeen to now, in a transaction of its own. The
	// owner calls it more often than the run's LostAfter (every third of
	// it); a run whose heartbeat is older than that is reported lost. It
	// fails with ErrRunFinished when the run has finished, with ErrInvalid
	// when it is queued.
	Heartbeat(ctx context.Context, runID string) error

	// LogMetrics records metrics of a run in one transaction. A metric
	// logged again for the same step and name replaces the earlier value.
	// It fails with ErrRunFinished when the run has finished.
	LogMetrics(ctx context.Context, runID string, ms ...Metric) error

	// FinishRun ends a running (or lost) run with status StatusSucceeded,
	// StatusFailed, StatusCanceled or StatusInterrupted, and records its
	// end time and final metrics; a queued run may only be canceled or
	// failed. It fails with ErrRunFinished when the run has finished
	// already: a finished run is never changed.
	FinishRun(ctx context.Context, runID, status string, final map[string]float64) error

	// Run returns the run with the given ID, or the only one whose ID starts
	// with the given prefix. It fails with ErrNotFound or ErrAmbiguous. A
	// running run whose heartbeat is older than its LostAfter is reported
	// with status StatusLost (see Run.Status).
	Run(ctx context.Context, idOrPrefix string) (Run, error)

	// Runs lists runs, newest first, filtered by f. Statuses are reported,
	// and filtered on, as Run reports them: a filter on StatusRunning
	// leaves out the lost runs, one on StatusLost finds them.
	Runs(ctx context.Context, f RunFilter) ([]Run, error)

	// Metrics returns a run's metrics ordered by step, then name.
	Metrics(ctx context.Context, runID string) ([]Metric, error)

	// DeleteRun deletes the run with the given ID (exactly: not a prefix)
	// with its metrics and component links, in one transaction; the
	// components stay. It fails with ErrNotFound, and with ErrRunActive for
	// a run that is queued or running (cancel it first); a finished or lost
	// run may be deleted.
	DeleteRun(ctx context.Context, runID string) error

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
// canceled or interrupted (the finished statuses, which never change). Lost
// is never stored: it is what a running run whose owner's heartbeat has
// stopped is reported as, computed from the heartbeat whenever the run is
// read. A lost run whose owner comes back (a suspended laptop wakes up) is
// running again, and may still finish.
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

// Run is one training run: which component in which role, when, who runs
// it, how it ended, and where its artifacts are.
type Run struct {
	ID          string             `json:"id"`                     // assigned by StartRun when empty
	Status      string             `json:"status"`                 // one of Statuses; StatusLost is computed, never stored
	StartedAt   time.Time          `json:"started_at"`             // set by StartRun when zero
	EndedAt     time.Time          `json:"ended_at"`               // zero until finished
	ArtifactDir string             `json:"artifact_dir,omitempty"` // the run directory (metadata document, checkpoint)
	Components  []RunComponent     `json:"components"`             // ordered by role
	Params      map[string]any     `json:"params,omitempty"`       // run-level settings: batch size, steps, seed
	Final       map[string]float64 `json:"final,omitempty"`        // final metrics, e.g. "test_accuracy"

	// Owner is the process that runs the run: set by StartRun (to this
	// process when zero), empty while queued.
	Owner RunOwner `json:"owner"`
	// LastSeen is the time of the owner's last heartbeat (StartRun's time
	// at first, FinishRun's at the end); for a lost run, when it was last
	// known alive.
	LastSeen time.Time `json:"last_seen"`
	// LostAfter is how long the run may go without a heartbeat before it
	// is reported lost; StartRun sets DefaultLostAfter when it is zero.
	LostAfter time.Duration `json:"lost_after_ns"`

	// ArtifactURL and ArtifactSHA256 say where a succeeded run's artifacts
	// are, when they were uploaded to a bucket (package artifacts): the URL
	// of the run's folder, and the SHA-256 of its manifest. Set only by
	// Handoff.SucceedRun, together with the status.
	ArtifactURL    string `json:"artifact_url,omitempty"`
	ArtifactSHA256 string `json:"artifact_sha256,omitempty"`
	// Attempts is how often the run was started: 0 while first queued, 1
	// once started, more when a lost or handed-back attempt was started
	// again; PastAttempts are the attempts before the current one.
	Attempts     int          `json:"attempts"`
	PastAttempts []RunAttempt `json:"past_attempts,omitempty"`
	// Records are components StartRun records in the same transaction as
	// the run (they need not be recorded before). Every link in Components
	// must name a component that is recorded, or that is in Records. Run
	// and Runs leave Records empty.
	Records []Component `json:"-"`
}

// RunOwner identifies the process that runs a run.
type RunOwner struct {
	Host string `json:"host"` // os.Hostname of the owner's machine
	PID  int    `json:"pid"`  // the owner's process ID on that machine
}

// DefaultLostAfter is how long a running run may go without a heartbeat
// before it is reported lost, unless StartRun is given another LostAfter:
// three missed heartbeats of an owner that beats every DefaultLostAfter/3
// (10 s). Readers compare the owner's clock (the heartbeat's time) with
// their own: hosts sharing a store need clocks in sync to well within it.
const DefaultLostAfter = 30 * time.Second

// HeartbeatInterval returns how often the owner of a run with the given
// LostAfter calls Heartbeat: a third of it, so that a run is reported lost
// only after three missed beats.
func HeartbeatInterval(lostAfter time.Duration) time.Duration {
	if lostAfter <= 0 {
		lostAfter = DefaultLostAfter
	}
	return lostAfter / 3
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
	Role      string // with Component, Name or Kind: only links in this role
	Status    string // a status as Run reports it: StatusRunning excludes lost runs, StatusLost selects them
	Limit     int    // at most this many runs; 0 means DefaultLimit, at most MaxLimit
	After     string // ID of the last run of the previous page: list the runs after it

	// Name and Kind select runs that used a component of this registered
	// name and (or) kind, in Role when it is given: Name "Adam" finds the
	// runs trained with Adam.
	Name, Kind string
	// Metric, with Min and (or) Max, selects runs whose final metric of
	// this name lies in [Min, Max]; alone, the runs that have it. A NaN
	// value is in no range.
	Metric   string
	Min, Max *float64
	// Sort orders the runs by their final metric of this name, highest
	// first (lowest first when Ascending), then by ID; runs without a
	// (finite) value of it are left out. "" orders them newest first.
	Sort      string
	Ascending bool
}

// Page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// MinPrefix is the fewest hex digits a hash prefix may have.
const MinPrefix = 4
