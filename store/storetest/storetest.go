// Package storetest is the conformance suite every store backend passes: the
// same tests, run against SQLite and PostgreSQL.
//
// A backend's test calls Run with a function that opens a fresh, empty store,
// and (for the tests that kill and race real processes) calls Child from its
// TestMain:
//
//	func TestMain(m *testing.M) {
//		storetest.Child() // runs and exits when this binary is a child of a process test
//		os.Exit(m.Run())
//	}
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t testing.TB) string { return "sqlite://" + filepath.Join(t.TempDir(), "s.db") })
//	}
package storetest

import (
	"context"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

// NewURL returns the URL of a fresh, empty store, which lives as long as t.
type NewURL func(t testing.TB) string

// Run runs the conformance suite: every test gets a fresh store from newURL.
func Run(t *testing.T, newURL NewURL) {
	tests := []struct {
		name string
		test func(t *testing.T, newURL NewURL)
	}{
		{"PutAndGet", testPutAndGet},
		{"PutValidates", testPutValidates},
		{"Prefix", testPrefix},
		{"ListPaginated", testListPaginated},
		{"Runs", testRuns},
		{"RunErrors", testRunErrors},
		{"RunsFilterAndPage", testRunsFilterAndPage},
		{"RunsFilterSort", testRunsFilterSort},
		{"DeleteRun", testDeleteRun},
		{"Metrics", testMetrics},
		{"Transitions", testTransitions},
		{"Lost", testLost},
		{"RestartLost", testRestartLost},
		{"StartRunTx", testStartRunTx},
		{"Attempts", testAttempts},
		{"Requeue", testRequeue},
		{"ConcurrentGoroutines", testConcurrentGoroutines},
		{"ConcurrentProcesses", testConcurrentProcesses},
		{"KillMidRun", testKillMidRun},
		{"ReopenKeepsData", testReopen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newURL) })
	}
}

// open opens the store at url, closing it when t ends.
func open(t testing.TB, url string) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("store.Open(%q): %v", store.Redact(url), err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}
