package store

import (
	"context"
	"time"
)

// RunAttempt is one earlier attempt of a run: who ran it, from when until
// its owner was last seen, and how it ended.
type RunAttempt struct {
	Attempt   int       `json:"attempt"` // 1 for the first
	Owner     RunOwner  `json:"owner"`
	StartedAt time.Time `json:"started_at"`
	LastSeen  time.Time `json:"last_seen"`
	Outcome   string    `json:"outcome"` // AttemptLost or AttemptHandedBack
}

// Outcomes of an earlier attempt.
const (
	// AttemptLost is an attempt whose owner's heartbeat lapsed (a worker
	// killed, a host gone) before another owner started the run again.
	AttemptLost = "lost"
	// AttemptHandedBack is an attempt whose owner handed the run back to
	// the queue (a worker drained on SIGTERM).
	AttemptHandedBack = "handed_back"
)

// Handoff is implemented by the stores whose runs are worked by a queue —
// the SQL backends: it records where a run's artifacts are in the same
// transaction that marks it succeeded, and hands a run back to the queue.
// Check for it with a type assertion.
type Handoff interface {
	// SucceedRun finishes a running (or lost) run as StatusSucceeded, as
	// FinishRun does, and records its artifacts' URL and SHA-256 in the
	// same transaction: a run is never succeeded without them, nor are they
	// recorded for a run that did not succeed. attempt is the attempt that
	// trained (Run.Attempts when it started): when another owner has
	// started the run again since (it was lost), SucceedRun fails with
	// ErrInvalid and changes nothing. It fails as FinishRun does otherwise.
	SucceedRun(ctx context.Context, runID string, attempt int, final map[string]float64, artifactURL, sha256 string) error
	// RequeueRun hands a running (or lost) run back to the queue: queued
	// again, without an owner, its attempt kept in PastAttempts as
	// AttemptHandedBack, its metrics so far kept. The queue's next worker
	// starts it again under the same ID (StartRun with its ID). It fails
	// with ErrRunFinished for a finished run, ErrInvalid for a queued one.
	RequeueRun(ctx context.Context, runID string) error
}
