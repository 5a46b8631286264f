// Package gomlxrace skips tests that execute GoMLX graphs under a plain
// race-detector run: the race detector turns checkptr on, which stops GoMLX's
// pure-Go matmul kernels (github.com/gomlx/compute v0.1.2) with a fatal
// error no test can recover from. Set MLREGISTRY_GOMLX_RACE=1 and build with
// -gcflags=github.com/gomlx/...=-d=checkptr=0 to run them under the race detector anyway (see
// ml.GoMLXRaceEnv).
package gomlxrace

import (
	"os"
	"testing"
)

// Env is the variable that, set to 1, says checkptr is off.
const Env = "MLREGISTRY_GOMLX_RACE"

// Skip skips t under a race run without Env=1.
func Skip(t testing.TB) {
	t.Helper()
	if enabled && os.Getenv(Env) != "1" {
		t.Skipf("executes GoMLX graphs, which checkptr (on under -race) stops; run with %s=1 and -gcflags=github.com/gomlx/...=-d=checkptr=0", Env)
	}
}
