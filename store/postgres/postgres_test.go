package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/mlregistry/mlregistry/internal/pgtest"
	"github.com/mlregistry/mlregistry/store/storetest"
)

// envURL names the PostgreSQL server the tests use; .ci/postgres.sh starts a
// throwaway one and sets it.
const envURL = "MLREGISTRY_TEST_POSTGRES_URL"

func TestMain(m *testing.M) {
	storetest.Child()
	code := m.Run()
	dropBenchSchema()
	os.Exit(code)
}

// serverURL returns the test server's URL, or skips t.
func serverURL(t testing.TB) string {
	u := os.Getenv(envURL)
	if u == "" {
		t.Skip("PostgreSQL backend not tested: " + envURL + " is not set " +
			"(run `. .ci/postgres.sh` to start a throwaway server and set it, or point it at postgres://user@host:port/db)")
	}
	return u
}

// newSchema creates a fresh schema on the test server for t, dropped when t
// ends, and returns a URL whose connections use it and a handle on it.
func newSchema(t testing.TB) (string, *sql.DB) {
	u := pgtest.SchemaURL(t)
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return u, db
}

func TestConformance(t *testing.T) {
	serverURL(t)
	storetest.Run(t, func(t testing.TB) string { u, _ := newSchema(t); return u })
}

func TestMigrations(t *testing.T) {
	serverURL(t)
	storetest.Migrations(t, newSchema, &dialect)
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{
		"postgres://user:secret@127.0.0.1:1/db?sslmode=disable&connect_timeout=2",
		"postgres://user:secret@[::1/db",
	} {
		_, err := Open(ctx, u)
		if err == nil {
			t.Errorf("Open(%q) succeeded", u)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error shows the password: %v", u, err)
		}
	}
}

// benchSchema is the schema of the benchmark store of storetest.BigSize
// components, created on first use and dropped when the test binary ends.
var (
	benchOnce   sync.Once
	benchURL    string
	benchSchema = fmt.Sprintf("mlregistry_bench_%d", os.Getpid())
)

func benchStoreURL(b *testing.B) string {
	base := serverURL(b)
	benchOnce.Do(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			b.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.Exec(`CREATE SCHEMA IF NOT EXISTS ` + benchSchema); err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", benchSchema)
		u.RawQuery = q.Encode()
		benchURL = u.String()
	})
	return benchURL
}

func dropBenchSchema() {
	if benchURL == "" {
		return
	}
	admin, err := sql.Open("pgx", os.Getenv(envURL))
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + benchSchema + ` CASCADE`)
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(t testing.TB) string { u, _ := newSchema(t); return u }, benchStoreURL(b))
}
