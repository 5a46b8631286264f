package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/store"
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
	c, r, err := resolve(ctx, s, ops[0], storeURL(f.db))
	if err != nil {
		return err
	}
	if r != nil {
		return showRun(ctx, f, s, *r, stdout)
	}
	return showComponent(ctx, f, s, *c, stdout)
}

// resolve finds what ref names: a component (by hash or unique prefix) or a
// run (by ID or unique prefix). It tries a component first when ref looks
// like a hash.
//
// A ref of hex digits only is a hash prefix, and follows the one rule for
// them (checkHashPrefix); anything else is a run ID or a prefix of one.
func resolve(ctx context.Context, s store.Store, ref, db string) (*store.Component, *store.Run, error) {
	if isHex(ref) {
		q, err := checkHashPrefix(ref)
		if err != nil {
			return nil, nil, err
		}
		c, err := s.Component(ctx, q)
		if err == nil {
			return &c, nil, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, nil, storeErr(err)
		}
	}
	r, err := s.Run(ctx, ref)
	if err == nil {
		return nil, &r, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: no component hash and no run ID starts with %q in %s (list them: mlregistry ls; mlregistry ls runs)",
			errNotFound, ref, store.Redact(db))
	}
	return nil, nil, storeErr(err)
}

func showComponent(ctx context.Context, f *cmdFlags, s store.Store, c store.Component, stdout io.Writer) error {
	runs, err := s.Runs(ctx, store.RunFilter{Component: c.Hash, Limit: store.MaxLimit})
	if err != nil {
		return storeErr(err)
	}
	var md mlregistry.Metadata
	mdErr := json.Unmarshal(c.Envelope, &md)
	if f.json {
		out := struct {
			Component componentJSON `json:"component"`
			Signature string        `json:"signature,omitempty"`
			Runs      []runJSON     `json:"runs"`
		}{Component: toComponentJSON(c, true), Runs: []runJSON{}}
		if mdErr == nil {
			out.Signature = md.Signature.String()
		}
		for _, r := range runs {
			out.Runs = append(out.Runs, toRunJSON(r))
		}
		return writeJSON(stdout, out)
	}
	tw := newTable(stdout)
	fmt.Fprintf(tw, "hash\t%s\n", c.Hash)
	fmt.Fprintf(tw, "name\t%s\n", c.Name)
	fmt.Fprintf(tw, "kind\t%s\n", orDash(c.Kind))
	if mdErr == nil {
		fmt.Fprintf(tw, "scheme\t%s, version %d\n", md.Scheme, md.Version)
		fmt.Fprintf(tw, "signature\t%s\n", md.Signature)
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
	fmt.Fprintf(stdout, "\nruns (%d)\n", len(runs))
	if len(runs) == 0 {
		fmt.Fprintln(stdout, "  none recorded")
		return nil
	}
	tw = newTable(stdout)
	fmt.Fprintln(tw, "  RUN\tROLE\tSTATUS\tSTARTED\tFINAL")
	for _, r := range runs {
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

func showRun(ctx context.Context, f *cmdFlags, s store.Store, r store.Run, stdout io.Writer) error {
	ms, err := s.Metrics(ctx, r.ID)
	if err != nil {
		return storeErr(err)
	}
	comps := make([]store.Component, len(r.Components))
	for i, l := range r.Components {
		c, err := s.Component(ctx, l.Hash)
		if err != nil {
			return storeErr(fmt.Errorf("run %s: %s component: %w", r.ID, l.Role, err))
		}
		comps[i] = c
	}
	last := lastMetrics(ms)
	if f.json {
		type roleJSON struct {
			Role string `json:"role"`
			componentJSON
		}
		checkpoint, _ := checkpointOf(r)
		out := struct {
			Run        runJSON        `json:"run"`
			Checkpoint string         `json:"checkpoint,omitempty"`
			Components []roleJSON     `json:"components"`
			Metrics    []metricJSON   `json:"metrics"`
			Last       map[string]any `json:"last_metrics,omitempty"`
		}{Run: toRunJSON(r), Checkpoint: checkpoint, Components: []roleJSON{}, Metrics: []metricJSON{}}
		for i, c := range comps {
			out.Components = append(out.Components, roleJSON{r.Components[i].Role, toComponentJSON(c, true)})
		}
		for _, m := range ms {
			out.Metrics = append(out.Metrics, metricJSON{m.Step, m.Name, jsonFloat(m.Value)})
		}
		return writeJSON(stdout, out)
	}
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
	for i, c := range comps {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Components[i].Role, c.Name, c.Hash)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nmetrics (%d values)\n", len(ms))
	if len(last) == 0 {
		fmt.Fprintln(stdout, "  none recorded")
		return nil
	}
	tw = newTable(stdout)
	fmt.Fprintln(tw, "  NAME\tLAST STEP\tLAST VALUE\tVALUES")
	for _, m := range last {
		fmt.Fprintf(tw, "  %s\t%d\t%.6g\t%d\n", m.name, m.step, m.value, m.count)
	}
	return tw.Flush()
}

type metricJSON struct {
	Step  int64  `json:"step"`
	Name  string `json:"name"`
	Value any    `json:"value"`
}

type lastMetric struct {
	name  string
	step  int64
	value float64
	count int
}

// lastMetrics returns each metric's last value and how many it has, by name.
func lastMetrics(ms []store.Metric) []lastMetric {
	by := map[string]*lastMetric{}
	for _, m := range ms {
		l := by[m.Name]
		if l == nil {
			l = &lastMetric{name: m.Name}
			by[m.Name] = l
		}
		l.count++
		if l.count == 1 || m.Step >= l.step {
			l.step, l.value = m.Step, m.Value
		}
	}
	out := make([]lastMetric, 0, len(by))
	for _, l := range by {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
