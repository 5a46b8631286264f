package main

import (
	"fmt"
	"os"
	"time"
)

// lostAfterEnv names the environment variable that sets how long train's
// run may go without a heartbeat before it is reported lost.
const lostAfterEnv = "MLREGISTRY_LOST_AFTER"

// lostAfter reads $MLREGISTRY_LOST_AFTER: a Go duration ("30s", "1500ms")
// of at least 100ms; unset or empty means the store's default (30 s).
func lostAfter() (time.Duration, error) {
	v := os.Getenv(lostAfterEnv)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 100*time.Millisecond {
		return 0, fmt.Errorf("%w: $%s %q: expected a duration of at least 100ms, such as 30s or 1500ms", errUsage, lostAfterEnv, v)
	}
	return d, nil
}
