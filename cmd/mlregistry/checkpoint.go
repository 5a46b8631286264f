package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// checkpointOf returns where run r's weights checkpoint is, when its run
// directory holds one; otherwise "" and why there is none.
func checkpointOf(r store.Run) (path, none string) {
	if r.ArtifactURL != "" {
		return "", fmt.Sprintf("not on this disk: %s/ in the run's artifacts at %s (manifest sha256 %s)", ml.CheckpointDir, artifacts.Redact(r.ArtifactURL), r.ArtifactSHA256)
	}
	if r.ArtifactDir == "" {
		return "", "none: the run saved no run directory"
	}
	path = filepath.Join(r.ArtifactDir, ml.CheckpointDir)
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return path, ""
	case errors.Is(err, os.ErrNotExist):
		if _, err := os.Stat(r.ArtifactDir); errors.Is(err, os.ErrNotExist) {
			return "", fmt.Sprintf("none: %s does not exist (a run directory is saved only when the run succeeds)", r.ArtifactDir)
		}
		return "", fmt.Sprintf("none: %s has no %s/", r.ArtifactDir, ml.CheckpointDir)
	case err != nil:
		return "", fmt.Sprintf("unknown: %v", err)
	}
	return "", fmt.Sprintf("none: %s is not a directory", path)
}

// statusLine describes a run's status for people: a lost run with when it
// was last seen.
func statusLine(r store.Run) string {
	if r.Status == store.StatusLost {
		return fmt.Sprintf("%s (no heartbeat from its owner since %s; a run is lost after %s without one)",
			r.Status, when(r.LastSeen), r.LostAfter)
	}
	return r.Status
}

// ownerLine describes a run's owner: "host pid 1234", or "-" for none.
func ownerLine(o store.RunOwner) string {
	if o == (store.RunOwner{}) {
		return "-"
	}
	return fmt.Sprintf("%s pid %d", o.Host, o.PID)
}
