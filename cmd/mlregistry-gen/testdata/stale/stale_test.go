package stale

import (
	"os"
	"testing"
)

func TestStale(t *testing.T) {
	want := os.Getenv("WANT_ERR")
	switch {
	case want == "" && RegisterErr != nil:
		t.Fatalf("TryRegister: %v", RegisterErr)
	case want != "" && (RegisterErr == nil || RegisterErr.Error() != want):
		t.Fatalf("TryRegister: got %v\nwant %s", RegisterErr, want)
	}
}
