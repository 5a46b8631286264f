// Package pgtest gives tests a fresh PostgreSQL schema on the server that
// $MLREGISTRY_TEST_POSTGRES_URL names (.ci/postgres.sh starts one), and
// skips them when it is not set.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL names the variable that points the tests at a server.
const EnvURL = "MLREGISTRY_TEST_POSTGRES_URL"

// SchemaURL creates a fresh schema for t, dropped when t ends, and returns
// a store URL whose connections use it. It skips t when EnvURL is not set.
func SchemaURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Skip("PostgreSQL not tested: " + EnvURL + " is not set (run `. .ci/postgres.sh` to start a throwaway server and set it)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "mlregistry_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
