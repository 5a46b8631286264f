package store

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound is returned when no component or run matches.
	ErrNotFound = errors.New("not found")

	// ErrAmbiguous is matched (errors.Is) by an *AmbiguousError: a prefix
	// matched several components or runs.
	ErrAmbiguous = errors.New("ambiguous prefix")

	// ErrInvalid is matched by errors about the caller's input: a malformed
	// hash, an unknown status, an envelope that is not JSON.
	ErrInvalid = errors.New("invalid input")

	// ErrRunFinished is matched by the error of a write to a run that has
	// finished (succeeded, failed, canceled, interrupted): FinishRun again,
	// LogMetrics or Heartbeat after FinishRun. A finished run never
	// changes.
	ErrRunFinished = errors.New("run already finished")

	// ErrUnknownBackend is returned by Open for a URL scheme no backend
	// registered.
	ErrUnknownBackend = errors.New("unknown store backend")
)

// maxCandidates bounds the candidates an AmbiguousError lists.
const maxCandidates = 10

// AmbiguousError reports a prefix that matched more than one component or run.
type AmbiguousError struct {
	What       string   // "component" or "run"
	Prefix     string   // the prefix asked for
	Candidates []string // some of the matching hashes or IDs, sorted
	More       bool     // true when there are more candidates than listed
}

// Error lists the candidates, as git does for an ambiguous commit.
func (e *AmbiguousError) Error() string {
	more := ""
	if e.More {
		more = ", …"
	}
	return fmt.Sprintf("%s prefix %q is ambiguous: it matches %s%s; give more of it",
		e.What, e.Prefix, strings.Join(e.Candidates, ", "), more)
}

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// NewAmbiguousError builds the error for a prefix and the matches a backend
// found; it keeps at most maxCandidates of them. For backends.
func NewAmbiguousError(what, prefix string, matches []string) *AmbiguousError {
	e := &AmbiguousError{What: what, Prefix: prefix, Candidates: matches}
	if len(matches) > maxCandidates {
		e.Candidates, e.More = matches[:maxCandidates], true
	}
	return e
}

// invalidf returns an error wrapping ErrInvalid.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
