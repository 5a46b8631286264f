package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

// TestEveryConnectionConfigured checks that the pragmas reach every pooled
// connection, not only the first: they are in the DSN.
func TestEveryConnectionConfigured(t *testing.T) {
	ctx := context.Background()
	u := newURL(t) + "?busy_timeout=1234"
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := s.(interface{ DB() *sql.DB }).DB()
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range 6 {
		c, err := db.Conn(ctx) // held, so each is a distinct connection
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		for _, p := range []struct{ pragma, want string }{
			{"busy_timeout", "1234"},
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"synchronous", "1"}, // NORMAL
			{"page_size", "16384"},
			{"wal_autocheckpoint", "8000"},
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != p.want {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, p.pragma, got, p.want)
			}
		}
	}
}

func TestDSN(t *testing.T) {
	tests := []struct {
		url, path string
		dsn       []string // parts of the DSN
		err       string
	}{
		{"sqlite://runs.db", "runs.db", []string{"file:runs.db?", "busy_timeout%2830000%29", "journal_mode%28WAL%29", "_txlock=immediate"}, ""},
		{"sqlite:///abs/runs.db?synchronous=full", "/abs/runs.db", []string{"synchronous%28FULL%29"}, ""},
		{"sqlite://x.db?busy_timeout=5", "x.db", []string{"busy_timeout%285%29"}, ""},
		{"sqlite://x.db?busy_timeout=soon", "", nil, "expected milliseconds"},
		{"sqlite://x.db?cache=shared", "", nil, `unknown parameter "cache"`},
		{"sqlite://", "", nil, "has no path"},
		{"postgres://x", "", nil, "expected sqlite://PATH"},
	}
	for _, tt := range tests {
		path, dsn, err := DSN(tt.url)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("DSN(%q) error = %v, want ErrInvalid saying %q", tt.url, err, tt.err)
			}
			continue
		}
		if err != nil || path != tt.path {
			t.Errorf("DSN(%q) = %q, %v; want path %q", tt.url, path, err, tt.path)
		}
		for _, part := range tt.dsn {
			if !strings.Contains(dsn, part) {
				t.Errorf("DSN(%q) = %q, lacks %q", tt.url, dsn, part)
			}
		}
	}
}
