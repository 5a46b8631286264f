package store

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry"
)

// Finished reports whether status is one a run ends with: succeeded,
// failed, canceled or interrupted. A finished run never changes.
func Finished(status string) bool {
	switch status {
	case StatusSucceeded, StatusFailed, StatusCanceled, StatusInterrupted:
		return true
	}
	return false
}

// finishStatuses are the statuses FinishRun accepts.
var finishStatuses = []string{StatusSucceeded, StatusFailed, StatusCanceled, StatusInterrupted}

// CheckStatus validates the status given to FinishRun: one of succeeded,
// failed, canceled or interrupted. For backends.
func CheckStatus(status string) error {
	if Finished(status) {
		return nil
	}
	return invalidf("status %q: a run finishes as %s%s", status, quoteList(finishStatuses), suggestStatus(status, finishStatuses))
}

// CheckFilterStatus validates RunFilter.Status: empty, or one of Statuses.
// For backends.
func CheckFilterStatus(status string) error {
	if status == "" || slices.Contains(Statuses, status) {
		return nil
	}
	return invalidf("status %q: expected one of %s%s", status, quoteList(Statuses), suggestStatus(status, Statuses))
}

// CheckTransition validates the change of a run's stored status from to
// status to, which a write (FinishRun to a finished status, LogMetrics and
// Heartbeat to StatusRunning) makes. The error of a write to a finished run
// matches ErrRunFinished; of another impossible one, ErrInvalid. For
// backends.
func CheckTransition(runID, from, to string) error {
	switch {
	case Finished(from):
		return fmt.Errorf("run %s: %w as %s: it cannot become %s", runID, ErrRunFinished, from, to)
	case from == StatusQueued && to == StatusRunning:
		return invalidf("run %s is queued: start it (StartRun with its ID) before it reports metrics or heartbeats", runID)
	case from == StatusQueued && to != StatusCanceled && to != StatusFailed:
		return invalidf("run %s is queued: it never ran, so it can be canceled or failed, not %s", runID, to)
	}
	return nil
}

// quoteList renders statuses as "a", "b" or "c".
func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// suggestStatus returns ` (did you mean "x"?)` for a status close to one
// of known, or "".
func suggestStatus(status string, known []string) string {
	if best := mlregistry.Suggest(status, known); len(best) > 0 {
		return fmt.Sprintf(" (did you mean %q?)", best[0])
	}
	return ""
}
