package artifacts

import (
	"slices"

	"github.com/mlregistry/mlregistry"

	_ "gocloud.dev/blob/fileblob" // file://
	_ "gocloud.dev/blob/s3blob"   // s3://
)

// schemes lists the URL schemes compiled in; drivers behind build tags add
// theirs in init.
var schemes = []string{"file", "s3"}

// Schemes returns the URL schemes this build can open, sorted.
func Schemes() []string {
	s := slices.Clone(schemes)
	slices.Sort(s)
	return s
}

// nearest returns the known scheme closest to s, "" for none close.
func nearest(s string, known []string) string {
	if best := mlregistry.Suggest(s, known); len(best) > 0 {
		return best[0]
	}
	return ""
}
