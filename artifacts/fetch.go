package artifacts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// ErrChecksum is matched (errors.Is) by Fetch's error when a manifest or a
// file does not have the SHA-256 (or size) recorded for it.
var ErrChecksum = errors.New("artifact checksum mismatch")

// ErrMissing is matched (errors.Is) by Fetch's error when the manifest or
// a file it lists is not in the bucket.
var ErrMissing = errors.New("artifact missing")

// Fetch downloads the run's artifacts ref names into the directory dst,
// which must not exist, checking the manifest against ref.SHA256 and every
// file against the manifest. The files are written under a temporary name
// beside dst, renamed into place when all are checked: dst is complete or
// absent.
func Fetch(ctx context.Context, ref Ref, dst string) error {
	if !isHex64(ref.SHA256) {
		return fmt.Errorf("artifacts: %s: recorded SHA-256 %q: want 64 lowercase hex digits", Redact(ref.URL), ref.SHA256)
	}
	b, err := Open(ctx, ref.URL)
	if err != nil {
		return err
	}
	defer b.Close()
	where := Redact(ref.URL)
	data, err := b.bucket.ReadAll(ctx, ManifestFile)
	if err != nil {
		return fmt.Errorf("artifacts: %s: %s: %w", where, ManifestFile, missing(err))
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != ref.SHA256 {
		return fmt.Errorf("artifacts: %s: %s: %w: SHA-256 %x, the store records %s", where, ManifestFile, ErrChecksum, sum, ref.SHA256)
	}
	m, err := ParseManifest(data)
	if err != nil {
		return fmt.Errorf("artifacts: %s: %w", where, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".partial-")
	if err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	defer os.RemoveAll(tmp) // empty once renamed
	for _, f := range m.Files {
		if err := b.get(ctx, f, filepath.Join(tmp, filepath.FromSlash(f.Path))); err != nil {
			return fmt.Errorf("artifacts: %s: %s: %w", where, f.Path, err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	return nil
}

// get downloads one file to p, checking its size and SHA-256.
func (b *Bucket) get(ctx context.Context, f File, p string) error {
	r, err := b.bucket.NewReader(ctx, f.Path, nil)
	if err != nil {
		return missing(err)
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	out, err := os.Create(p)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(r, f.Size+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != f.Size || sum != f.SHA256 {
		return fmt.Errorf("%w: %d bytes of SHA-256 %s, the manifest lists %d bytes of %s", ErrChecksum, n, sum, f.Size, f.SHA256)
	}
	return nil
}

// missing marks a not-found error from the bucket with ErrMissing.
func missing(err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return fmt.Errorf("%w: %v", ErrMissing, err)
	}
	return err
}

// Delete removes every object under the folder of a run's attempt: the
// files of an attempt that never finished. Objects already gone are not an
// error.
func (b *Bucket) Delete(ctx context.Context, runID string, attempt int) error {
	return b.deletePrefix(ctx, Folder(runID, attempt))
}

// DeleteRun removes every object of run runID, of all its attempts: what
// deleting the run deletes. Objects already gone are not an error.
func (b *Bucket) DeleteRun(ctx context.Context, runID string) error {
	if err := checkRunID(runID); err != nil {
		return err
	}
	return b.deletePrefix(ctx, runID+"/")
}

// deletePrefix removes every object whose key starts with prefix.
func (b *Bucket) deletePrefix(ctx context.Context, prefix string) error {
	it := b.bucket.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("artifacts: listing %s: %w", prefix, err)
		}
		if err := b.bucket.Delete(ctx, obj.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return fmt.Errorf("artifacts: deleting %s: %w", obj.Key, err)
		}
	}
}
