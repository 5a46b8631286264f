package artifacts

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// ManifestFile is the name of the manifest in a run's artifact folder,
// written after every other file.
const ManifestFile = "MANIFEST.json"

// Manifest lists a run's artifact files.
type Manifest struct {
	RunID   string `json:"run_id"`
	Attempt int    `json:"attempt"`
	Files   []File `json:"files"` // sorted by Path
}

// File is one artifact file: its path in the run's folder (slash-separated),
// size and SHA-256.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // 64 lowercase hex digits
}

// ErrBadManifest is matched (errors.Is) by ParseManifest's error.
var ErrBadManifest = errors.New("bad artifact manifest")

// ParseManifest reads a manifest and checks every entry: a relative,
// clean path inside the folder, listed once, a size of zero or more, a
// SHA-256 of 64 hex digits.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadManifest, err)
	}
	seen := map[string]bool{}
	for i, f := range m.Files {
		where := fmt.Sprintf("files[%d] (%q)", i, f.Path)
		switch {
		case f.Path == "" || path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path || f.Path == "." ||
			f.Path == ".." || strings.HasPrefix(f.Path, "../") || strings.Contains(f.Path, "\\"):
			return nil, fmt.Errorf("%w: %s: path: want a clean relative path inside the run's folder", ErrBadManifest, where)
		case f.Path == ManifestFile:
			return nil, fmt.Errorf("%w: %s: path: the manifest does not list itself", ErrBadManifest, where)
		case seen[f.Path]:
			return nil, fmt.Errorf("%w: %s: path: listed twice", ErrBadManifest, where)
		case f.Size < 0:
			return nil, fmt.Errorf("%w: %s: size %d: want 0 or more", ErrBadManifest, where, f.Size)
		case !isHex64(f.SHA256):
			return nil, fmt.Errorf("%w: %s: sha256 %q: want 64 lowercase hex digits", ErrBadManifest, where, f.SHA256)
		}
		seen[f.Path] = true
	}
	return &m, nil
}

// isHex64 reports whether s is 64 lowercase hex digits.
func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
