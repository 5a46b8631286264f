package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

func TestCheckpointOf(t *testing.T) {
	dir := t.TempDir()
	complete := filepath.Join(dir, "complete")
	if err := os.MkdirAll(filepath.Join(complete, "checkpoint"), 0o755); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, artifactDir string
		wantPath          string
		wantNone          string // part of the reason
	}{
		{"complete", complete, filepath.Join(complete, "checkpoint"), ""},
		{"absent", filepath.Join(dir, "killed"), "", "does not exist"},
		{"no checkpoint", empty, "", "has no checkpoint/"},
		{"no directory", "", "", "saved no run directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, none := checkpointOf(store.Run{ArtifactDir: tt.artifactDir})
			if path != tt.wantPath || (tt.wantNone == "") != (none == "") || !strings.Contains(none, tt.wantNone) {
				t.Errorf("checkpointOf(%q) = %q, %q; want %q, a reason containing %q", tt.artifactDir, path, none, tt.wantPath, tt.wantNone)
			}
		})
	}
}
