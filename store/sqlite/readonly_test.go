package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/storetest"
)

// newEmptyDB returns the URL of an empty SQLite database file and a handle
// on it.
func newEmptyDB(t testing.TB) (string, *sql.DB) {
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
	if err := db.Ping(); err != nil { // creates the file
		t.Fatal(err)
	}
	return url, db
}

func TestReadOnly(t *testing.T) {
	storetest.ReadOnly(t, newEmptyDB, &dialect)
}

func TestReadOnlyFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url string
		want      error
		says      string
	}{
		{"missing", "sqlite://" + filepath.Join(dir, "missing.db"), store.ErrNotFound, "no such file"},
		{"directory", "sqlite://" + dir, store.ErrNotStore, "is a directory"},
		{"garbage", "sqlite://" + garbage, store.ErrNotStore, "not an SQLite database"},
		{"empty file", "sqlite://" + empty, store.ErrNotStore, "no mlregistry_schema table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := OpenReadOnly(ctx, tt.url)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("OpenReadOnly(%s) = %v, want %v saying %q", tt.url, err, tt.want, tt.says)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly created missing.db: %v", err)
	}
	if info, err := os.Stat(empty); err != nil || info.Size() != 0 {
		t.Errorf("OpenReadOnly wrote to the empty file: %v, %v", info, err)
	}
}

// envReadOnlyChild is set in the child process of TestReadOnlyAsAnotherUser:
// the store URL it reads.
const envReadOnlyChild = "MLREGISTRY_SQLITE_READONLY_CHILD"

// TestReadOnlyAsAnotherUser opens a store of mode 0444, in a directory of
// mode 0555, both owned by root, from a process of the user nobody: reading
// works, writing fails, and no file appears.
func TestReadOnlyAsAnotherUser(t *testing.T) {
	if os.Getenv(envReadOnlyChild) != "" {
		t.Skip("the child's own test")
	}
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv(1) to run a child as the user nobody: a store another user owns cannot be made otherwise")
	}
	base := t.TempDir()
	for _, d := range []string{filepath.Dir(base), base} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(base, "sqlite.test")
	storetest.CopyFile(t, self, exe, 0o755)
	dir := filepath.Join(base, "store")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	url := "sqlite://" + filepath.Join(dir, "runs.db")
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutComponents(context.Background(), storetest.NewComponent("model", "Perceptron", "ro")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(filepath.Join(dir, "runs.db"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before := storetest.DirNames(t, dir)

	cmd := exec.Command(setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", exe, "-test.run=^TestReadOnlyChild$", "-test.v")
	cmd.Env = append(os.Environ(), envReadOnlyChild+"="+url)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS: TestReadOnlyChild") {
		t.Fatalf("the child as nobody: %v\n%s", err, out)
	}
	if after := storetest.DirNames(t, dir); !slices.Equal(before, after) {
		t.Errorf("the directory held %q before the read-only child and %q after", before, after)
	}
}

// TestReadOnlyChild is the child side of TestReadOnlyAsAnotherUser.
func TestReadOnlyChild(t *testing.T) {
	url := os.Getenv(envReadOnlyChild)
	if url == "" {
		t.Skip("run by TestReadOnlyAsAnotherUser")
	}
	ctx := context.Background()
	if s, err := Open(ctx, url); err == nil {
		err = s.PutComponents(ctx, storetest.NewComponent("model", "M", "w"))
		s.Close()
		if err == nil {
			t.Fatalf("the user %d wrote to a store it may only read: the test proves nothing", os.Geteuid())
		}
	}
	s, err := OpenReadOnly(ctx, url)
	if err != nil {
		t.Fatalf("OpenReadOnly as user %d: %v", os.Geteuid(), err)
	}
	defer s.Close()
	page, err := s.Components(ctx, store.ComponentFilter{})
	if err != nil || len(page.Components) != 1 {
		t.Fatalf("Components = %+v, %v; want the one recorded", page, err)
	}
	if err := s.PutComponents(ctx, storetest.NewComponent("model", "M", "w")); err == nil {
		t.Error("PutComponents succeeded on a read-only store")
	}
}
