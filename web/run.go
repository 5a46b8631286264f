package web

import (
	"cmp"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/service"

	"github.com/mlregistry/mlregistry/store"
)

// runPage is the data of a run's page.
type runPage struct {
	store.Run
	Components   []component
	Params       []keyValue
	Final        []keyValue
	Series       []series // each step metric: its points' count and last value
	Checkpoint   string   // the checkpoint's path, when it is there
	NoCheckpoint string   // why there is none
	Rebuild      string   // the command that rebuilds the run's components
	Artifacts    string   // the artifacts' URL, redacted for display
	Active       bool     // queued or running: the curve grows live
}

// keyValue is one setting or final metric.
type keyValue struct {
	Key   string
	Value string
}

// series is one step metric of a run.
type series struct {
	Name                string
	Points              int
	FirstStep, LastStep int64
	Last                float64
}

// run serves /runs/{id}.
func (u *UI) run(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	run, err := u.cfg.Runs.Get(ctx, r.PathValue("id"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if run.ID != r.PathValue("id") { // a prefix: the page's address is the full ID
		http.Redirect(w, r, "/runs/"+run.ID, http.StatusFound)
		return
	}
	ms, err := u.cfg.Runs.Store.Metrics(ctx, run.ID)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := runPage{Run: run, Active: run.Status == store.StatusQueued || run.Status == store.StatusRunning}
	comps := components{ctx: ctx, s: u.cfg.Runs.Store}
	for _, l := range run.Components {
		p.Components = append(p.Components, comps.get(l.Role, l.Hash))
	}
	for _, k := range slices.Sorted(maps.Keys(run.Params)) {
		p.Params = append(p.Params, keyValue{k, service.FormatValue(run.Params[k])})
	}
	for _, k := range slices.Sorted(maps.Keys(run.Final)) {
		p.Final = append(p.Final, keyValue{k, number(run.Final[k])})
	}
	p.Series = seriesOf(ms)
	p.Checkpoint, p.NoCheckpoint = checkpointOf(run)
	if run.ArtifactURL != "" {
		p.Artifacts = artifacts.Redact(run.ArtifactURL)
	}
	p.Rebuild = "mlregistry rebuild --db " + shellQuote(u.cfg.DB) + " " + run.ID
	u.render(w, "run", http.StatusOK, page{Title: run.ID, Nav: "runs", API: "/v1/runs/" + run.ID, Data: p})
}

// seriesOf summarizes metrics by name.
func seriesOf(ms []store.Metric) []series {
	by := map[string]*series{}
	for _, m := range ms {
		s := by[m.Name]
		if s == nil {
			s = &series{Name: m.Name, FirstStep: m.Step}
			by[m.Name] = s
		}
		s.Points++
		s.LastStep, s.Last = m.Step, m.Value
	}
	out := make([]series, 0, len(by))
	for _, s := range by {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b series) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// checkpointOf returns the run's checkpoint directory when it is on disk,
// or why there is none.
func checkpointOf(r store.Run) (path, none string) {
	switch {
	case r.ArtifactURL != "" && r.Status == store.StatusSucceeded:
		return "", "in the artifacts (checkpoint/ under the URL above): fetched and checked against the SHA-256 when the run is loaded"
	case r.ArtifactDir == "":
		return "", "none: the run saved no run directory"
	case r.Status != store.StatusSucceeded:
		return "", "none: a run directory is kept only when the run succeeds"
	}
	cp := filepath.Join(r.ArtifactDir, "checkpoint")
	if _, err := os.Stat(cp); err != nil {
		return "", "missing: " + cp + " is not on this server's disk"
	}
	return cp, ""
}

// shellSafe matches what a POSIX shell takes as one word, unquoted.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9/._:@+,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
