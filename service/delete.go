package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlregistry/mlregistry/artifacts"

	"github.com/mlregistry/mlregistry/store"
)

// Delete deletes a finished (or lost) run in one step: its record (metrics,
// links; the components stay) and its run directory. id must be the run's
// full ID, not a prefix. The directory is the one the store records for the
// run, never a path from the request, and it must lie directly in
// rs.RunsDir, or nothing is deleted. A queued or running run is
// ErrConflict: cancel it first.
//
// A run whose artifacts were uploaded to a bucket has its objects, of all
// its attempts, deleted from rs.Artifacts after the record, and only when
// the recorded URL is in that bucket.
//
// The directory is first renamed aside within RunsDir, then the record
// deleted, then the renamed directory removed: if the record cannot be
// deleted, the directory is put back.
func (rs *Runs) Delete(ctx context.Context, id string) (store.Run, error) {
	r, err := rs.Get(ctx, id)
	if err != nil {
		return store.Run{}, err
	}
	if r.ID != id {
		return store.Run{}, as(ErrInvalid, fmt.Errorf("run %q: give the full ID to delete a run (it is %s)", id, r.ID))
	}
	if r.Status == store.StatusQueued || r.Status == store.StatusRunning {
		return store.Run{}, as(ErrConflict, fmt.Errorf("run %s is %s: cancel it first (POST /v1/runs/%s/cancel), and delete it once it has stopped", r.ID, r.Status, r.ID))
	}
	dir, err := rs.runDir(r)
	if err != nil {
		return store.Run{}, err
	}
	if r.ArtifactURL != "" && (rs.Artifacts == nil || !rs.Artifacts.Holds(r.ArtifactURL, r.ID)) {
		return store.Run{}, as(ErrConflict, fmt.Errorf("run %s: its artifacts %s are not in this server's bucket (serve --artifacts): not deleting the run",
			r.ID, artifacts.Redact(r.ArtifactURL)))
	}
	var aside string
	if dir != "" {
		aside = filepath.Join(filepath.Dir(dir), ".deleting-"+filepath.Base(dir)+"-"+randomSuffix())
		if err := os.Rename(dir, aside); err != nil {
			return store.Run{}, fmt.Errorf("run %s: moving its run directory aside to delete it: %w", r.ID, err)
		}
	}
	if err := rs.Store.DeleteRun(ctx, r.ID); err != nil {
		if aside != "" {
			if rerr := os.Rename(aside, dir); rerr != nil {
				err = errors.Join(err, fmt.Errorf("putting the run directory back from %s: %w", aside, rerr))
			}
		}
		if errors.Is(err, store.ErrRunActive) {
			return store.Run{}, as(ErrConflict, err)
		}
		return store.Run{}, storeError(err)
	}
	if aside != "" {
		if err := os.RemoveAll(aside); err != nil {
			return r, fmt.Errorf("run %s is deleted, but not all of its run directory (now %s): %w", r.ID, aside, err)
		}
	}
	if r.ArtifactURL != "" {
		// The record is gone first: an object left behind is never
		// referenced, a referenced object is never missing.
		if err := rs.Artifacts.DeleteRun(ctx, r.ID); err != nil {
			return r, fmt.Errorf("run %s is deleted, but not all of its artifacts in %s: %w", r.ID, artifacts.Redact(rs.Artifacts.URL()), err)
		}
		dropCachedArtifacts(r)
	}
	return r, nil
}

// dropCachedArtifacts removes this host's fetched copy of a deleted run's
// artifacts (see RunDir), if there is one.
func dropCachedArtifacts(r store.Run) {
	if len(r.ArtifactSHA256) >= 16 {
		_ = os.RemoveAll(filepath.Join(artifactCache(), r.ID+"-"+r.ArtifactSHA256[:16]))
	}
}

// runDir returns the run directory of r to delete with it: "" when it has
// none or it is gone already; an error when it lies anywhere but directly
// in rs.RunsDir, or is not a plain directory.
func (rs *Runs) runDir(r store.Run) (string, error) {
	if r.ArtifactDir == "" {
		return "", nil
	}
	info, err := os.Lstat(r.ArtifactDir)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("run %s: its run directory: %w", r.ID, err)
	}
	refuse := func(why string) error {
		return as(ErrConflict, fmt.Errorf("run %s: its run directory %s %s: not deleting the run", r.ID, r.ArtifactDir, why))
	}
	if !info.IsDir() {
		return "", refuse("is not a directory")
	}
	if rs.RunsDir == "" {
		return "", refuse("is outside this server's runs directory (it has none)")
	}
	runs, err := realPath(rs.RunsDir)
	if err != nil {
		return "", fmt.Errorf("the runs directory: %w", err)
	}
	dir, err := realPath(r.ArtifactDir)
	if err != nil {
		return "", fmt.Errorf("run %s: its run directory: %w", r.ID, err)
	}
	if filepath.Dir(dir) != runs {
		return "", refuse("is not in this server's runs directory " + runs)
	}
	return dir, nil
}

// realPath returns path absolute, with its symbolic links resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// randomSuffix returns 8 random hex digits.
func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
