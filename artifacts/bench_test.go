package artifacts_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/s3test"
)

// benchRunDir writes a run directory of about size bytes: a document and a
// checkpoint of one large file and a small one, as GoMLX writes them.
func benchRunDir(b *testing.B, size int) (dir string, total int64) {
	b.Helper()
	dir = b.TempDir()
	files := map[string]int{"pipeline.json": 4 << 10, "checkpoint/checkpoint.json": 2 << 10, "checkpoint/checkpoint-n0000001-vars.bin": size}
	for p, n := range files {
		data := make([]byte, n)
		_, _ = rand.Read(data)
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(n)
	}
	return dir, total
}

// copyTree copies the regular files under src to dst: the baseline.
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, in); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// BenchmarkArtifacts measures the throughput (MB/s) of uploading a run's
// files to a bucket and fetching them back (SHA-256 checked both ways):
// versitygw on loopback, a file:// bucket, and, as the baseline, copying
// the same files on disk.
func BenchmarkArtifacts(b *testing.B) {
	ctx := context.Background()
	for _, size := range []int{1 << 20, 16 << 20} {
		src, total := benchRunDir(b, size)
		b.Run(fmt.Sprintf("disk-copy/%dMB", size>>20), func(b *testing.B) {
			b.SetBytes(total)
			for i := 0; b.Loop(); i++ {
				if err := copyTree(src, filepath.Join(b.TempDir(), fmt.Sprint(i))); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, bk := range []struct {
			name string
			url  func(b *testing.B) string
		}{
			{"file", func(b *testing.B) string { return "file://" + b.TempDir() }},
			{"versitygw", func(b *testing.B) string { return s3test.Versitygw(b, "bench").BucketURL("bench") }},
		} {
			b.Run(fmt.Sprintf("upload/%s/%dMB", bk.name, size>>20), func(b *testing.B) {
				bucket, err := artifacts.Open(ctx, bk.url(b))
				if err != nil {
					b.Fatal(err)
				}
				defer bucket.Close()
				b.SetBytes(total)
				for i := 0; b.Loop(); i++ {
					if _, err := bucket.Upload(ctx, src, fmt.Sprintf("run-%d", i), 1); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("download/%s/%dMB", bk.name, size>>20), func(b *testing.B) {
				bucket, err := artifacts.Open(ctx, bk.url(b))
				if err != nil {
					b.Fatal(err)
				}
				defer bucket.Close()
				ref, err := bucket.Upload(ctx, src, "run", 1)
				if err != nil {
					b.Fatal(err)
				}
				dst := b.TempDir()
				b.SetBytes(total)
				for i := 0; b.Loop(); i++ {
					if err := artifacts.Fetch(ctx, ref, filepath.Join(dst, fmt.Sprint(i))); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
