package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlregistry/mlregistry/store/storetest"
)

// bigPath is the benchmark store of storetest.BigSize components, built on
// first use and removed when the test binary ends.
var bigPath = filepath.Join(os.TempDir(), fmt.Sprintf("mlregistry-bench-%d.db", os.Getpid()))

func TestMain(m *testing.M) {
	storetest.Child()
	code := m.Run()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(bigPath + suffix)
	}
	os.Exit(code)
}

func newURL(t testing.TB) string {
	return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
}

func TestConformance(t *testing.T) {
	storetest.Run(t, newURL)
}

func TestMigrations(t *testing.T) {
	storetest.Migrations(t, newEmptyDB, &dialect)
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, newURL, "sqlite://"+bigPath)
}
