package serve

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// RunList is a page of runs.
type RunList struct {
	Runs []store.Run `json:"runs"`
	Next string      `json:"next,omitempty" doc:"the cursor of the next page (pass it as after); absent on the last page"`
}

// MetricList is a page of a run's metrics.
type MetricList struct {
	RunID   string         `json:"run_id"`
	Metrics []store.Metric `json:"metrics"`
	Next    int64          `json:"next,omitempty" doc:"the step to pass as after for the next page; absent on the last page"`
}

type listRunsInput struct {
	Component string `query:"component" doc:"a component's hash (or prefix) the runs used"`
	Role      string `query:"role" doc:"with component: the role it played"`
	Status    string `query:"status" enum:"queued,running,succeeded,failed,canceled,interrupted,lost," doc:"only runs of this status"`
	Limit     int    `query:"limit" minimum:"0" maximum:"10000" doc:"page size: 1 to 10000; 0 or absent for 100"`
	After     string `query:"after" doc:"the cursor of the previous page's next"`
	Name      string `query:"name" doc:"only runs that used a component of this registered name, e.g. Adam (in role, when given)"`
	Kind      string `query:"kind" enum:"model,criterion,optimizer,dataset," doc:"only runs that used a component of this kind (with name: that component)"`
	Metric    string `query:"metric" doc:"a final metric's name, e.g. test_accuracy: with min and max, only runs whose value lies in the range; alone, runs that have it"`
	Min       string `query:"min" doc:"with metric: the least value (a number)"`
	Max       string `query:"max" doc:"with metric: the greatest value (a number)"`
	Sort      string `query:"sort" doc:"order by this final metric (runs without it are left out) instead of newest first"`
	Order     string `query:"order" enum:"desc,asc," doc:"with sort: desc (highest first, the default) or asc"`
}

// filter returns the store filter in asks for, or an error naming the
// parameter that is not a number.
func (in *listRunsInput) filter() (store.RunFilter, error) {
	f := store.RunFilter{Component: in.Component, Role: in.Role, Status: in.Status, Limit: in.Limit, After: in.After,
		Name: in.Name, Kind: in.Kind, Metric: in.Metric, Sort: in.Sort, Ascending: in.Order == "asc"}
	var err error
	if f.Min, err = service.ParseBound("min", in.Min); err != nil {
		return f, err
	}
	f.Max, err = service.ParseBound("max", in.Max)
	return f, err
}

type runInput struct {
	ID string `path:"id" doc:"a run's ID or a unique prefix of it"`
}

type metricsInput struct {
	ID    string `path:"id"`
	Name  string `query:"name" doc:"only this metric, e.g. batch_loss"`
	After int64  `query:"after" minimum:"0" doc:"only steps after this one"`
	Limit int    `query:"limit" minimum:"0" maximum:"10000" doc:"at most this many metrics; 0 or absent for 100"`
}

type diffInput struct {
	A string `query:"a" required:"true" doc:"a run ID or component hash (or prefix)"`
	B string `query:"b" required:"true" doc:"a run ID or component hash (or prefix)"`
}

type accepted struct {
	Location string `header:"Location"`
	Body     store.Run
}

// registerRuns registers /v1's run routes.
func (s *Server) registerRuns() {
	api := s.api
	submit := mutates(op(http.MethodPost, "/v1/runs", "submit-run", "Submit a training run: a pipeline spec, as train --pipeline takes it", "runs"))
	submit.DefaultStatus = http.StatusAccepted
	submit.Description = "The spec is validated fully (every problem at once, with JSON paths) before the run is queued; the answer is the run, queued. Follow it with GET /v1/runs/{id}/events."
	registerRaw(api, submit, "a pipeline spec, as train --pipeline takes it: "+specBody[:strings.Index(specBody, "), ")+1], func(ctx context.Context, in *rawJSON) (*accepted, error) {
		run, err := s.runs.Submit(ctx, in.RawBody)
		if err != nil {
			return nil, fail(err)
		}
		return &accepted{Location: "/v1/runs/" + run.ID, Body: run}, nil
	})
	huma.Register(api, op(http.MethodGet, "/v1/runs", "list-runs", "List runs, newest first, a page at a time", "runs"),
		func(ctx context.Context, in *listRunsInput) (*body[RunList], error) {
			f, err := in.filter()
			if err != nil {
				return nil, fail(err)
			}
			runs, next, err := s.runs.List(ctx, f)
			if err != nil {
				return nil, fail(err)
			}
			if runs == nil {
				runs = []store.Run{}
			}
			return &body[RunList]{RunList{Runs: runs, Next: next}}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v1/runs/{id}", "get-run", "A run: components, settings, final metrics, status with heartbeat", "runs"),
		func(ctx context.Context, in *runInput) (*body[store.Run], error) {
			r, err := s.runs.Get(ctx, in.ID)
			if err != nil {
				return nil, fail(err)
			}
			return &body[store.Run]{r}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v1/runs/{id}/metrics", "run-metrics", "A run's metrics by step, a page at a time", "runs"),
		func(ctx context.Context, in *metricsInput) (*body[MetricList], error) {
			ms, next, err := s.runs.Metrics(ctx, in.ID, in.Name, in.After, in.Limit)
			if err != nil {
				return nil, fail(err)
			}
			r, _ := s.runs.Get(ctx, in.ID)
			return &body[MetricList]{MetricList{RunID: r.ID, Metrics: ms, Next: next}}, nil
		})
	huma.Register(api, mutates(op(http.MethodPost, "/v1/runs/{id}/cancel", "cancel-run", "Cancel a run: a queued one never starts, a running one stops at its next step", "runs")),
		func(ctx context.Context, in *runInput) (*body[store.Run], error) {
			r, err := s.runs.Cancel(ctx, in.ID)
			if err != nil {
				return nil, fail(err)
			}
			return &body[store.Run]{r}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v1/diff", "diff", "Two runs' configurations (or two components) compared, argument by argument", "runs"),
		func(ctx context.Context, in *diffInput) (*body[service.Diff], error) {
			d, err := s.records.Diff(ctx, service.Operand{Ref: in.A}, service.Operand{Ref: in.B})
			if err != nil {
				return nil, fail(err)
			}
			return &body[service.Diff]{d}, nil
		})
}
