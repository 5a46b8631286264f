package artifacts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Ref is where a run's artifacts are, as the store records them: the URL
// of the run's folder (the bucket's URL with a prefix parameter) and the
// SHA-256 of its manifest, which holds every file's.
type Ref struct {
	URL    string `json:"url"`
	SHA256 string `json:"sha256"`
}

// Folder returns the key prefix of a run's artifacts for an attempt:
// "<run>/<attempt>/".
func Folder(runID string, attempt int) string {
	return fmt.Sprintf("%s/%d/", runID, attempt)
}

// Upload copies every regular file under dir into the bucket under
// Folder(runID, attempt), then writes the manifest, and returns the
// folder's Ref. It returns only when every file and the manifest are
// written completely: a Ref is never given for a partial upload.
func (b *Bucket) Upload(ctx context.Context, dir, runID string, attempt int) (Ref, error) {
	if err := checkRunID(runID); err != nil {
		return Ref{}, err
	}
	folder := Folder(runID, attempt)
	m := Manifest{RunID: runID, Attempt: attempt, Files: []File{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, err := b.put(ctx, p, folder+filepath.ToSlash(rel))
		f.Path = filepath.ToSlash(rel)
		m.Files = append(m.Files, f)
		return err
	})
	if err != nil {
		return Ref{}, fmt.Errorf("artifacts: uploading %s to %s: %w", dir, Redact(b.url), err)
	}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Ref{}, err
	}
	if err := b.bucket.WriteAll(ctx, folder+ManifestFile, data, nil); err != nil {
		return Ref{}, fmt.Errorf("artifacts: writing the manifest of run %s to %s: %w", runID, Redact(b.url), err)
	}
	sum := sha256.Sum256(data)
	return Ref{URL: withPrefix(b.url, folder), SHA256: hex.EncodeToString(sum[:])}, nil
}

// checkRunID refuses a run ID that is not one folder name.
func checkRunID(runID string) error {
	if strings.ContainsAny(runID, "/\\?#") || runID == "" || runID == "." || runID == ".." {
		return fmt.Errorf("artifacts: run ID %q: want a name without / \\ ? #", runID)
	}
	return nil
}

// put streams the file at p to key, hashing it on the way.
func (b *Bucket) put(ctx context.Context, p, key string) (File, error) {
	in, err := os.Open(p)
	if err != nil {
		return File{}, err
	}
	defer in.Close()
	w, err := b.bucket.NewWriter(ctx, key, nil)
	if err != nil {
		return File{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), in)
	if err != nil {
		_ = w.Close()
		return File{}, err
	}
	if err := w.Close(); err != nil { // Close completes the upload
		return File{}, err
	}
	return File{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// withPrefix returns the bucket URL u with folder added to its prefix
// parameter.
func withPrefix(u, folder string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u // Open parsed it
	}
	q := p.Query()
	q.Set("prefix", q.Get("prefix")+folder)
	p.RawQuery = q.Encode()
	return p.String()
}
