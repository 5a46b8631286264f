package service

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/store"
)

// Shown is a recorded component — with its signature and the runs that
// used it — or a run — with its components, by role, and its metrics —
// whichever a reference named: mlregistry show REF --json and
// GET /v1/records/{ref}.
type Shown struct {
	What string `json:"what" enum:"component,run" doc:"what the reference named"`

	Component *store.Component `json:"component,omitempty" doc:"the recorded component (what: component)"`
	Signature string           `json:"signature,omitempty" doc:"its recorded signature (what: component)"`
	Runs      []store.Run      `json:"runs,omitempty" doc:"the runs that used it, newest first, at most 10000 (what: component)"`

	Run         *store.Run      `json:"run,omitempty" doc:"the run (what: run)"`
	Components  []RoleComponent `json:"components,omitempty" doc:"its components, with their envelopes (what: run)"`
	Metrics     []MetricValue   `json:"metrics,omitempty" doc:"every metric it recorded, by step (what: run)"`
	LastMetrics []LastMetric    `json:"last_metrics,omitempty" doc:"each metric's last value, by name (what: run)"`
}

// RoleComponent is a run's component, with the role it played.
type RoleComponent struct {
	Role string `json:"role"`
	store.Component
}

// MetricValue is one value of a run's metric at a step.
type MetricValue struct {
	Step  int64  `json:"step"`
	Name  string `json:"name"`
	Value Number `json:"value"`
}

// LastMetric is a metric's last value in a run and how many it has.
type LastMetric struct {
	Name   string `json:"name"`
	Step   int64  `json:"step" doc:"the step of the last value"`
	Value  Number `json:"value"`
	Values int    `json:"values" doc:"how many values the run recorded under this name"`
}

// Number is a float64 that JSON can always hold: a number, or the string
// "NaN", "+Inf" or "-Inf" (a diverged run's loss), which JSON has no
// number for.
type Number float64

// MarshalJSON writes n as a number, or as a string when it is not finite.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte(`"` + strconv.FormatFloat(f, 'g', -1, 64) + `"`), nil
	}
	return json.Marshal(f)
}

// Show returns what ref names: a recorded component, by its hash or a
// unique prefix of it (4 to 32 hex digits), or a run, by its ID or a
// unique prefix of it.
func (rs *Records) Show(ctx context.Context, ref string) (Shown, error) {
	c, r, err := rs.resolve(ctx, ref)
	if err != nil {
		return Shown{}, err
	}
	if c != nil {
		return rs.showComponent(ctx, *c)
	}
	return rs.showRun(ctx, *r)
}

// showComponent is a component with its signature and runs.
func (rs *Records) showComponent(ctx context.Context, c store.Component) (Shown, error) {
	runs, err := rs.Store.Runs(ctx, store.RunFilter{Component: c.Hash, Limit: store.MaxLimit})
	if err != nil {
		return Shown{}, storeError(err)
	}
	out := Shown{What: "component", Component: &c, Runs: runs}
	var md mlregistry.Metadata
	if json.Unmarshal(c.Envelope, &md) == nil {
		out.Signature = md.Signature.String()
	}
	return out, nil
}

// showRun is a run with its components and metrics.
func (rs *Records) showRun(ctx context.Context, r store.Run) (Shown, error) {
	ms, err := rs.Store.Metrics(ctx, r.ID)
	if err != nil {
		return Shown{}, storeError(err)
	}
	comps, err := rs.components(ctx, r)
	if err != nil {
		return Shown{}, err
	}
	out := Shown{What: "run", Run: &r, LastMetrics: lastMetrics(ms)}
	for _, m := range ms {
		out.Metrics = append(out.Metrics, MetricValue{Step: m.Step, Name: m.Name, Value: Number(m.Value)})
	}
	for i, c := range comps {
		out.Components = append(out.Components, RoleComponent{Role: r.Components[i].Role, Component: c})
	}
	return out, nil
}

// lastMetrics returns each metric's last value and how many it has, by name.
func lastMetrics(ms []store.Metric) []LastMetric {
	by := map[string]*LastMetric{}
	for _, m := range ms {
		l := by[m.Name]
		if l == nil {
			l = &LastMetric{Name: m.Name}
			by[m.Name] = l
		}
		l.Values++
		if l.Values == 1 || m.Step >= l.Step {
			l.Step, l.Value = m.Step, Number(m.Value)
		}
	}
	out := make([]LastMetric, 0, len(by))
	for _, l := range by {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b LastMetric) int { return strings.Compare(a.Name, b.Name) })
	return out
}
