package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

func testConcurrentProcesses(t *testing.T, newURL NewURL) {
	if os.Getenv(envChild) != "" {
		t.Skip("in a child process")
	}
	ctx := context.Background()
	url := newURL(t)
	s := open(t, url) // create the schema once; the children race on everything else
	const procs, each = 6, 20
	var errs []error
	var outs []*bytes.Buffer
	cmds := make([]interface{ Wait() error }, 0, procs)
	for p := range procs {
		cmd := childCommand(t, "write", url, fmt.Sprintf("p%d", p), each)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outs = append(outs, &out)
	}
	for p, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("process %d: %v: %s", p, err, outs[p]))
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, out := range outs {
		if strings.Contains(out.String(), "locked") {
			t.Errorf("a writer said: %s", out)
		}
	}
	runs, err := s.Runs(ctx, store.RunFilter{Status: store.StatusSucceeded, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != procs*each {
		t.Errorf("%d succeeded runs, want %d", len(runs), procs*each)
	}
}
