package storetest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// Shape of one unit of crashLoad.
const (
	crashLostAfter = time.Second // the LostAfter of crashLoad's runs, which beat after every step
	crashSteps     = 5           // steps logged per run
	crashMetrics   = 5           // metrics per step, logged in one call
	crashBatch     = 10          // components per batch
)

// crashLoad writes runs, metrics and batches of components until it is
// killed, and after each acknowledged write prints a line saying what was
// acknowledged:
//
//	run ID | step ID STEP | batch SEED | finish ID
func crashLoad(ctx context.Context, s store.Store, name string, w *bufio.Writer) error {
	ack := func(format string, args ...any) {
		fmt.Fprintf(w, format+"\n", args...)
		w.Flush()
	}
	for i := 0; ; i++ {
		seed := fmt.Sprintf("%s-%d", name, i)
		cs, links := pipeline(seed)
		r, err := s.StartRun(ctx, store.Run{Components: links, Records: cs, ArtifactDir: seed, LostAfter: crashLostAfter})
		if err != nil {
			return err
		}
		ack("run %s", r.ID)
		for step := range crashSteps {
			ms := make([]store.Metric, crashMetrics)
			for m := range ms {
				ms[m] = store.Metric{Step: int64(step), Name: "m" + strconv.Itoa(m), Value: float64(i*step + m)}
			}
			if err := s.LogMetrics(ctx, r.ID, ms...); err != nil {
				return err
			}
			ack("step %s %d", r.ID, step)
			if err := s.Heartbeat(ctx, r.ID); err != nil {
				return err
			}
		}
		batch := make([]store.Component, crashBatch)
		for j := range batch {
			batch[j] = NewComponent("batch", "Batch-"+seed, strconv.Itoa(j))
		}
		if err := s.PutComponents(ctx, batch...); err != nil {
			return err
		}
		ack("batch %s", seed)
		if err := s.FinishRun(ctx, r.ID, store.StatusSucceeded, map[string]float64{"acc": 1, "i": float64(i)}); err != nil {
			return err
		}
		ack("finish %s", r.ID)
	}
}

// testKillMidRun kills a writing process with SIGKILL, a few times, and checks
// that everything it acknowledged is there, nothing is half-written, and the
// runs the kills left unfinished are reported lost once their heartbeat is
// older than crashLostAfter.
func testKillMidRun(t *testing.T, newURL NewURL) {
	if os.Getenv(envChild) != "" {
		t.Skip("in a child process")
	}
	url := newURL(t)
	open(t, url) // create the schema
	var acks []string
	var pids []int
	for round := range 5 {
		cmd := childCommand(t, "crash", url, fmt.Sprintf("k%d", round), 0)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := 20 + rand.IntN(60)
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			acks = append(acks, sc.Text())
			if n++; n == killAfter {
				// Let it get into the middle of its next write.
				time.Sleep(time.Duration(rand.IntN(1500)) * time.Microsecond)
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		err = cmd.Wait()
		if n < killAfter {
			t.Fatalf("round %d: the child stopped after %d acknowledgements (%v): %s", round, n, err, stderr.String())
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the child was not killed by SIGKILL: %v; %s", round, err, stderr.String())
		}
		// Acknowledgements printed after the kill signal was sent are
		// still acknowledged: the write had committed.
		t.Logf("round %d: killed after %d acknowledgements", round, n)
		pids = append(pids, cmd.Process.Pid)
	}
	killed := time.Now()
	s := open(t, url)
	checkAcknowledged(t, s, acks)
	checkWhole(t, s)
	time.Sleep(time.Until(killed.Add(crashLostAfter + 100*time.Millisecond)))
	checkLost(t, s, pids)
}

// checkLost checks that no run of the killed children is reported running:
// every run that did not finish is lost, owned by one of the children, with
// its last heartbeat; and that the status filters agree.
func checkLost(t *testing.T, s store.Store, pids []int) {
	ctx := context.Background()
	runs, err := s.Runs(ctx, store.RunFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var lost []string
	for _, r := range runs {
		switch r.Status {
		case store.StatusSucceeded:
		case store.StatusLost:
			lost = append(lost, r.ID)
			if !slices.Contains(pids, r.Owner.PID) || r.Owner.Host == "" || r.LastSeen.Before(r.StartedAt) || !r.EndedAt.IsZero() {
				t.Errorf("lost run %s: owner %+v (the children were %v), last seen %v, started %v, ended %v",
					r.ID, r.Owner, pids, r.LastSeen, r.StartedAt, r.EndedAt)
			}
		default:
			t.Errorf("run %s of a killed child is %q, want succeeded or lost", r.ID, r.Status)
		}
	}
	if len(lost) > len(pids) {
		t.Errorf("%d lost runs, but only %d children were killed: %q", len(lost), len(pids), lost)
	}
	if running, err := s.Runs(ctx, store.RunFilter{Status: store.StatusRunning}); err != nil || len(running) != 0 {
		t.Errorf("Runs(Status running) = %d runs (%v), want none", len(running), err)
	}
	filtered, err := s.Runs(ctx, store.RunFilter{Status: store.StatusLost, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range filtered {
		got = append(got, r.ID)
	}
	if !slices.Equal(got, lost) {
		t.Errorf("Runs(Status lost) = %q, want %q", got, lost)
	}
	t.Logf("%d runs left unfinished by the kills are reported lost", len(lost))
}

// checkAcknowledged checks that every acknowledged write is in the store.
func checkAcknowledged(t *testing.T, s store.Store, acks []string) {
	ctx := context.Background()
	for _, a := range acks {
		f := strings.Fields(a)
		switch f[0] {
		case "run":
			r, err := s.Run(ctx, f[1])
			if err != nil || len(r.Components) != 3 {
				t.Errorf("acknowledged %q: Run: %v, %d components", a, err, len(r.Components))
			}
		case "step":
			ms, err := s.Metrics(ctx, f[1])
			step, _ := strconv.ParseInt(f[2], 10, 64)
			n := 0
			for _, m := range ms {
				if m.Step == step {
					n++
				}
			}
			if err != nil || n != crashMetrics {
				t.Errorf("acknowledged %q: %d metrics at that step (%v), want %d", a, n, err, crashMetrics)
			}
		case "batch":
			page, err := s.Components(ctx, store.ComponentFilter{Name: "Batch-" + f[1]})
			if err != nil || len(page.Components) != crashBatch {
				t.Errorf("acknowledged %q: %d components (%v), want %d", a, len(page.Components), err, crashBatch)
			}
		case "finish":
			r, err := s.Run(ctx, f[1])
			if err != nil || r.Status != store.StatusSucceeded || len(r.Final) != 2 {
				t.Errorf("acknowledged %q: status %q, final %v (%v)", a, r.Status, r.Final, err)
			}
		default:
			t.Errorf("unknown acknowledgement %q", a)
		}
	}
}

// checkWhole checks that nothing in the store is half-written: every run has
// all its links to recorded components, every step all its metrics, every
// batch all its components, every finished run its final metrics.
func checkWhole(t *testing.T, s store.Store) {
	ctx := context.Background()
	runs, err := s.Runs(ctx, store.RunFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if len(r.Components) != 3 {
			t.Errorf("run %s has %d components, want 3", r.ID, len(r.Components))
		}
		for _, l := range r.Components {
			if _, err := s.Component(ctx, l.Hash); err != nil {
				t.Errorf("run %s: %s component: %v", r.ID, l.Role, err)
			}
		}
		ms, err := s.Metrics(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		perStep := map[int64]int{}
		for _, m := range ms {
			perStep[m.Step]++
		}
		for step, n := range perStep {
			if n != crashMetrics {
				t.Errorf("run %s step %d has %d metrics, want %d", r.ID, step, n, crashMetrics)
			}
		}
		if r.Status == store.StatusSucceeded && len(r.Final) != 2 {
			t.Errorf("run %s succeeded with final metrics %v", r.ID, r.Final)
		}
	}
	perBatch := map[string]int{}
	f := store.ComponentFilter{Kind: "batch", Limit: store.MaxLimit}
	for {
		page, err := s.Components(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Components {
			perBatch[c.Name]++
		}
		if f.After = page.Next; f.After == "" {
			break
		}
	}
	for name, n := range perBatch {
		if n != crashBatch {
			t.Errorf("batch %s has %d components, want %d", name, n, crashBatch)
		}
	}
	t.Logf("after the kills: %d runs, %d batches, all whole", len(runs), len(perBatch))
}
