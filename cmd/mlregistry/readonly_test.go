package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store/storetest"
)

// TestReadCommandsAsAnotherUser builds the mlregistry binary and runs the
// read commands as the user nobody on a store that root owns, of mode 0444
// in a directory of mode 0555: they read it, and leave no file behind.
func TestReadCommandsAsAnotherUser(t *testing.T) {
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv(1) to run the binary as the user nobody: a store another user owns cannot be made otherwise")
	}
	if testing.Short() {
		t.Skip("builds the binary; not in -short")
	}
	fx := newFixture(t)
	base := t.TempDir()
	for _, d := range []string{filepath.Dir(base), base} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(base, "mlregistry")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(base, "store")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "runs.db")
	storetest.CopyFile(t, strings.TrimPrefix(fx.db, "sqlite://"), path, 0o444)
	model := filepath.Join(dir, "model.json")
	storetest.CopyFile(t, fx.file(t, "model.json", fx.model1), model, 0o444)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before := storetest.DirNames(t, dir)
	db := "--db=sqlite://" + path
	for _, args := range [][]string{
		{"ls", db},
		{"ls", "runs", db, "--json"},
		{"show", db, "run-one"},
		{"show", db, fx.model1[:6]},
		{"diff", db, "run-one", "run-two"},
		{"rebuild", db, "run-one"},
		{"hash", db, model},
	} {
		cmd := exec.Command(setpriv, append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", bin}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("mlregistry %s as nobody: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// The check proves something only if nobody cannot write there.
	cmd := exec.Command(setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", bin, "train", "--dataset", "Digits", "--steps", "1", "--runs", "", "--progress", "off", db)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("train as nobody recorded a run in a store it may only read:\n%s", out)
	}
	if after := storetest.DirNames(t, dir); !slices.Equal(before, after) {
		t.Errorf("the store's directory held %q before and %q after", before, after)
	}
}
