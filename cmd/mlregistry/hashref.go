package main

import (
	"os"
	"strings"

	"github.com/mlregistry/mlregistry/service"
)

// The one rule for a hash or hash prefix, in every command: MinPrefix to
// HashLen hex digits, nothing else (service.CheckHashPrefix).

// checkHashPrefix returns ref, lowercased, or the one message every command
// and route gives for something that is not a hash or hash prefix (exit 2).
func checkHashPrefix(ref string) (string, error) {
	q, err := service.CheckHashPrefix(ref)
	return q, serviceErr(err)
}

// isFileRef reports whether an operand names a file rather than a hash or
// a run: "-" (standard input), a path with a separator or a .json name, or
// a file that exists.
func isFileRef(ref string) bool {
	if ref == "-" || strings.ContainsRune(ref, '/') || strings.ContainsRune(ref, os.PathSeparator) || strings.HasSuffix(ref, ".json") {
		return true
	}
	_, err := os.Stat(ref)
	return err == nil
}
