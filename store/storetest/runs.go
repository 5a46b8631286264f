package storetest

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

func testRuns(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	cs, links := pipeline("r1")
	started := time.Date(2026, 11, 27, 5, 0, 0, 123456000, time.UTC)
	r, err := s.StartRun(ctx, store.Run{
		StartedAt:   started,
		ArtifactDir: "/tmp/runs/r1",
		Components:  links,
		Params:      map[string]any{"batch_size": 64.0, "steps": 100.0, "seed": 1.0},
		Records:     cs,
	})
	if err != nil {
		t.Fatalf("StartRun: %v", err)
	}
	if r.ID == "" || r.Status != store.StatusRunning || !r.StartedAt.Equal(started) || !r.EndedAt.IsZero() {
		t.Fatalf("StartRun = %+v: want an ID, status running, StartedAt %v, no EndedAt", r, started)
	}
	if r.Owner != store.ThisProcess() || r.LastSeen.IsZero() || r.LostAfter != store.DefaultLostAfter {
		t.Errorf("StartRun: owner %+v, last seen %v, lost after %v; want this process, now, %v", r.Owner, r.LastSeen, r.LostAfter, store.DefaultLostAfter)
	}
	for _, c := range cs {
		if _, err := s.Component(ctx, c.Hash); err != nil {
			t.Errorf("component %s of the run: %v", c.Hash, err)
		}
	}
	got, err := s.Run(ctx, r.ID)
	if err != nil {
		t.Fatalf("Run(%s): %v", r.ID, err)
	}
	want := r
	want.Records = nil
	want.Components = []store.RunComponent{links[1], links[0], links[2]} // by role
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Run:\n got %+v\nwant %+v", got, want)
	}
	if got, err := s.Run(ctx, r.ID[:len(r.ID)-3]); err != nil || got.ID != r.ID {
		t.Errorf("Run(prefix) = %s, %v; want %s", got.ID, err, r.ID)
	}

	final := map[string]float64{"test_accuracy": 0.97, "loss": math.NaN(), "grad": math.Inf(1)}
	if err := s.FinishRun(ctx, r.ID, store.StatusSucceeded, final); err != nil {
		t.Fatalf("FinishRun: %v", err)
	}
	got, err = s.Run(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.StatusSucceeded || got.EndedAt.IsZero() || got.EndedAt.Before(got.StartedAt) {
		t.Errorf("after FinishRun: status %q, ended %v; want succeeded, after %v", got.Status, got.EndedAt, got.StartedAt)
	}
	if got.Final["test_accuracy"] != 0.97 || !math.IsNaN(got.Final["loss"]) || !math.IsInf(got.Final["grad"], 1) {
		t.Errorf("Final = %v, want %v", got.Final, final)
	}

	// A second run reusing two components: Runs by component finds both or one.
	cs2, links2 := pipeline("r2")
	links2[0] = links[0]
	r2, err := s.StartRun(ctx, store.Run{ID: "my-run-2", Components: links2, Records: cs2[1:]})
	if err != nil {
		t.Fatalf("StartRun with a given ID: %v", err)
	}
	if r2.ID != "my-run-2" {
		t.Errorf("StartRun kept ID %q, want my-run-2", r2.ID)
	}
	tests := []struct {
		f    store.RunFilter
		want []string
	}{
		{store.RunFilter{Component: links[0].Hash}, []string{r2.ID, r.ID}},
		{store.RunFilter{Component: links[0].Hash[:8]}, []string{r2.ID, r.ID}},
		{store.RunFilter{Component: links[0].Hash, Role: "model"}, []string{r2.ID, r.ID}},
		{store.RunFilter{Component: links[0].Hash, Role: "optimizer"}, nil},
		{store.RunFilter{Component: links[2].Hash}, []string{r.ID}},
		{store.RunFilter{Status: store.StatusRunning}, []string{r2.ID}},
		{store.RunFilter{}, []string{r2.ID, r.ID}},
		{store.RunFilter{Limit: 1}, []string{r2.ID}},
		{store.RunFilter{After: r2.ID}, []string{r.ID}},
	}
	for _, tt := range tests {
		runs, err := s.Runs(ctx, tt.f)
		if err != nil {
			t.Errorf("Runs(%+v): %v", tt.f, err)
			continue
		}
		var ids []string
		for _, r := range runs {
			ids = append(ids, r.ID)
			if len(r.Components) != 3 {
				t.Errorf("Runs(%+v): run %s has %d components, want 3", tt.f, r.ID, len(r.Components))
			}
		}
		if !reflect.DeepEqual(ids, tt.want) {
			t.Errorf("Runs(%+v) = %q, want %q", tt.f, ids, tt.want)
		}
	}
	if _, err := s.Runs(ctx, store.RunFilter{Component: HashOf("none")}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Runs(unknown component) error = %v, want ErrNotFound", err)
	}
}

func testRunErrors(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	cs, links := pipeline("e")
	if err := s.PutComponents(ctx, cs[0]); err != nil {
		t.Fatal(err)
	}
	// Two of three components are not recorded: the run is refused, nothing written.
	_, err := s.StartRun(ctx, store.Run{ID: "e1", Components: links})
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), links[1].Hash) || !strings.Contains(err.Error(), links[2].Hash) {
		t.Errorf("StartRun with unrecorded components: error = %v, want ErrInvalid naming both", err)
	}
	if _, err := s.Run(ctx, "e1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("refused run was recorded: Run(e1) error = %v", err)
	}
	// A bad record fails the run, and records nothing.
	bad := cs[1]
	bad.Hash = "xyz"
	if _, err := s.StartRun(ctx, store.Run{ID: "e2", Components: links[:1], Records: []store.Component{cs[2], bad}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("StartRun with a bad record: error = %v, want ErrInvalid", err)
	}
	if _, err := s.Component(ctx, cs[2].Hash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused run recorded a component: %v", err)
	}
	dup := []store.RunComponent{links[0], {Role: "model", Hash: links[0].Hash}}
	if _, err := s.StartRun(ctx, store.Run{Components: dup}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("StartRun with a role twice: error = %v, want ErrInvalid", err)
	}
	if _, err := s.StartRun(ctx, store.Run{ID: "ok", Components: links[:1]}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRun(ctx, store.Run{ID: "ok"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("StartRun with an existing ID: error = %v, want ErrInvalid", err)
	}
	if err := s.FinishRun(ctx, "nope", store.StatusFailed, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FinishRun(unknown) error = %v, want ErrNotFound", err)
	}
	if err := s.FinishRun(ctx, "ok", "done", nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("FinishRun(status done) error = %v, want ErrInvalid", err)
	}
	if err := s.LogMetrics(ctx, "nope", store.Metric{Name: "loss"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LogMetrics(unknown run) error = %v, want ErrNotFound", err)
	}
	if err := s.LogMetrics(ctx, "ok", store.Metric{Step: 1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("LogMetrics(no name) error = %v, want ErrInvalid", err)
	}
	if _, err := s.Metrics(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Metrics(unknown run) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Run(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Run(unknown) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Runs(ctx, store.RunFilter{After: "nope"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Runs(After unknown) error = %v, want ErrInvalid", err)
	}
	if _, err := s.StartRun(ctx, store.Run{ID: "amb-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRun(ctx, store.Run{ID: "amb-2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(ctx, "amb-"); !errors.Is(err, store.ErrAmbiguous) || !strings.Contains(err.Error(), "amb-1") {
		t.Errorf("Run(amb-) error = %v, want ErrAmbiguous listing amb-1", err)
	}
}

func testRunsFilterAndPage(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	cs, links := pipeline("p")
	if err := s.PutComponents(ctx, cs...); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 25
	for i := range n {
		// Runs 10 and 11 start at the same time: the ID breaks the tie.
		at := base.Add(time.Duration(min(i, 10)+max(i-11, 0)) * time.Minute)
		if _, err := s.StartRun(ctx, store.Run{ID: seedf("run-%02d", i), StartedAt: at, Components: links}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	f := store.RunFilter{Component: cs[0].Hash, Limit: 4}
	for {
		runs, err := s.Runs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 0 {
			break
		}
		for _, r := range runs {
			ids = append(ids, r.ID)
		}
		f.After = runs[len(runs)-1].ID
	}
	if len(ids) != n {
		t.Fatalf("paged through %d runs, want %d: %q", len(ids), n, ids)
	}
	for i, id := range ids {
		if want := seedf("run-%02d", n-1-i); id != want {
			t.Fatalf("run %d is %s, want %s (newest first): %q", i, id, want, ids)
		}
	}
}

func testMetrics(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	r, err := s.StartRun(ctx, store.Run{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LogMetrics(ctx, r.ID,
		store.Metric{Step: 2, Name: "loss", Value: 0.5},
		store.Metric{Step: 1, Name: "loss", Value: 0.9},
		store.Metric{Step: 1, Name: "acc", Value: 0.1},
		store.Metric{Step: 1, Name: "acc", Value: 0.2}, // the last value wins
	); err != nil {
		t.Fatal(err)
	}
	if err := s.LogMetrics(ctx, r.ID, store.Metric{Step: 2, Name: "loss", Value: 0.4}, store.Metric{Step: 3, Name: "loss", Value: math.NaN()}); err != nil {
		t.Fatal(err)
	}
	big := make([]store.Metric, 20000)
	for i := range big {
		big[i] = store.Metric{Step: int64(100 + i), Name: "lr", Value: float64(i)}
	}
	if err := s.LogMetrics(ctx, r.ID, big...); err != nil {
		t.Fatalf("LogMetrics(20000): %v", err)
	}
	ms, err := s.Metrics(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 4+len(big) {
		t.Fatalf("Metrics: %d, want %d", len(ms), 4+len(big))
	}
	want := []store.Metric{{Step: 1, Name: "acc", Value: 0.2}, {Step: 1, Name: "loss", Value: 0.9}, {Step: 2, Name: "loss", Value: 0.4}}
	if !reflect.DeepEqual(ms[:3], want) || ms[3].Step != 3 || !math.IsNaN(ms[3].Value) {
		t.Errorf("Metrics = %v…, want %v, {3 loss NaN}", ms[:4], want)
	}
}
