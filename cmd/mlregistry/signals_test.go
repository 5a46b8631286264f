package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// buildBinary builds the mlregistry command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mlregistry")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startTrain starts the built binary training on Digits long enough to be
// stopped midway, and returns once it has printed its first progress line
// (its run recorded, some steps logged).
func startTrain(t *testing.T, bin, db, runs string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, "train", "--dataset", "Digits", "--epochs", "400", "--db", db, "--runs", runs, "--progress", "lines")
	cmd.Env = append(os.Environ(), lostAfterEnv+"=1500ms")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	rest := &syncBuffer{}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "step ") {
			go func() { _, _ = io.Copy(rest, stderr) }()
			return cmd, rest
		}
	}
	t.Fatalf("train printed no progress line: %v", cmd.Wait())
	return nil, nil
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runDirs lists the entries of the runs directory, the hidden partial ones
// apart.
func runDirs(t *testing.T, runs string) (complete, partial []string) {
	entries, err := os.ReadDir(runs)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			partial = append(partial, e.Name())
		} else {
			complete = append(complete, e.Name())
		}
	}
	return complete, partial
}

// TestTrainSignals stops a real train with SIGTERM and SIGINT (exit 143 and
// 130, the run interrupted with its metrics, no run directory) and kills one
// with SIGKILL (its run reported lost within $MLREGISTRY_LOST_AFTER, no run
// directory under its final name).
func TestTrainSignals(t *testing.T) {
	trainsGoMLX(t)
	if testing.Short() {
		t.Skip("builds the binary and trains three times")
	}
	bin := buildBinary(t)
	for _, tt := range []struct {
		signal   syscall.Signal
		wantCode int
	}{
		{syscall.SIGTERM, 143},
		{syscall.SIGINT, 130},
	} {
		t.Run(map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT"}[tt.signal], func(t *testing.T) {
			dir := t.TempDir()
			db, runs := "sqlite://"+filepath.Join(dir, "runs.db"), filepath.Join(dir, "runs")
			cmd, stderr := startTrain(t, bin, db, runs)
			if err := cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tt.wantCode {
				t.Fatalf("exit code %d (%v), want %d; stderr:\n%s", code, err, tt.wantCode, stderr)
			}
			if msg := "interrupted by " + map[int]string{143: "SIGTERM", 130: "SIGINT"}[tt.wantCode]; !strings.Contains(stderr.String(), msg) {
				t.Errorf("stderr does not say %q:\n%s", msg, stderr)
			}
			s, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rs, err := s.Runs(context.Background(), store.RunFilter{})
			if err != nil || len(rs) != 1 {
				t.Fatalf("%d runs (%v), want 1", len(rs), err)
			}
			r := rs[0]
			if r.Status != store.StatusInterrupted || r.EndedAt.IsZero() || r.Final["steps"] <= 0 || r.Final["train_loss_avg"] <= 0 {
				t.Errorf("run %s: status %q, ended %v, final %v; want interrupted, ended, with steps and train_loss_avg", r.ID, r.Status, r.EndedAt, r.Final)
			}
			ms, err := s.Metrics(context.Background(), r.ID)
			if err != nil || len(ms) == 0 || ms[len(ms)-1].Step != int64(r.Final["steps"]) {
				t.Errorf("metrics (%v): want batch_loss up to step %v, got %d values", err, r.Final["steps"], len(ms))
			}
			if complete, partial := runDirs(t, runs); len(complete)+len(partial) != 0 {
				t.Errorf("an interrupted run left %q %q in the runs directory", complete, partial)
			}
		})
	}

	t.Run("SIGKILL", func(t *testing.T) {
		dir := t.TempDir()
		db, runs := "sqlite://"+filepath.Join(dir, "runs.db"), filepath.Join(dir, "runs")
		cmd, _ := startTrain(t, bin, db, runs)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		killed := time.Now()
		var last []runJSON
		for time.Since(killed) < 10*time.Second {
			var page struct {
				Runs []runJSON `json:"runs"`
			}
			out, err := exec.Command(bin, "ls", "runs", "--json", "--db", db).Output()
			if err != nil {
				t.Fatalf("ls runs --json: %v", err)
			}
			if err := json.Unmarshal(out, &page); err != nil {
				t.Fatalf("ls runs --json: %v\n%s", err, out)
			}
			last = page.Runs
			if len(last) == 1 && last[0].Status == store.StatusLost {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		took := time.Since(killed)
		if len(last) != 1 || last[0].Status != store.StatusLost {
			t.Fatalf("10 s after kill -9, ls runs --json says %+v, want one run, lost", last)
		}
		r := last[0]
		if r.Owner == nil || r.Owner.PID != cmd.Process.Pid || r.LastSeen == nil || r.LastSeen.After(killed) {
			t.Errorf("lost run: owner %+v (the killed train was pid %d), last seen %v (killed at %v)", r.Owner, cmd.Process.Pid, r.LastSeen, killed)
		}
		if took > 1500*time.Millisecond+time.Second {
			t.Errorf("reported lost %v after the kill; $%s was 1500ms", took, lostAfterEnv)
		}
		t.Logf("reported lost %v after kill -9", took.Round(10*time.Millisecond))
		if complete, _ := runDirs(t, runs); len(complete) != 0 {
			t.Errorf("a killed run left %q under its final name", complete)
		}
		out, err := exec.Command(bin, "show", "--db", db, r.ID).Output()
		if err != nil {
			t.Fatalf("show %s: %v", r.ID, err)
		}
		for _, want := range []string{"status      lost (no heartbeat from its owner since ", "owner       ", "checkpoint  none: "} {
			if !strings.Contains(string(out), want) {
				t.Errorf("show of the lost run lacks %q:\n%s", want, out)
			}
		}
	})
}
