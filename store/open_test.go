package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite"
)

func TestOpenUnknownBackend(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://root:hunter2@db/x")
	if !errors.Is(err, store.ErrUnknownBackend) {
		t.Fatalf("Open(mysql://…) error = %v, want ErrUnknownBackend", err)
	}
	for _, want := range []string{`"mysql"`, "sqlite", "forgotten import", "root:xxxxx@db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestOpenURLForms(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	tests := []struct {
		url  string
		fail string // part of the error, or "" for success
	}{
		{"sqlite://" + dir + "/a.db", ""},
		{dir + "/b.db", ""},
		{"SQLITE://" + dir + "/c.db", ""},
		{"sqlite://" + dir + "/d.db?busy_timeout=100&synchronous=full", ""},
		{"sqlite://", "has no path"},
		{"sqlite://" + dir + "/e.db?journal=wal", `unknown parameter "journal"`},
		{"sqlite://" + dir + "/e.db?synchronous=sometimes", "expected off, normal, full or extra"},
		{"sqlite://" + dir + "/no/such/dir/f.db", "must exist"},
	}
	for _, tt := range tests {
		s, err := store.Open(ctx, tt.url)
		switch {
		case tt.fail == "" && err != nil:
			t.Errorf("Open(%q): %v", tt.url, err)
		case tt.fail != "" && (err == nil || !strings.Contains(err.Error(), tt.fail)):
			t.Errorf("Open(%q) error = %v, want one saying %q", tt.url, err, tt.fail)
		}
		if s != nil {
			s.Close()
		}
	}
}

func TestBackends(t *testing.T) {
	if got := store.Backends(); len(got) == 0 || got[0] != "sqlite" {
		t.Errorf("Backends() = %q, want sqlite first", got)
	}
}

func TestHashPrefix(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abcd", "abcd", true},
		{"ABCD", "abcd", true},
		{" 0123456789abcdef0123456789abcdef ", "0123456789abcdef0123456789abcdef", true},
		{"abc", "", false},
		{"abcg", "", false},
		{"0123456789abcdef0123456789abcdef0", "", false},
	}
	for _, tt := range tests {
		got, err := store.HashPrefix(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("HashPrefix(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, store.ErrInvalid) {
			t.Errorf("HashPrefix(%q) error %v does not match ErrInvalid", tt.in, err)
		}
	}
}

func TestComponentFromEnvelope(t *testing.T) {
	h := "0123456789abcdef0123456789abcdef"
	c, err := store.ComponentFromEnvelope([]byte(` {"format":"mlregistry/v1","kind":"model","name":"Perceptron","hash":"` + h + `"} `))
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash != h || c.Name != "Perceptron" || c.Kind != "model" || c.Envelope[0] != '{' {
		t.Errorf("ComponentFromEnvelope = %+v", c)
	}
	if _, err := store.ComponentFromEnvelope([]byte(`{"name":"X","hash":"short"}`)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ComponentFromEnvelope(short hash) error = %v, want ErrInvalid", err)
	}
}

func TestOpenReadOnlyUnknownBackend(t *testing.T) {
	_, err := store.OpenReadOnly(context.Background(), "mysql://root:hunter2@db/x")
	if !errors.Is(err, store.ErrUnknownBackend) || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("OpenReadOnly(mysql://…) error = %v, want ErrUnknownBackend without the password", err)
	}
}
