package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
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
	var s store.Store
	dbGiven := false
	f.Visit(func(fl *flagT) { dbGiven = dbGiven || fl.Name == "db" })
	if dbGiven {
		if s, err = f.open(ctx); err != nil {
			return err
		}
		defer s.Close()
	}
	results, err := hashDocument(ctx, s, data, runtime)
	if err != nil {
		return fmt.Errorf("%s: %w", ops[0], err)
	}
	type resultJSON struct {
		Role string `json:"role,omitempty"`
		rebuilt
		Recorded *bool `json:"recorded,omitempty"`
	}
	out := []resultJSON{}
	mismatch := false
	for _, r := range results {
		rj := resultJSON{Role: r.role, rebuilt: r.rebuilt}
		if s != nil {
			_, err := s.Component(ctx, r.Hash)
			found := err == nil
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return storeErr(err)
			}
			rj.Recorded = &found
		}
		mismatch = mismatch || r.mismatched()
		out = append(out, rj)
	}
	if f.json {
		if err := writeJSON(stdout, struct {
			File       string       `json:"file"`
			Components []resultJSON `json:"components"`
		}{ops[0], out}); err != nil {
			return err
		}
	} else {
		tw := newTable(stdout)
		fmt.Fprint(tw, "ROLE\tNAME\tKIND\tHASH\tCHECK")
		if s != nil {
			fmt.Fprint(tw, "\tRECORDED")
		}
		fmt.Fprintln(tw)
		for _, r := range out {
			check := "no hash stated"
			switch {
			case r.Stated != "" && !r.mismatched():
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
	if mismatch {
		return fmt.Errorf("%s: a hash does not match the one the file states", ops[0])
	}
	return nil
}

// roleResult is one component's hash, with the role it plays in a pipeline.
type roleResult struct {
	role string
	rebuilt
}

// pipelineRoles are the roles of a pipeline, in the order they are built.
var pipelineRoles = []string{"model", "criterion", "optimizer", "dataset"}

// hashDocument computes the hashes of what data describes.
func hashDocument(ctx context.Context, s store.Store, data []byte, runtime mlregistry.Kwargs) ([]roleResult, error) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", errUsage, err)
	}
	var format string
	_ = json.Unmarshal(head["format"], &format)
	_, hasName := head["name"]
	switch {
	case format == ml.DocumentFormat:
		var ds struct{ Name, Kind string }
		_ = json.Unmarshal(head["dataset"], &ds)
		if err := checkRuntime(runtime, [][2]string{{ds.Name, ds.Kind}}); err != nil {
			return nil, err
		}
		var out []roleResult
		var errs []error
		for _, role := range pipelineRoles {
			env, ok := head[role]
			if !ok {
				errs = append(errs, fmt.Errorf("%w: the document has no %q", errUsage, role))
				continue
			}
			r, err := rebuildEnvelope(ctx, s, env, runtimeFor(role, runtime), "")
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", role, err))
				continue
			}
			out = append(out, roleResult{role, r})
		}
		return out, errors.Join(errs...)
	case hasName:
		var c struct{ Name, Kind string }
		_ = json.Unmarshal(data, &c)
		if err := checkRuntime(runtime, [][2]string{{c.Name, c.Kind}}); err != nil {
			return nil, err
		}
		if _, stated := head["hash"]; !stated {
			// A component spec as a person writes it, nested specs and all.
			data, _ = json.Marshal(asEnvelope(head))
		}
		r, err := rebuildEnvelope(ctx, s, data, runtime, "")
		if err != nil {
			return nil, err
		}
		return []roleResult{{"", r}}, nil
	}
	spec, err := ml.ParseSpec(data)
	if err != nil {
		return nil, exitAs(errUsage, fmt.Errorf("neither metadata, a component spec nor a pipeline: %w", err))
	}
	if err := checkRuntime(runtime, [][2]string{{spec.Dataset.Name, "dataset"}}); err != nil {
		return nil, err
	}
	p, err := ml.Default.Build(spec, runtime)
	if err != nil {
		return nil, inputOrIOErr(err)
	}
	doc, err := ml.NewDocument(p)
	if err != nil {
		return nil, err
	}
	var out []roleResult
	for _, r := range doc.Roles() {
		out = append(out, roleResult{r.Name, rebuilt{Name: r.Metadata.Name, Kind: r.Metadata.Kind, Hash: r.Metadata.Hash}})
	}
	return out, nil
}

// runtimeFor returns the runtime values for a role: only the dataset takes
// the --runtime ones.
func runtimeFor(role string, runtime mlregistry.Kwargs) mlregistry.Kwargs {
	if role == "dataset" {
		return runtime
	}
	return nil
}
