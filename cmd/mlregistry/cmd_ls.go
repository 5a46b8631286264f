package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/mlregistry/mlregistry/store"
)

func init() {
	addCommand(command{
		name:    "ls",
		summary: "list recorded components (by name, kind) or runs (by component, status)",
		run:     runLs,
	})
}

const lsAbout = `
List what the store recorded: components (the default), ordered by name, or
runs, newest first. One page at a time: --limit N entries; when there are more,
the next page is --after CURSOR (printed to stderr, or "next" in --json).

  mlregistry ls --kind optimizer
  mlregistry ls --name Perceptron --json
  mlregistry ls runs --component 3f2a9c --status succeeded`

func runLs(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("ls", "ls [flags] [components|runs]", lsAbout)
	name := f.String("name", "", "components: only those registered under this `name`")
	kind := f.String("kind", "", "components: only those of this registry `kind` (model, criterion, optimizer, dataset)")
	comp := f.String("component", "", "runs: only those that used the component with this `hash` (or unique prefix)")
	role := f.String("role", "", "runs: with --component, only where it had this `role`")
	status := f.String("status", "", "runs: only those with this `status` ("+strings.Join(store.Statuses, ", ")+")")
	limit := f.Int("limit", 50, fmt.Sprintf("at most `N` entries, 1 to %d", store.MaxLimit))
	after := f.String("after", "", "the page after this `cursor`, as the previous page printed")
	ops, err := f.parse(args, -1, stdout)
	if err != nil {
		return err
	}
	what := "components"
	switch {
	case len(ops) > 1:
		return fmt.Errorf("%w: expected at most one argument, components or runs, got %q", errUsage, ops)
	case len(ops) == 1:
		what = ops[0]
	}
	if err := checkLsFilters(*kind, *comp, *role, *status, *limit); err != nil {
		return err
	}
	if *comp != "" {
		if *comp, err = checkHashPrefix(*comp); err != nil {
			return fmt.Errorf("--component: %w", err)
		}
	}
	ctx := context.Background()
	switch what {
	case "components", "component", "c":
		if *comp != "" || *status != "" || *role != "" {
			return fmt.Errorf("%w: --component, --role and --status filter runs: use 'mlregistry ls runs'", errUsage)
		}
		s, err := f.open(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		page, err := s.Components(ctx, store.ComponentFilter{Name: *name, Kind: *kind, Limit: *limit, After: *after})
		if err != nil {
			return storeErr(err)
		}
		return printComponents(f, page, stdout, stderr)
	case "runs", "run", "r":
		if *name != "" || *kind != "" {
			return fmt.Errorf("%w: --name and --kind filter components; for runs use --component HASH", errUsage)
		}
		s, err := f.open(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		var of *store.Component // the component --component resolved to
		if *comp != "" {
			c, err := s.Component(ctx, *comp)
			if err != nil {
				return storeErr(fmt.Errorf("--component %s: %w", *comp, err))
			}
			of, *comp = &c, c.Hash
		}
		runs, err := s.Runs(ctx, store.RunFilter{Component: *comp, Role: *role, Status: *status, Limit: *limit, After: *after})
		if err != nil {
			return storeErr(err)
		}
		next := ""
		if len(runs) == *limit && *limit > 0 {
			next = runs[len(runs)-1].ID
		}
		return printRuns(ctx, f, s, of, runs, next, stdout, stderr)
	}
	return fmt.Errorf("%w: unknown listing %q: expected components or runs", errUsage, what)
}

func printComponents(f *cmdFlags, page store.ComponentPage, stdout, stderr io.Writer) error {
	if f.json {
		out := struct {
			Components []componentJSON `json:"components"`
			Next       string          `json:"next,omitempty"`
		}{Components: []componentJSON{}, Next: page.Next}
		for _, c := range page.Components {
			out.Components = append(out.Components, toComponentJSON(c, false))
		}
		return writeJSON(stdout, out)
	}
	if len(page.Components) == 0 {
		fmt.Fprintln(stderr, "no components recorded that match")
		return nil
	}
	tw := newTable(stdout)
	fmt.Fprintln(tw, "HASH\tNAME\tKIND\tFIRST SEEN\tLAST SEEN")
	for _, c := range page.Components {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Hash, c.Name, orDash(c.Kind), when(c.FirstSeen), when(c.LastSeen))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if page.Next != "" {
		fmt.Fprintf(stderr, "more: mlregistry ls%s --after %s\n", f.repeatFilters(), page.Next)
	}
	return nil
}

// printRuns prints a page of runs; of, when not nil, is the component
// whose runs they are, echoed by its full hash.
func printRuns(ctx context.Context, f *cmdFlags, s store.Store, of *store.Component, runs []store.Run, next string, stdout, stderr io.Writer) error {
	if f.json {
		out := struct {
			Component *componentJSON `json:"component,omitempty"`
			Runs      []runJSON      `json:"runs"`
			Next      string         `json:"next,omitempty"`
		}{Runs: []runJSON{}, Next: next}
		if of != nil {
			c := toComponentJSON(*of, false)
			out.Component = &c
		}
		for _, r := range runs {
			out.Runs = append(out.Runs, toRunJSON(r))
		}
		return writeJSON(stdout, out)
	}
	if of != nil {
		fmt.Fprintf(stderr, "runs of %s %s\n", of.Name, of.Hash)
	}
	if len(runs) == 0 {
		fmt.Fprintln(stderr, "no runs recorded that match")
		return nil
	}
	names := map[string]string{} // hash → name, looked up once
	tw := newTable(stdout)
	fmt.Fprintln(tw, "RUN\tSTATUS\tHOST\tSTARTED\tENDED\tCOMPONENTS\tFINAL")
	for _, r := range runs {
		var comps []string
		for _, l := range r.Components {
			n, ok := names[l.Hash]
			if !ok {
				if c, err := s.Component(ctx, l.Hash); err == nil {
					n = c.Name
				}
				names[l.Hash] = n
			}
			comps = append(comps, fmt.Sprintf("%s=%s(%s)", l.Role, orDash(n), l.Hash[:8]))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Status, hostLine(r), when(r.StartedAt), when(r.EndedAt), orDash(strings.Join(comps, " ")), orDash(formatFinal(r.Final)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if next != "" {
		fmt.Fprintf(stderr, "more: mlregistry ls runs%s --after %s\n", f.repeatFilters(), next)
	}
	return nil
}

// formatFinal formats final metrics as "name=value …", sorted by name.
func formatFinal(final map[string]float64) string {
	keys := make([]string, 0, len(final))
	for k := range final {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%.4g", k, final[k])
	}
	return strings.Join(parts, " ")
}

// repeatFilters returns the flags given, but --after, for the "more:" hint.
func (f *cmdFlags) repeatFilters() string {
	var b strings.Builder
	f.Visit(func(fl *flagT) {
		if fl.Name != "after" {
			fmt.Fprintf(&b, " --%s=%s", fl.Name, shellQuote(fl.Value.String()))
		}
	})
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// checkLsFilters reports the filter values outside their documented sets,
// all at once, each with the values it may take.
func checkLsFilters(kind, comp, role, status string, limit int) error {
	var errs []error
	errs = append(errs, checkKind(kind))
	if status != "" && !slices.Contains(store.Statuses, status) {
		errs = append(errs, fmt.Errorf("--status %q: expected one of %s%s", status, strings.Join(store.Statuses, ", "), nearest(status, store.Statuses)))
	}
	if role != "" && comp == "" {
		errs = append(errs, errors.New("--role filters the runs of a component: give --component HASH too"))
	}
	if role != "" && !slices.Contains(pipelineRoles, role) {
		errs = append(errs, fmt.Errorf("--role %q: expected one of %s%s", role, strings.Join(pipelineRoles, ", "), nearest(role, pipelineRoles)))
	}
	if limit < 1 || limit > store.MaxLimit {
		errs = append(errs, fmt.Errorf("--limit %d: expected 1 to %d", limit, store.MaxLimit))
	}
	if err := errors.Join(errs...); err != nil {
		return exitAs(errUsage, err)
	}
	return nil
}

// hostLine says where a run runs (or ran): its owner's host and pid, with
// the attempt when it was started more than once; "-" while queued.
func hostLine(r store.Run) string {
	line := ownerLine(r.Owner)
	if r.Attempts > 1 && line != "-" {
		line += fmt.Sprintf(" (attempt %d)", r.Attempts)
	}
	return line
}
