package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry/service"
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
	records := &service.Records{}
	var operands [2]service.Operand
	for i, ref := range ops {
		operands[i].Ref = ref
		if isFileRef(ref) {
			if operands[i].Data, err = readInput(ref); err != nil {
				return err
			}
		} else if records.Store == nil {
			if records.Store, err = f.open(ctx); err != nil {
				return err
			}
			defer records.Store.Close()
		}
	}
	d, err := records.Diff(ctx, operands[0], operands[1])
	if err != nil {
		return serviceErr(err)
	}
	changes := d.Changes
	if f.json {
		if err := writeJSON(stdout, d); err != nil {
			return err
		}
	} else if d.Same {
		fmt.Fprintf(stdout, "no differences between %s and %s\n", d.A, d.B)
	} else {
		tw := newTable(stdout)
		fmt.Fprintf(tw, "PATH\t%s\t%s\n", d.A, d.B)
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
