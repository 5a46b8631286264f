package main

import (
	"context"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry/service"
)

func init() {
	addCommand(command{
		name:    "hash",
		summary: "compute the hash of a metadata, component spec or pipeline JSON file",
		run:     runHash,
	})
}

const hashAbout = `
Compute the hash of what a JSON file describes, by building it through the
registries (nothing unregistered is ever built) and hashing the result:

  a metadata envelope    {"format":"mlregistry/v1","name":…,"hash":…,"args":…}
                         its hash is recomputed and checked against the one stated
  a component spec       {"name":"Adam","kind":"optimizer","kwargs":{"lr":0.01}}, nested
                         specs included, as pipeline files take them:
                         {"name":"MLP","kwargs":{"activation":{"name":"GELU"}}}
  a pipeline document    pipeline.json of a run directory (runs/MODEL-HASH/): each role's hash, checked
  a pipeline spec        {"model":{"name":"Perceptron","args":[…]},…}: each role's hash

FILE "-" reads standard input; at most 1 MiB is read. A hash that does not match
the one stated exits with 1, and so does a recorded signature that is not the
component's. With --db given, each hash is also looked up in that store (opened
read-only). Building a dataset reads its files: --runtime gives it its runtime
inputs (MNIST's root); a key no component takes is an error (exit 2). With
--json, "match" is true or false when the file states a hash, null when not.

  mlregistry hash runs/a5b23870c829a0112ce11c562ae20f85/pipeline.json
  mlregistry hash --json model.json`

func runHash(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("hash", "hash [flags] FILE", hashAbout)
	rt := f.String("runtime", "", "runtime inputs as a JSON `object`, e.g. '{\"root\": \"/data/mnist\"}'")
	ops, err := f.parse(args, 1, stdout)
	if err != nil {
		return err
	}
	runtime, err := parseRuntime(*rt)
	if err != nil {
		return err
	}
	data, err := readInput(ops[0])
	if err != nil {
		return err
	}
	ctx := context.Background()
	records := &service.Records{Runtime: runtime, StrictRuntime: true}
	dbGiven := false
	f.Visit(func(fl *flagT) { dbGiven = dbGiven || fl.Name == "db" })
	if dbGiven {
		if records.Store, err = f.open(ctx); err != nil {
			return err
		}
		defer records.Store.Close()
	}
	res, err := records.Hash(ctx, data)
	if err != nil {
		return fmt.Errorf("%s: %w", ops[0], serviceErr(err))
	}
	if f.json {
		if err := writeJSON(stdout, res); err != nil {
			return err
		}
	} else {
		tw := newTable(stdout)
		fmt.Fprint(tw, "ROLE\tNAME\tKIND\tHASH\tCHECK")
		if records.Store != nil {
			fmt.Fprint(tw, "\tRECORDED")
		}
		fmt.Fprintln(tw)
		for _, r := range res.Components {
			check := "no hash stated"
			switch {
			case r.Stated != "" && !r.Mismatched():
				check = "matches"
			case r.Stated != "":
				check = "MISMATCH: file states " + r.Stated
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s", orDash(r.Role), r.Name, orDash(r.Kind), r.Hash, check)
			if r.Recorded != nil {
				fmt.Fprintf(tw, "\t%v", *r.Recorded)
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return mismatches(ops[0]+": ", "the file states", res)
}
