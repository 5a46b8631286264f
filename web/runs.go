package web

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// runsPage is the data of the runs table.
type runsPage struct {
	Filter   runsFilter
	Rows     []runRow
	Metrics  []string // the final metrics' names, the table's last columns
	Next     string   // the next page's URL; "" on the last page
	First    string   // the first page's URL, when this is not it
	Statuses []string
	Kinds    []string
	Names    []string // the registered components' names, for the filter
}

// runsFilter is the runs table's query: the same parameters as GET /v1/runs.
type runsFilter struct {
	Name, Kind, Status, Metric, Min, Max, Sort, Order, After string
	Limit                                                    int
}

// runRow is one run in the table.
type runRow struct {
	store.Run
	Model     component
	Arguments string // the key arguments: the model's, the optimizer and the training settings
}

// query returns f as URL query parameters, with after set to after.
func (f runsFilter) query(after string) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"name": f.Name, "kind": f.Kind, "status": f.Status, "metric": f.Metric,
		"min": f.Min, "max": f.Max, "sort": f.Sort, "order": f.Order, "after": after} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	return q
}

// SortURL is the URL of the table sorted by metric: highest first, or
// lowest first when it is sorted highest first already.
func (f runsFilter) SortURL(metric string) string {
	g := f
	g.Sort, g.Order = metric, ""
	if f.Sort == metric && f.Order != "asc" {
		g.Order = "asc"
	}
	return "/?" + g.query("").Encode()
}

// SortMark is the arrow of a metric's column header: ↓ sorted highest
// first, ↑ lowest first, "" unsorted.
func (f runsFilter) SortMark(metric string) string {
	switch {
	case f.Sort != metric:
		return ""
	case f.Order == "asc":
		return "↑"
	}
	return "↓"
}

// AriaSort is the aria-sort value of a metric's column header.
func (f runsFilter) AriaSort(metric string) string {
	switch {
	case f.Sort != metric:
		return "none"
	case f.Order == "asc":
		return "ascending"
	}
	return "descending"
}

// runs serves / : the runs table.
func (u *UI) runs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := runsFilter{Name: q.Get("name"), Kind: q.Get("kind"), Status: q.Get("status"), Metric: q.Get("metric"),
		Min: q.Get("min"), Max: q.Get("max"), Sort: q.Get("sort"), Order: q.Get("order"), After: q.Get("after")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			u.fail(w, r, asInvalid("limit %q: expected a whole number, 1 to %d", l, store.MaxLimit))
			return
		}
		f.Limit = n
	}
	sf := store.RunFilter{Name: f.Name, Kind: f.Kind, Status: f.Status, Metric: f.Metric, Sort: f.Sort,
		Ascending: f.Order == "asc", After: f.After, Limit: f.Limit}
	var err error
	if sf.Min, err = service.ParseBound("min", f.Min); err == nil {
		sf.Max, err = service.ParseBound("max", f.Max)
	}
	if err == nil && f.Order != "" && f.Order != "asc" && f.Order != "desc" {
		err = asInvalid("order %q: expected asc or desc", f.Order)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	runs, next, err := u.cfg.Runs.List(r.Context(), sf)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := runsPage{Filter: f, Statuses: store.Statuses, Kinds: u.cfg.Catalogue.Kinds()}
	if cs, err := u.cfg.Catalogue.Components(""); err == nil {
		for _, c := range cs {
			p.Names = append(p.Names, c.Name)
		}
	}
	metrics := map[string]bool{}
	comps := components{ctx: r.Context(), s: u.cfg.Runs.Store}
	for _, run := range runs {
		row := runRow{Run: run}
		for _, l := range run.Components {
			if l.Role == "model" {
				row.Model = comps.get(l.Role, l.Hash)
			}
		}
		row.Arguments = keyArguments(&comps, run)
		for k := range run.Final {
			metrics[k] = true
		}
		p.Rows = append(p.Rows, row)
	}
	p.Metrics = slices.Sorted(maps.Keys(metrics))
	if next != "" {
		p.Next = "/?" + f.query(next).Encode()
	}
	if f.After != "" {
		p.First = "/?" + f.query("").Encode()
	}
	api := "/v1/runs"
	if enc := f.query(f.After).Encode(); enc != "" {
		api += "?" + enc
	}
	u.render(w, "runs", http.StatusOK, page{Title: "Runs", Nav: "runs", API: api, Data: p})
}

// keyArguments summarizes what sets a run apart: its model's arguments,
// its optimizer and its training settings.
func keyArguments(comps *components, run store.Run) string {
	var s string
	for _, l := range run.Components {
		c := comps.get(l.Role, l.Hash)
		switch l.Role {
		case "model":
			s = c.Call[len(c.Name):] + s
		case "optimizer":
			s += " · " + c.Call
		}
	}
	for _, k := range []string{"batch_size", "steps", "epochs", "seed"} {
		if v, ok := run.Params[k]; ok && v != 0.0 && v != nil {
			s += " · " + k + " " + service.FormatValue(v)
		}
	}
	return s
}

// components reads recorded components for one request, each once.
type components struct {
	ctx  context.Context
	s    store.Store
	seen map[string]component
}

// get returns the component of hash in role; one the store cannot give
// shows its hash only.
func (cs *components) get(role, hash string) component {
	if c, ok := cs.seen[hash]; ok {
		c.Role = role
		return c
	}
	if cs.seen == nil {
		cs.seen = map[string]component{}
	}
	rec, err := cs.s.Component(cs.ctx, hash)
	c := component{Role: role, Hash: hash, Name: "?", Call: "?(…)"}
	if err == nil {
		c = componentOf(role, rec.Name, rec.Kind, rec.Hash, rec.Envelope)
	}
	cs.seen[hash] = c
	return c
}
