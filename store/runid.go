package store

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// NewRunID returns a new run ID: "run-", the UTC start time to the second,
// and 8 random hex digits, e.g. "run-20261127-051000-3f2a9c1d". IDs sort by
// start time and are unique without coordination between machines. For
// backends; StartRun calls it when the run has no ID.
func NewRunID(started time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "run-" + started.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}
