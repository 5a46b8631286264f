package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

func TestCheckTransition(t *testing.T) {
	tests := []struct {
		from, to string
		want     error // nil: allowed
	}{
		{store.StatusRunning, store.StatusRunning, nil}, // a heartbeat, metrics
		{store.StatusRunning, store.StatusSucceeded, nil},
		{store.StatusRunning, store.StatusInterrupted, nil},
		{store.StatusLost, store.StatusRunning, nil}, // the owner is back
		{store.StatusLost, store.StatusFailed, nil},
		{store.StatusQueued, store.StatusCanceled, nil},
		{store.StatusQueued, store.StatusFailed, nil},
		{store.StatusQueued, store.StatusRunning, store.ErrInvalid}, // StartRun starts it, not a write
		{store.StatusQueued, store.StatusSucceeded, store.ErrInvalid},
		{store.StatusSucceeded, store.StatusFailed, store.ErrRunFinished},
		{store.StatusSucceeded, store.StatusRunning, store.ErrRunFinished},
		{store.StatusFailed, store.StatusSucceeded, store.ErrRunFinished},
		{store.StatusCanceled, store.StatusCanceled, store.ErrRunFinished},
		{store.StatusInterrupted, store.StatusRunning, store.ErrRunFinished},
	}
	for _, tt := range tests {
		err := store.CheckTransition("r1", tt.from, tt.to)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("CheckTransition(%s → %s) = %v, want %v", tt.from, tt.to, err, tt.want)
		}
		if err != nil && !strings.Contains(err.Error(), "r1") {
			t.Errorf("CheckTransition(%s → %s) = %v: does not name the run", tt.from, tt.to, err)
		}
	}
}

func TestCheckStatus(t *testing.T) {
	tests := []struct {
		status string
		ok     bool
		hint   string
	}{
		{store.StatusSucceeded, true, ""},
		{store.StatusFailed, true, ""},
		{store.StatusCanceled, true, ""},
		{store.StatusInterrupted, true, ""},
		{store.StatusRunning, false, ""},
		{store.StatusLost, false, ""},
		{"succeded", false, `did you mean "succeeded"?`},
		{"Interrupted", false, `did you mean "interrupted"?`},
	}
	for _, tt := range tests {
		err := store.CheckStatus(tt.status)
		if (err == nil) != tt.ok || !tt.ok && !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CheckStatus(%q) = %v, want ok %v", tt.status, err, tt.ok)
		}
		if tt.hint != "" && (err == nil || !strings.Contains(err.Error(), tt.hint)) {
			t.Errorf("CheckStatus(%q) = %v, want a hint %s", tt.status, err, tt.hint)
		}
	}
	if err := store.CheckFilterStatus("exploded"); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), `"lost"`) {
		t.Errorf("CheckFilterStatus(exploded) = %v, want ErrInvalid listing the statuses", err)
	}
}

func TestReportedStatus(t *testing.T) {
	seen := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	const after = 30 * time.Second
	tests := []struct {
		stored string
		since  time.Duration
		want   string
	}{
		{store.StatusRunning, 0, store.StatusRunning},
		{store.StatusRunning, after, store.StatusRunning}, // exactly the threshold: not yet
		{store.StatusRunning, after + time.Microsecond, store.StatusLost},
		{store.StatusRunning, time.Hour, store.StatusLost},
		{store.StatusSucceeded, time.Hour, store.StatusSucceeded}, // finished runs are never lost
		{store.StatusQueued, time.Hour, store.StatusQueued},
	}
	for _, tt := range tests {
		if got := store.ReportedStatus(tt.stored, seen, after, seen.Add(tt.since)); got != tt.want {
			t.Errorf("ReportedStatus(%s, seen %v ago) = %s, want %s", tt.stored, tt.since, got, tt.want)
		}
	}
}
