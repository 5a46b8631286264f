package store

import "time"

// ReportedStatus returns the status a run is reported with: its stored
// status, except that a running run whose last heartbeat (lastSeen) is
// older than lostAfter at time now is StatusLost. It is what Run and Runs
// report, computed when the run is read and never stored by a reader; for
// backends.
func ReportedStatus(stored string, lastSeen time.Time, lostAfter time.Duration, now time.Time) string {
	if stored == StatusRunning && IsLost(lastSeen, lostAfter, now) {
		return StatusLost
	}
	return stored
}

// IsLost reports whether a heartbeat last seen at lastSeen is stale at time
// now: older than lostAfter.
func IsLost(lastSeen time.Time, lostAfter time.Duration, now time.Time) bool {
	return now.Sub(lastSeen) > lostAfter
}
