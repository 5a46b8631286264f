package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry/service"
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
	records := &service.Records{Runtime: runtime, StrictRuntime: true}
	if isFileRef(ops[0]) {
		data, err := readInput(ops[0])
		if err != nil {
			return err
		}
		res, err := records.Hash(ctx, data)
		if err != nil {
			return fmt.Errorf("%s: %w", ops[0], serviceErr(err))
		}
		return errors.Join(printRebuilt(f, res, stdout, stderr), mismatches(ops[0]+": ", "the file states", res))
	}
	if records.Store, err = f.open(ctx); err != nil {
		return err
	}
	defer records.Store.Close()
	res, rebuildErr := records.Rebuild(ctx, ops[0])
	if res.What == "" { // nothing was rebuilt: the reference or the runtime was wrong
		return serviceErr(rebuildErr)
	}
	return errors.Join(printRebuilt(f, res, stdout, stderr), serviceErr(rebuildErr), mismatches("", "the store records", res))
}

// mismatches is an error naming each component whose rebuilt hash is not
// the one stated (by whom: the file, the store), or nil.
func mismatches(prefix, whom string, res service.Rebuilds) error {
	var errs []error
	for _, r := range res.Components {
		if r.Mismatched() {
			errs = append(errs, fmt.Errorf("%s%s: rebuilt with hash %s, but %s %s", prefix, r.Name, r.Hash, whom, r.Stated))
		}
	}
	return errors.Join(errs...)
}

// printRebuilt prints what was rebuilt: a table, or JSON with --json.
func printRebuilt(f *cmdFlags, res service.Rebuilds, stdout, stderr io.Writer) error {
	if f.json {
		return writeJSON(stdout, res)
	}
	tw := newTable(stdout)
	fmt.Fprintln(tw, "ROLE\tNAME\tRECORDED HASH\tREBUILT HASH\tRESULT")
	for _, t := range res.Components {
		result := "matches"
		switch {
		case t.Hash == "":
			result = "FAILED"
		case t.Mismatched():
			result = "MISMATCH"
		case t.Match == nil:
			result = "no hash stated"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", orDash(t.Role), t.Name, orDash(t.Stated), orDash(t.Hash), result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range res.Components {
		if t.Note != "" {
			fmt.Fprintf(stderr, "note: %s\n", t.Note)
		}
	}
	return nil
}
