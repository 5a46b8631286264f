package web

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry/store"
)

// comparePage is the data of the compare view.
type comparePage struct {
	Runs    []store.Run
	Rows    []compareRow // the configurations, path by path
	Differ  int          // how many rows differ
	Same    int          // how many do not
	ShowAll bool
	AllURL  string // the view with every row, without JavaScript
	DiffURL string // the view with the differences only
	Finals  []compareFinal
	Metrics []string // the step metrics logged, for the overlaid curves
}

// compareRow is one argument (or setting) of the runs' configurations.
type compareRow struct {
	Path   string
	Values []string // by run; "—" where absent
	Differ bool
}

// compareFinal is one final metric of the runs.
type compareFinal struct {
	Name   string
	Values []string
}

// maxCompared is the most runs one compare view takes.
const maxCompared = 12

// compare serves /compare?runs=ID1,ID2[,…]: the runs' configurations
// side by side, only the differences unless all=1; their final metrics; and
// (drawn by compare.js) their curves overlaid.
func (u *UI) compare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var ids []string
	for _, v := range r.URL.Query()["runs"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) < 2 || len(ids) > maxCompared {
		u.fail(w, r, asInvalid("runs: got %d run IDs, expected 2 to %d, comma-separated: /compare?runs=ID1,ID2 (select them in the runs table)", len(ids), maxCompared))
		return
	}
	p := comparePage{ShowAll: r.URL.Query().Get("all") == "1"}
	configs := make([][]byte, len(ids))
	fields := make([]map[string]string, len(ids))
	for i, id := range ids {
		run, err := u.cfg.Runs.Get(ctx, id)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		p.Runs = append(p.Runs, run)
		if configs[i], err = store.RunConfig(ctx, u.cfg.Runs.Store, run); err != nil {
			u.fail(w, r, err)
			return
		}
		fs, err := store.Flatten(configs[i])
		if err != nil {
			u.fail(w, r, err)
			return
		}
		fields[i] = map[string]string{}
		for _, f := range fs {
			fields[i][f.Path] = compact(f.Value)
		}
	}
	// The CLI's diff of the first run with each other names the rows
	// that differ, the nested components' arguments included.
	differ := map[string]bool{}
	for i := 1; i < len(ids); i++ {
		changes, err := store.Diff(configs[0], configs[i])
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, c := range changes {
			differ[c.Path] = true
			if _, ok := fields[0][c.Path]; !ok && c.Old != nil {
				fields[0][c.Path] = compact(c.Old)
			}
			if _, ok := fields[i][c.Path]; !ok && c.New != nil {
				fields[i][c.Path] = compact(c.New)
			}
		}
	}
	paths := map[string]bool{}
	for _, f := range fields {
		for k := range f {
			paths[k] = true
		}
	}
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		row := compareRow{Path: path, Differ: differ[path]}
		for i := range ids {
			v, ok := fields[i][path]
			if !ok {
				v = "—"
			}
			if i > 0 && v != row.Values[0] {
				row.Differ = true
			}
			row.Values = append(row.Values, v)
		}
		if row.Differ {
			p.Differ++
		} else {
			p.Same++
		}
		p.Rows = append(p.Rows, row)
	}
	finals := map[string]bool{}
	for _, run := range p.Runs {
		for k := range run.Final {
			finals[k] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(finals)) {
		f := compareFinal{Name: name}
		for _, run := range p.Runs {
			v, ok := run.Final[name]
			f.Values = append(f.Values, map[bool]string{true: number(v), false: "—"}[ok])
		}
		p.Finals = append(p.Finals, f)
	}
	metrics := map[string]bool{}
	for _, run := range p.Runs {
		ms, err := u.cfg.Runs.Store.Metrics(ctx, run.ID)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, m := range ms {
			metrics[m.Name] = true
		}
	}
	p.Metrics = slices.Sorted(maps.Keys(metrics))
	list := make([]string, len(p.Runs))
	for i, run := range p.Runs {
		list[i] = run.ID
	}
	base := "/compare?runs=" + strings.Join(list, ",")
	p.AllURL, p.DiffURL = base+"&all=1", base
	api := "/v1/diff?a=" + list[0] + "&b=" + list[1]
	u.render(w, "compare", http.StatusOK, page{Title: "Compare " + strings.Join(list, ", "), Nav: "runs", API: api, Data: p})
}

// compact returns a JSON value without insignificant space.
func compact(v []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return string(v)
	}
	return b.String()
}
