package main

import (
	"context"
	"errors"
	"fmt"
	"io"

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
the run's components.

An optimizer is given the parameters of the model of a run that used it (its
parameters are a runtime input, not part of its hash). A dataset reads its
files: --runtime gives its runtime inputs, such as MNIST's root.

Exit codes: 0 the hash matches, 1 it does not (or building failed), 2 the
metadata is not valid for the registered component, 3 no such component.

  mlregistry rebuild 3f2a9c
  mlregistry rebuild --runtime '{"root": "/data/mnist"}' run-20261127-051000-3f2a9c1d`

func runRebuild(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("rebuild", "rebuild [flags] HASH|RUN", rebuildAbout)
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
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", orDash(t.role), t.Name, t.Stated, orDash(t.Hash), result)
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
	return errors.Join(errs...)
}
