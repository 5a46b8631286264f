package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// ArtifactCacheEnv names the variable that sets where artifacts fetched by
// URL are kept (default: the user's cache folder, mlregistry/artifacts).
const ArtifactCacheEnv = "MLREGISTRY_ARTIFACT_CACHE"

// ErrNoArtifacts is matched by LoadRun's error for a run that saved none.
var ErrNoArtifacts = errors.New("the run saved no artifacts")

// RunDir returns a local directory holding run's artifacts: its run
// directory, or, when the run recorded artifacts by URL, a copy fetched
// from the bucket into the cache — the manifest checked against the
// recorded SHA-256, every file against the manifest — and kept there under
// the run's ID and SHA-256, so a second call reads no bucket.
func RunDir(ctx context.Context, run store.Run) (string, error) {
	if run.ArtifactURL == "" {
		if run.ArtifactDir == "" {
			return "", fmt.Errorf("run %s: %w (trained with no --runs and no --artifacts)", run.ID, ErrNoArtifacts)
		}
		return run.ArtifactDir, nil
	}
	if len(run.ArtifactSHA256) < 16 {
		return "", fmt.Errorf("run %s: artifacts %s: recorded SHA-256 %q: want 64 hex digits", run.ID, artifacts.Redact(run.ArtifactURL), run.ArtifactSHA256)
	}
	dir := filepath.Join(artifactCache(), run.ID+"-"+run.ArtifactSHA256[:16])
	if _, err := os.Stat(filepath.Join(dir, ml.DocumentFile)); err == nil {
		return dir, nil // fetched and checked before; Fetch renames a complete copy into place
	}
	err := artifacts.Fetch(ctx, artifacts.Ref{URL: run.ArtifactURL, SHA256: run.ArtifactSHA256}, dir)
	if err != nil {
		if _, serr := os.Stat(filepath.Join(dir, ml.DocumentFile)); serr == nil {
			return dir, nil // another process fetched it at the same time
		}
		return "", fmt.Errorf("run %s: %w", run.ID, err)
	}
	return dir, nil
}

// LoadRun loads run's trained pipeline through repo (nil: ml.Default) from
// its artifacts (see RunDir); dataset holds runtime values for the
// datasets' excluded parameters.
func LoadRun(ctx context.Context, repo *ml.Repository, run store.Run, dataset mlregistry.Kwargs) (*ml.Run, error) {
	dir, err := RunDir(ctx, run)
	if err != nil {
		return nil, err
	}
	if repo == nil {
		repo = ml.Default
	}
	return repo.Load(dir, dataset)
}

// artifactCache returns the folder fetched artifacts are kept in.
func artifactCache() string {
	if d := os.Getenv(ArtifactCacheEnv); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "mlregistry", "artifacts")
	}
	return filepath.Join(os.TempDir(), "mlregistry-artifacts")
}
