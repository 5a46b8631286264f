package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
)

func init() {
	addCommand(command{
		name:    "describe",
		summary: "show a registered component's signature and the JSON Schema of its arguments",
		run:     runDescribe,
	})
}

const describeAbout = `
Describe a component registered in this program (models, criterions,
optimizers, datasets): its signature — each parameter's name, type, default,
and whether it is a runtime input, excluded from metadata and hash — and the
JSON Schema (draft 2020-12) of the "arguments" object a spec document gives it.
The descriptions of the component and its parameters come from their source,
through the files mlregistry-gen writes.
Without NAME, list the registered components. No store is needed.

  mlregistry describe Perceptron
  mlregistry describe --json Adam | jq .schema`

func runDescribe(args []string, stdout, stderr io.Writer) error {
	f := newLocalFlags("describe", "describe [flags] [NAME]", describeAbout)
	kind := f.String("kind", "", "only the registry of this `kind`: "+strings.Join(kinds(), ", "))
	ops, err := f.parse(args, -1, stdout)
	if err != nil {
		return err
	}
	if err := checkKind(*kind); err != nil {
		return err
	}
	switch len(ops) {
	case 0:
		return listRegistered(f, *kind, stdout)
	case 1:
	default:
		return fmt.Errorf("%w: expected one component name, got %q", errUsage, ops)
	}
	name := ops[0]
	reg, err := findRegistry(name, *kind)
	if err != nil {
		return err
	}
	d, err := catalogue.Describe(reg.kind, name)
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(stdout, d) // the answer of GET /v1/components/{kind}/{name}
	}
	sig, _ := reg.signature(name)
	schema := d.Schema
	fmt.Fprintf(stdout, "%s (%s)\n%s%s\n\n", name, orDash(reg.kind), name, sig)
	if doc := reg.doc(name); doc != "" {
		fmt.Fprintf(stdout, "%s\n\n", doc)
	}
	tw := newTable(stdout)
	fmt.Fprintln(tw, "PARAMETER\tTYPE\tDEFAULT\tNOTE\tDESCRIPTION")
	for _, p := range sig.Params() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.TypeName, describeDefault(p), describeNote(p), p.Doc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\nJSON Schema of its arguments:")
	var pretty strings.Builder
	if err := writeJSON(&pretty, json.RawMessage(schema)); err != nil {
		return err
	}
	fmt.Fprint(stdout, pretty.String())
	return nil
}

func describeDefault(p mlregistry.Param) string {
	if !p.HasDefault {
		return "-"
	}
	return service.FormatValue(p.Default) // a component as a call: ReLU()
}

func describeNote(p mlregistry.Param) string {
	switch {
	case p.Excluded:
		return "runtime input: not in metadata or hash"
	case p.Required():
		return "required"
	}
	return ""
}

// catalogue is what describe tells, as GET /v1/components tells it.
var catalogue = service.NewCatalogue(ml.Default)

// listRegistered lists the registered components by kind: of every kind,
// or of kind when it is not "".
func listRegistered(f *cmdFlags, kind string, stdout io.Writer) error {
	entries, err := catalogue.Components(kind)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.json {
		return writeJSON(stdout, struct {
			Components []service.ComponentSummary `json:"components"`
		}{entries})
	}
	tw := newTable(stdout)
	fmt.Fprintln(tw, "KIND\tNAME\tSIGNATURE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Kind, e.Name, e.Signature)
	}
	return tw.Flush()
}
