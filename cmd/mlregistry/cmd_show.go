package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/service"
)

func init() {
	addCommand(command{
		name:    "show",
		summary: "show a recorded component (metadata, signature, runs) or run",
		run:     runShow,
	})
}

const showAbout = `
Show a recorded component — its metadata, signature and the runs that used it —
given its hash or a unique prefix of it (at least 4 hex digits, as git takes
commits). Given a run ID (or unique prefix), show the run: its components by
role, settings, final metrics and the last value of each metric.

  mlregistry show 3f2a9c
  mlregistry show run-20261127-051000-3f2a9c1d --json`

func runShow(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("show", "show [flags] HASH|RUN", showAbout)
	ops, err := f.parse(args, 1, stdout)
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	shown, err := (&service.Records{Store: s}).Show(ctx, ops[0])
	switch {
	case err != nil:
		return serviceErr(err)
	case f.json:
		return writeJSON(stdout, shown)
	case shown.Run != nil:
		return showRun(shown, stdout)
	}
	return showComponent(shown, stdout)
}

func showComponent(shown service.Shown, stdout io.Writer) error {
	c := *shown.Component
	var md mlregistry.Metadata
	mdErr := json.Unmarshal(c.Envelope, &md)
	tw := newTable(stdout)
	fmt.Fprintf(tw, "hash\t%s\n", c.Hash)
	fmt.Fprintf(tw, "name\t%s\n", c.Name)
	fmt.Fprintf(tw, "kind\t%s\n", orDash(c.Kind))
	if mdErr == nil {
		fmt.Fprintf(tw, "scheme\t%s, version %d\n", md.Scheme, md.Version)
		fmt.Fprintf(tw, "signature\t%s\n", shown.Signature)
	}
	fmt.Fprintf(tw, "first seen\t%s\n", when(c.FirstSeen))
	fmt.Fprintf(tw, "last seen\t%s\n", when(c.LastSeen))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\narguments")
	if err := printArguments(stdout, c.Envelope); err != nil {
		return err
	}
	if mdErr != nil {
		fmt.Fprintf(stdout, "\n(the envelope is not one this version reads: %v)\n", mdErr)
	}
	fmt.Fprintf(stdout, "\nruns (%d)\n", len(shown.Runs))
	if len(shown.Runs) == 0 {
		fmt.Fprintln(stdout, "  none recorded")
		return nil
	}
	tw = newTable(stdout)
	fmt.Fprintln(tw, "  RUN\tROLE\tSTATUS\tSTARTED\tFINAL")
	for _, r := range shown.Runs {
		role := "-"
		for _, l := range r.Components {
			if l.Hash == c.Hash {
				role = l.Role
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.ID, role, r.Status, when(r.StartedAt), orDash(formatFinal(r.Final)))
	}
	return tw.Flush()
}

// printArguments prints an envelope's effective arguments, one per line,
// nested envelopes as Name(hash) with their arguments indented.
func printArguments(w io.Writer, envelope json.RawMessage) error {
	var env struct {
		Arguments map[string]json.RawMessage `json:"arguments"`
		Kwargs    map[string]json.RawMessage `json:"kwargs"`
	}
	if err := json.Unmarshal(envelope, &env); err != nil {
		return fmt.Errorf("reading the envelope: %w", err)
	}
	args := env.Arguments
	if args == nil {
		args = env.Kwargs
	}
	printArgs(w, args, "  ")
	return nil
}

func printArgs(w io.Writer, args map[string]json.RawMessage, indent string) {
	if len(args) == 0 {
		fmt.Fprintln(w, indent+"(none)")
		return
	}
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw := newTable(w)
	var nested []string
	for _, k := range keys {
		v := args[k]
		var inner struct {
			Name      string                     `json:"name"`
			Hash      string                     `json:"hash"`
			Arguments map[string]json.RawMessage `json:"arguments"`
		}
		if json.Unmarshal(v, &inner) == nil && inner.Name != "" && inner.Hash != "" {
			fmt.Fprintf(tw, "%s%s\t%s(%s)\n", indent, k, inner.Name, inner.Hash)
			nested = append(nested, k)
			continue
		}
		fmt.Fprintf(tw, "%s%s\t%s\n", indent, k, compactJSON(v))
	}
	tw.Flush()
	for _, k := range nested {
		var inner struct {
			Arguments map[string]json.RawMessage `json:"arguments"`
		}
		_ = json.Unmarshal(args[k], &inner)
		fmt.Fprintf(w, "%s%s's arguments\n", indent, k)
		printArgs(w, inner.Arguments, indent+"  ")
	}
}

// compactJSON returns v without insignificant space.
func compactJSON(v json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return string(v)
	}
	return b.String()
}

func showRun(shown service.Shown, stdout io.Writer) error {
	r := *shown.Run
	tw := newTable(stdout)
	fmt.Fprintf(tw, "run\t%s\n", r.ID)
	fmt.Fprintf(tw, "status\t%s\n", statusLine(r))
	fmt.Fprintf(tw, "started\t%s\n", when(r.StartedAt))
	fmt.Fprintf(tw, "ended\t%s\n", when(r.EndedAt))
	fmt.Fprintf(tw, "owner\t%s\n", ownerLine(r.Owner))
	fmt.Fprintf(tw, "last seen\t%s\n", when(r.LastSeen))
	fmt.Fprintf(tw, "artifacts\t%s\n", orDash(r.ArtifactDir))
	checkpoint, none := checkpointOf(r)
	fmt.Fprintf(tw, "checkpoint\t%s\n", cmp.Or(checkpoint, none))
	if len(r.Params) > 0 {
		p, _ := json.Marshal(r.Params)
		fmt.Fprintf(tw, "params\t%s\n", p)
	}
	fmt.Fprintf(tw, "final\t%s\n", orDash(formatFinal(r.Final)))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\ncomponents")
	tw = newTable(stdout)
	fmt.Fprintln(tw, "  ROLE\tNAME\tHASH")
	for _, c := range shown.Components {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Role, c.Name, c.Hash)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nmetrics (%d values)\n", len(shown.Metrics))
	if len(shown.LastMetrics) == 0 {
		fmt.Fprintln(stdout, "  none recorded")
		return nil
	}
	tw = newTable(stdout)
	fmt.Fprintln(tw, "  NAME\tLAST STEP\tLAST VALUE\tVALUES")
	for _, m := range shown.LastMetrics {
		fmt.Fprintf(tw, "  %s\t%d\t%.6g\t%d\n", m.Name, m.Step, float64(m.Value), m.Values)
	}
	return tw.Flush()
}
