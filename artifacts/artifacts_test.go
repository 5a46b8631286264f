package artifacts_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/s3test"
)

// runDir writes a small run directory: a document and a nested checkpoint.
func runDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"pipeline.json":              `{"model": {}}`,
		"checkpoint/checkpoint.json": `{"variables": 3}`,
		"checkpoint/weights.bin":     strings.Repeat("w", 70000),
	}
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sameTree fails t when the regular files under a and b differ.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	read := func(root string) map[string][]byte {
		m := map[string][]byte{}
		_ = filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				rel, _ := filepath.Rel(root, p)
				m[rel], _ = os.ReadFile(p)
			}
			return nil
		})
		return m
	}
	ma, mb := read(a), read(b)
	if len(ma) != len(mb) {
		t.Fatalf("%d files under %s, %d under %s", len(ma), a, len(mb), b)
	}
	for p, data := range ma {
		if !bytes.Equal(data, mb[p]) {
			t.Errorf("%s differs", p)
		}
	}
}

func TestUploadFetchRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"file", func(t *testing.T) string { return "file://" + t.TempDir() }},
		{"gofakes3", func(t *testing.T) string { return s3test.Fake(t, "runs").BucketURL("runs") }},
		{"versitygw", func(t *testing.T) string { return s3test.Versitygw(t, "runs").BucketURL("runs") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			b, err := artifacts.Open(ctx, c.url(t))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			src := runDir(t)
			ref, err := b.Upload(ctx, src, "run-1", 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(ref.SHA256) != 64 || !strings.Contains(ref.URL, "prefix=run-1%2F1%2F") {
				t.Fatalf("ref = %+v: want the folder run-1/1/ and a SHA-256", ref)
			}
			dst := filepath.Join(t.TempDir(), "got")
			if err := artifacts.Fetch(ctx, ref, dst); err != nil {
				t.Fatal(err)
			}
			sameTree(t, src, dst)
			if err := artifacts.Fetch(ctx, artifacts.Ref{URL: ref.URL, SHA256: strings.Repeat("0", 64)}, filepath.Join(t.TempDir(), "x")); !errors.Is(err, artifacts.ErrChecksum) {
				t.Errorf("Fetch with another SHA-256: error = %v, want ErrChecksum", err)
			}
			if err := b.Delete(ctx, "run-1", 1); err != nil {
				t.Fatal(err)
			}
			if err := artifacts.Fetch(ctx, ref, filepath.Join(t.TempDir(), "y")); !errors.Is(err, artifacts.ErrMissing) {
				t.Errorf("Fetch after Delete: error = %v, want ErrMissing", err)
			}
		})
	}
}

func TestFetchRejectsTamperedFile(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	b, err := artifacts.Open(ctx, "file://"+root)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ref, err := b.Upload(ctx, runDir(t), "run-2", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "run-2", "1", "checkpoint", "weights.bin"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "got")
	err = artifacts.Fetch(ctx, ref, dst)
	if !errors.Is(err, artifacts.ErrChecksum) || !strings.Contains(err.Error(), "checkpoint/weights.bin") {
		t.Fatalf("Fetch of a tampered file: error = %v, want ErrChecksum naming the file", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Fetch left %s: want it absent", dst)
	}
}

func TestOpenRefusesBadURLs(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		{"", "empty"},
		{"s3://key:secret@bucket", "user or password"},
		{"s3://bucket?secret_access_key=x", `"secret_access_key" holds a credential`},
		{"s4://bucket", "did you mean s3://"},
		{"fil://dir", "did you mean file://"},
	} {
		t.Run(c.url, func(t *testing.T) {
			_, err := artifacts.Open(context.Background(), c.url)
			if !errors.Is(err, artifacts.ErrBadURL) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Open(%q) error = %v, want ErrBadURL saying %q", c.url, err, c.want)
			}
			if strings.Contains(err.Error(), "secret@") || strings.Contains(err.Error(), "=x") {
				t.Errorf("the error shows the credential: %v", err)
			}
		})
	}
}

func TestNormalizeFileURLs(t *testing.T) {
	wd, _ := os.Getwd()
	for _, c := range []struct{ in, want string }{
		{"runs", "file://" + filepath.ToSlash(filepath.Join(wd, "runs"))},
		{"file://runs", "file://" + filepath.ToSlash(filepath.Join(wd, "runs"))},
		{"file:///srv/runs", "file:///srv/runs"},
		{"s3://b?endpoint=http://127.0.0.1:1&use_path_style=true", "s3://b?endpoint=http://127.0.0.1:1&use_path_style=true"},
	} {
		got, err := artifacts.Normalize(c.in)
		if err != nil || got != c.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"run_id": "r", "attempt": 1, "files": [{"path": "pipeline.json", "size": 3, "sha256": "` + strings.Repeat("a", 64) + `"}]}`))
	f.Add([]byte(`{"files": [{"path": "../etc/passwd", "size": 1, "sha256": "x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := artifacts.ParseManifest(data)
		if err != nil {
			if !errors.Is(err, artifacts.ErrBadManifest) {
				t.Fatalf("error %v does not match ErrBadManifest", err)
			}
			return
		}
		for _, f := range m.Files {
			if strings.HasPrefix(f.Path, "/") || f.Path == ".." || strings.HasPrefix(f.Path, "../") || f.Size < 0 {
				t.Fatalf("accepted %+v", f)
			}
		}
	})
}
