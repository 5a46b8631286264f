package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Config configures a Queue. Store is required; the zero value of every
// other field has a default.
type Config struct {
	// Store records the runs and holds the queue: it must be
	// store.SQLBacked (the SQLite and PostgreSQL backends are).
	Store store.Store
	// Repository builds the pipelines; nil means ml.Default.
	Repository *ml.Repository
	// Dataset holds runtime values for the datasets' excluded parameters
	// (MNIST's root, download); nil leaves their defaults.
	Dataset mlregistry.Kwargs
	// Train trains each job's run (required): where its files go, and
	// what a stopped run becomes, are its business (service.JobTrainer).
	Train TrainFunc
	// Workers caps how many runs train at once in this process; 0 means 1.
	Workers int
	// JobTimeout is how long one run may train before it is stopped (and
	// recorded as canceled); 0 means DefaultJobTimeout. A job still
	// running JobTimeout plus an hour after it started is taken for dead
	// and tried again (River's rescue), which, the run's heartbeat being
	// fresh, only waits for it.
	JobTimeout time.Duration
	// LostAfter is each run's store.Run.LostAfter; 0 means
	// store.DefaultLostAfter.
	LostAfter time.Duration
	// PollInterval is how often idle workers look for a new job; 0 means
	// DefaultPollInterval.
	PollInterval time.Duration
	// Logger receives River's warnings; nil discards them.
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultJobTimeout   = 72 * time.Hour
	DefaultPollInterval = 200 * time.Millisecond
)

// Queue queues training runs and works them. Its methods are safe for
// concurrent use.
type Queue struct {
	cfg    Config
	store  store.SQLBacked
	repo   *ml.Repository
	client *river.Client[*sql.Tx]

	mu      sync.Mutex
	running map[string]context.CancelCauseFunc // runs training here, by ID

	stopRescue func() // stops the rescue of lost runs (Start starts it)
}

// ErrNoTrain is reported by Open when Config.Train is nil.
var ErrNoTrain = errors.New("jobs: Config.Train is nil: say how a job's run trains (service.JobTrainer)")

// ErrNotSQL is reported when Config.Store is not on a database River can
// use (it is not store.SQLBacked).
var ErrNotSQL = errors.New("jobs: the store is not on an SQL database River can use")

// Open prepares the queue in the store's database, creating or migrating
// River's tables. It starts no worker: call Start.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	sb, ok := cfg.Store.(store.SQLBacked)
	if !ok {
		return nil, fmt.Errorf("%w (%T)", ErrNotSQL, cfg.Store)
	}
	if cfg.Train == nil {
		return nil, ErrNoTrain
	}
	if cfg.Repository == nil {
		cfg.Repository = ml.Default
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db, dialect := sb.Database()
	var driver riverdriver.Driver[*sql.Tx]
	switch dialect {
	case "sqlite":
		driver = riversqlite.New(db)
	case "postgres":
		driver = riverdatabasesql.New(db)
	default:
		return nil, fmt.Errorf("%w: dialect %q", ErrNotSQL, dialect)
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if err := migrateRiver(ctx, db, dialect, migrator); err != nil {
		return nil, err
	}
	q := &Queue{cfg: cfg, store: sb, repo: cfg.Repository, running: map[string]context.CancelCauseFunc{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, &trainWorker{q: q})
	q.client, err = river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.JobTimeout + time.Hour,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(cfg.PollInterval, river.FetchCooldownDefault),
		PollOnly:             true, // neither SQLite nor database/sql listens for notifications
		MaxAttempts:          maxAttempts,
		Logger:               cfg.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

// Start starts the workers: up to Config.Workers runs train at once.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: starting workers: %w", err)
	}
	q.mu.Lock()
	q.stopRescue = q.rescue(store.HeartbeatInterval(q.cfg.LostAfter))
	q.mu.Unlock()
	return nil
}

// Stop stops the workers. Runs training here are stopped between two steps
// with cause (nil means an *ml.Interrupt without a signal), and Stop waits
// for them to be recorded — interrupted, or handed back to the queue, as
// Config.Train does with an *ml.Interrupt — or for ctx to end. Queued runs
// stay queued, for the next start or another worker.
func (q *Queue) Stop(ctx context.Context, cause error) error {
	if cause == nil {
		cause = &ml.Interrupt{}
	}
	q.mu.Lock()
	if q.stopRescue != nil {
		q.stopRescue()
		q.stopRescue = nil
	}
	for _, cancel := range q.running {
		cancel(cause)
	}
	q.mu.Unlock()
	if err := q.client.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stopping workers: %w", err)
	}
	return nil
}

// lostAfter returns the runs' heartbeat threshold.
func (q *Queue) lostAfter() time.Duration {
	if q.cfg.LostAfter > 0 {
		return q.cfg.LostAfter
	}
	return store.DefaultLostAfter
}

// track records that run id trains here, stopped by cancel.
func (q *Queue) track(id string, cancel context.CancelCauseFunc) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.running[id] = cancel
}

// untrack forgets run id.
func (q *Queue) untrack(id string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.running, id)
}

// local returns the cancel func of run id if it trains here.
func (q *Queue) local(id string) (context.CancelCauseFunc, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	c, ok := q.running[id]
	return c, ok
}
