package storetest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

// Environment of a child process.
const (
	envChild = "MLREGISTRY_STORETEST_CHILD" // "crash" or "write"
	envURL   = "MLREGISTRY_STORETEST_URL"
	envName  = "MLREGISTRY_STORETEST_NAME"
	envN     = "MLREGISTRY_STORETEST_N"
)

// Child runs the child side of the process tests and exits, when this process
// was started as such a child; otherwise it returns at once. Call it first
// thing in TestMain.
func Child() {
	mode := os.Getenv(envChild)
	if mode == "" {
		return
	}
	ctx := context.Background()
	s, err := store.Open(ctx, os.Getenv(envURL))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	name := os.Getenv(envName)
	switch mode {
	case "write":
		n, _ := strconv.Atoi(os.Getenv(envN))
		err = writeLoad(ctx, s, name, n)
	case "crash":
		err = crashLoad(ctx, s, name, bufio.NewWriter(os.Stdout))
	default:
		err = fmt.Errorf("unknown %s=%q", envChild, mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// childCommand returns the command that re-executes this test binary as a
// child in mode.
func childCommand(t *testing.T, mode, url, name string, n int) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envURL+"="+url, envName+"="+name, envN+"="+strconv.Itoa(n))
	return cmd
}
