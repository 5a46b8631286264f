package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry/store"
)

func init() {
	addCommand(command{
		name:    "diff",
		summary: "compare two runs' configurations or two components, argument by argument",
		run:     runDiff,
	})
}

const diffAbout = `
Compare two runs' configurations — their settings and, role by role, their
components' arguments, nested components included — or two components. A and B
are run IDs or component hashes (or unique prefixes), or files (a path, a .json
name, or "-"): a metadata envelope compares with a component, a pipeline
document (a run directory's pipeline.json) or a pipeline spec with a run, in
the same shape as a recorded run: params and components by role. The table and
--json name A and B as they resolved: the full hash, the run ID.

Each difference is a path into the configuration with its two values:

  components.optimizer.arguments.lr   0.001   0.01
  params.batch_size                   64      32

With --exit-code, exit 1 when there are differences (0 when there are none), as
diff(1) does; without it, the exit code says only whether the comparison ran.`

func runDiff(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("diff", "diff [flags] A B", diffAbout)
	exitCode := f.Bool("exit-code", false, "exit 1 when A and B differ")
	ops, err := f.parse(args, 2, stdout)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var s store.Store // opened when an operand is not a file
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	docs := make([]json.RawMessage, 2)
	kinds := make([]string, 2)
	ids := make([]string, 2) // what each operand resolved to: a run ID, a full hash, a file
	for i, ref := range ops {
		ids[i] = ref
		if isFileRef(ref) {
			data, err := readInput(ref)
			if err != nil {
				return err
			}
			if docs[i], kinds[i], err = fileConfig(data); err != nil {
				return fmt.Errorf("%s: %w", ref, err)
			}
			continue
		}
		if s == nil {
			if s, err = f.open(ctx); err != nil {
				return err
			}
		}
		c, r, err := resolve(ctx, s, ref, storeURL(f.db))
		if err != nil {
			return err
		}
		if c != nil {
			docs[i], kinds[i], ids[i] = c.Envelope, "component", c.Hash
			continue
		}
		if docs[i], err = store.RunConfig(ctx, s, *r); err != nil {
			return storeErr(err)
		}
		kinds[i], ids[i] = "run", r.ID
	}
	if kinds[0] != kinds[1] {
		return exitAs(errUsage, fmt.Errorf("%s is a %s and %s a %s: compare two runs (or pipeline files) or two components (or metadata files)", ids[0], kinds[0], ids[1], kinds[1]))
	}
	changes, err := store.Diff(docs[0], docs[1])
	if err != nil {
		return exitAs(errUsage, err)
	}
	if f.json {
		out := struct {
			A       string         `json:"a"`
			B       string         `json:"b"`
			Kind    string         `json:"kind"`
			Same    bool           `json:"same"`
			Changes []store.Change `json:"changes"`
		}{ids[0], ids[1], kinds[0], len(changes) == 0, changes}
		if out.Changes == nil {
			out.Changes = []store.Change{}
		}
		if err := writeJSON(stdout, out); err != nil {
			return err
		}
	} else if len(changes) == 0 {
		fmt.Fprintf(stdout, "no differences between %s and %s\n", ids[0], ids[1])
	} else {
		tw := newTable(stdout)
		fmt.Fprintf(tw, "PATH\t%s\t%s\n", ids[0], ids[1])
		for _, c := range changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Path, showValue(c.Old), showValue(c.New))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if *exitCode && len(changes) > 0 {
		return errDiffer
	}
	return nil
}

// errDiffer is diff --exit-code's failure: the two differ.
var errDiffer = errors.New("they differ")

// showValue shows a JSON value in a table cell; "(absent)" for none.
func showValue(v json.RawMessage) string {
	if v == nil {
		return "(absent)"
	}
	s := string(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
