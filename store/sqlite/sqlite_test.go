package sqlite

import (
	"database/sql"
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
	storetest.Migrations(t, func(t testing.TB) (string, *sql.DB) {
		url := newURL(t)
		_, dsn, err := DSN(url)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return url, db
	}, &dialect)
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, newURL, "sqlite://"+bigPath)
}
