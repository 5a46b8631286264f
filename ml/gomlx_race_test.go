package ml

import (
	"os"
	"testing"
)

// GoMLXRaceEnv, set to 1, tells the tests that a race-detector run was
// built with checkptr off, so that the tests that execute GoMLX graphs can
// run under it:
//
//	MLREGISTRY_GOMLX_RACE=1 go test -race -gcflags=all=-d=checkptr=0 ./ml/... ./cmd/...
//
// The race detector turns checkptr on, and GoMLX's pure-Go backend
// (github.com/gomlx/compute v0.1.2, internal/gobackend/dot/matmul) computes
// pointers one row past the end of its operands, which checkptr stops
// with a fatal error — not something a test can recover from. Its
// no_unsafe build tag, meant for this, does not compile in v0.1.2.
const GoMLXRaceEnv = "MLREGISTRY_GOMLX_RACE"

// needsGoMLX skips a test that executes GoMLX graphs under a plain race
// run; see GoMLXRaceEnv.
func needsGoMLX(t testing.TB) {
	t.Helper()
	if raceEnabled && os.Getenv(GoMLXRaceEnv) != "1" {
		t.Skipf("executes GoMLX graphs, which checkptr (on under -race) stops; run with %s=1 and -gcflags=all=-d=checkptr=0", GoMLXRaceEnv)
	}
}
