package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mlregistry/mlregistry"
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
	sig, _ := reg.signature(name)
	schema, err := reg.schema(name)
	if err != nil {
		return fmt.Errorf("JSON Schema of %s: %w", name, err)
	}
	if f.json {
		type paramJSON struct {
			Name     string `json:"name"`
			Type     string `json:"type"`
			Default  any    `json:"default,omitempty"`
			Required bool   `json:"required"`
			Excluded bool   `json:"excluded,omitempty"`
			Doc      string `json:"doc,omitempty"`
		}
		out := struct {
			Name      string          `json:"name"`
			Kind      string          `json:"kind"`
			Doc       string          `json:"doc,omitempty"`
			Signature string          `json:"signature"`
			Params    []paramJSON     `json:"params"`
			Schema    json.RawMessage `json:"schema"`
		}{Name: name, Kind: reg.kind, Doc: reg.doc(name), Signature: sig.String(), Params: []paramJSON{}, Schema: schema}
		for _, p := range sig.Params() {
			pj := paramJSON{Name: p.Name, Type: p.TypeName, Required: p.Required(), Excluded: p.Excluded, Doc: p.Doc}
			if p.HasDefault {
				pj.Default = p.Default
				if md, ok := mlregistry.MetadataOf(p.Default); ok {
					pj.Default = md // a component: its envelope, not its Go fields
				}
			}
			out.Params = append(out.Params, pj)
		}
		return writeJSON(stdout, out)
	}
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
	return formatValue(p.Default) // a component as a call: ReLU()
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

// listRegistered lists the registered components by kind: of every kind,
// or of kind when it is not "".
func listRegistered(f *cmdFlags, kind string, stdout io.Writer) error {
	type entry struct {
		Kind      string `json:"kind"`
		Name      string `json:"name"`
		Signature string `json:"signature"`
	}
	entries := []entry{}
	for _, v := range registries() {
		if kind != "" && v.kind != kind {
			continue
		}
		for _, n := range v.keys() {
			sig, _ := v.signature(n)
			entries = append(entries, entry{v.kind, n, sig.String()})
		}
	}
	if f.json {
		return writeJSON(stdout, struct {
			Components []entry `json:"components"`
		}{entries})
	}
	tw := newTable(stdout)
	fmt.Fprintln(tw, "KIND\tNAME\tSIGNATURE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Kind, e.Name, e.Signature)
	}
	return tw.Flush()
}
