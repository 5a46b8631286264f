package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry"

	"github.com/mlregistry/mlregistry/store"
)

func init() {
	addCommand(command{
		name:    "rebuild",
		summary: "rebuild a recorded component (or a run's components) and check the hash",
		run:     runRebuild,
	})
}

const rebuildAbout = `
Rebuild a recorded component from its metadata, through this program's
registries, and check that the result has the recorded hash: the proof that
the record is enough to get the component back. Given a run ID, rebuild each of
the run's components. Given a FILE (a path, a .json name, or "-" for standard
input) holding a metadata envelope or a pipeline document, rebuild what it
describes and check the hashes it states; no store is needed then.

An optimizer is given the parameters of the model of a run that used it (its
parameters are a runtime input, not part of its hash). A dataset reads its
files: --runtime gives its runtime inputs, such as MNIST's root.

Exit codes: 0 the hash matches, 1 it does not (or building failed), 2 the
metadata is not valid for the registered component (or --runtime names an
input no component takes), 3 no such component.

  mlregistry rebuild 3f2a9c
  mlregistry rebuild --runtime '{"root": "/data/mnist"}' run-20261127-051000-3f2a9c1d`

func runRebuild(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("rebuild", "rebuild [flags] HASH|RUN|FILE", rebuildAbout)
	rt := f.String("runtime", "", "runtime inputs as a JSON `object`, e.g. '{\"root\": \"/data/mnist\"}'")
	ops, err := f.parse(args, 1, stdout)
	if err != nil {
		return err
	}
	runtime, err := parseRuntime(*rt)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if isFileRef(ops[0]) {
		return rebuildFile(ctx, f, ops[0], runtime, stdout, stderr)
	}
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	c, r, err := resolve(ctx, s, ops[0], storeURL(f.db))
	if err != nil {
		return err
	}
	var targets []roleResult // role and the recorded component
	var comps []store.Component
	if c != nil {
		comps = append(comps, *c)
		targets = append(targets, roleResult{})
	} else {
		for _, l := range r.Components {
			c, err := s.Component(ctx, l.Hash)
			if err != nil {
				return storeErr(fmt.Errorf("run %s: %s component: %w", r.ID, l.Role, err))
			}
			comps = append(comps, c)
			targets = append(targets, roleResult{role: l.Role})
		}
		if len(comps) == 0 {
			return fmt.Errorf("run %s recorded no components: nothing to rebuild", r.ID)
		}
	}
	var named [][2]string
	for _, c := range comps {
		named = append(named, [2]string{c.Name, c.Kind})
	}
	if err := checkRuntime(runtime, named); err != nil {
		return err
	}
	var errs []error
	runID := ""
	if r != nil {
		runID = r.ID
	}
	for i, c := range comps {
		res, err := rebuildEnvelope(ctx, s, c.Envelope, runtime, runID)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", c.Name, c.Hash, err))
			res = rebuilt{Name: c.Name, Kind: c.Kind, Stated: c.Hash}
		}
		targets[i].rebuilt = res
		if err == nil && res.mismatched() {
			errs = append(errs, fmt.Errorf("%s: rebuilt with hash %s, but the store records %s", c.Name, res.Hash, c.Hash))
		}
	}
	return errors.Join(printRebuilt(f, targets, stdout, stderr), errors.Join(errs...))
}

// rebuildFile rebuilds what a file describes — a metadata envelope or a
// pipeline document, as hash reads them — and checks each stated hash.
func rebuildFile(ctx context.Context, f *cmdFlags, path string, runtime mlregistry.Kwargs, stdout, stderr io.Writer) error {
	data, err := readInput(path)
	if err != nil {
		return err
	}
	results, err := hashDocument(ctx, nil, data, runtime)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var errs []error
	for _, r := range results {
		if r.mismatched() {
			errs = append(errs, fmt.Errorf("%s: %s: rebuilt with hash %s, but the file states %s", path, r.Name, r.Hash, r.Stated))
		}
	}
	return errors.Join(printRebuilt(f, results, stdout, stderr), errors.Join(errs...))
}

// printRebuilt prints what was rebuilt: a table, or JSON with --json.
func printRebuilt(f *cmdFlags, targets []roleResult, stdout, stderr io.Writer) error {
	if f.json {
		type resultJSON struct {
			Role string `json:"role,omitempty"`
			rebuilt
		}
		out := []resultJSON{}
		for _, t := range targets {
			out = append(out, resultJSON{t.role, t.rebuilt})
		}
		if err := writeJSON(stdout, struct {
			Components []resultJSON `json:"components"`
		}{out}); err != nil {
			return err
		}
	} else {
		tw := newTable(stdout)
		fmt.Fprintln(tw, "ROLE\tNAME\tRECORDED HASH\tREBUILT HASH\tRESULT")
		for _, t := range targets {
			result := "matches"
			switch {
			case t.Hash == "":
				result = "FAILED"
			case t.mismatched():
				result = "MISMATCH"
			case t.Match == nil:
				result = "no hash stated"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", orDash(t.role), t.Name, orDash(t.Stated), orDash(t.Hash), result)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, t := range targets {
			if t.Note != "" {
				fmt.Fprintf(stderr, "note: %s\n", t.Note)
			}
		}
	}
	return nil
}
