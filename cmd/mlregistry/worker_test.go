package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/internal/gomlxrace"
)

func TestWorkerUsageErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"worker", "--artifact", "file://x"}, "did you mean --artifacts?"},
		{"argument", []string{"worker", "extra"}, `unexpected argument "extra"`},
		{"no workers", []string{"worker", "--workers", "0"}, "--workers 0: expected 1 to 64"},
		{"too many workers", []string{"worker", "--workers", "65"}, "--workers 65: expected 1 to 64"},
		{"unknown scheme", []string{"worker", "--artifacts", "s4://bucket"}, "did you mean s3://?"},
		{"credentials in the URL", []string{"worker", "--artifacts", "s3://key:secret@bucket"}, "never in the URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, stderr %q: want %d and %q", code, stderr.String(), exitUsage, c.want)
			}
			if strings.Contains(stderr.String(), "secret") || strings.Contains(stderr.String(), "goroutine") {
				t.Errorf("stderr shows a secret or a stack trace: %q", stderr.String())
			}
		})
	}
}

func TestWorkerHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"worker", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("worker --help: exit %d, stderr %q", code, stderr.String())
	}
	for _, want := range []string{"Usage: mlregistry worker --db postgres://", "--artifacts", "--workers", "handed back"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("worker --help does not say %q:\n%s", want, stdout.String())
		}
	}
}

func TestTrainUploadsArtifacts(t *testing.T) {
	gomlxrace.Skip(t)
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "store.db")
	t.Setenv("MLREGISTRY_ARTIFACT_CACHE", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := run([]string{"train", "--dataset", "Digits", "--steps", "5", "--progress", "off", "--db", db,
		"--artifacts", "file://" + filepath.Join(dir, "bucket")}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "uploaded   file://") {
		t.Fatalf("train --artifacts: exit %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
	if strings.Contains(stdout.String(), "saved ") {
		t.Errorf("train --artifacts without --runs saved a local run directory:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"ls", "runs", "--db", db, "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("ls runs: exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{`"artifact_url": "file://`, `"artifact_sha256": "`, `"attempts": 1`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("ls runs --json does not show %s:\n%s", want, stdout.String())
		}
	}
	stderr.Reset()
	if code := run([]string{"train", "--dataset", "Digits", "--steps", "5", "--db", "none", "--artifacts", "file://x"}, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "--artifacts needs a store") {
		t.Errorf("train --db none --artifacts: exit %d, stderr %q: want a usage error", code, stderr.String())
	}
}
