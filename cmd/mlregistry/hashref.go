package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/mlregistry/mlregistry/store"
)

// The one rule for a hash or hash prefix, in every command: MinPrefix to
// HashLen hex digits, nothing else.

// checkHashPrefix returns ref, lowercased, or the one message every command
// gives for something that is not a hash or hash prefix (exit 2).
func checkHashPrefix(ref string) (string, error) {
	q := strings.ToLower(ref)
	if len(q) < store.MinPrefix || len(q) > store.HashLen || !isHex(q) {
		return "", exitAs(errUsage, fmt.Errorf("%q is not a hash or hash prefix: expected %d to %d hex digits (0-9, a-f)", ref, store.MinPrefix, store.HashLen))
	}
	return q, nil
}

// isHex reports whether s is made of hex digits only.
func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return s != ""
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
