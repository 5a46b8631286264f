package ml

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// MNISTSource is where MNIST files are downloaded from: a base URL that the
// file names (with ".gz") are appended to, and the SHA-256 each downloaded
// file must have.
type MNISTSource struct {
	BaseURL string            // for example "https://storage.googleapis.com/cvdf-datasets/mnist/"
	SHA256  map[string]string // file name (with ".gz") → lowercase hex SHA-256
	Client  *http.Client      // nil means http.DefaultClient
}

// DefaultMNISTSource is what MNIST(download=true) downloads from: a public
// mirror of the original files, checked against their well-known SHA-256
// sums (the same files GoMNIST ships). Point BaseURL at a mirror of your
// own where needed.
var DefaultMNISTSource = MNISTSource{
	BaseURL: "https://storage.googleapis.com/cvdf-datasets/mnist/",
	SHA256: map[string]string{
		mnistTrainImages + ".gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
		mnistTrainLabels + ".gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
		mnistTestImages + ".gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
		mnistTestLabels + ".gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
	},
}

// mnistFiles lists the four files MNIST needs, gzipped.
var mnistFiles = []string{mnistTrainImages + ".gz", mnistTrainLabels + ".gz", mnistTestImages + ".gz", mnistTestLabels + ".gz"}

// Download makes root hold the four MNIST files with the expected SHA-256
// sums: a file already there with the right sum is kept, any other is
// fetched from BaseURL. A download is written to a temporary file and
// renamed into place only once its sum is verified, so an interrupted or
// tampered download never leaves a file that looks complete.
func (s MNISTSource) Download(ctx context.Context, root string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("MNIST download: %w", err)
	}
	for _, name := range mnistFiles {
		want, ok := s.SHA256[name]
		if !ok {
			return fmt.Errorf("MNIST download: no SHA-256 known for %s", name)
		}
		dst := filepath.Join(root, name)
		if got, err := fileSHA256(dst); err == nil && got == want {
			continue
		}
		if err := s.fetch(ctx, name, dst, want); err != nil {
			return fmt.Errorf("MNIST download: %w", err)
		}
	}
	return nil
}

// fetch downloads one file to dst, verifying its SHA-256.
func (s MNISTSource) fetch(ctx context.Context, name, dst, want string) error {
	url := strings.TrimSuffix(s.BaseURL, "/") + "/" + name
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s: %w: got SHA-256 %s, want %s", url, ErrChecksum, got, want)
	}
	return os.Rename(tmp.Name(), dst)
}

// ErrChecksum is reported (wrapped) when a downloaded file's SHA-256 is not
// the expected one.
var ErrChecksum = errors.New("checksum mismatch")

// fileSHA256 returns the hex SHA-256 of a file's contents.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
