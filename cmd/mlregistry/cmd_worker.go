package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

func init() {
	addCommand(command{
		name:    "worker",
		summary: "take training jobs from the queue in the store's database and run them",
		run:     runWorker,
	})
}

const workerAbout = `
Take training jobs from the queue in the store's database — the runs that
'mlregistry serve' accepts (POST /v1/runs) — and train them. Any number of
workers on any number of hosts may share one store (PostgreSQL) with the
servers: each job is trained by one of them, and its run recorded once. A
run's owner (host and pid, shown by 'mlregistry ls runs') is the worker that
trains it; its heartbeat says it is alive.

A run's files (pipeline.json, checkpoint) are uploaded to --artifacts under
the run's ID before the run is recorded as succeeded, with their URL and
SHA-256: every host that reads the store can then load them (serve's
predictions, rebuild). For workers on several hosts, use a bucket they all
reach (s3://…); file://DIR is the default, for one host.

A worker killed mid-run (kill -9, a host gone) stops its run's heartbeat:
after $MLREGISTRY_LOST_AFTER (default 30s) the run is lost, and another worker
starts it again under the same ID (its attempts kept: ls runs --json shows
past_attempts). SIGINT or SIGTERM drains the worker: runs training here are
handed back to the queue between two steps (queued again, for another worker)
and it exits 0; a second signal ends it at once.

It prints "worker HOST pid PID: ..." when it takes jobs.`

// workerFlags are worker's flags.
type workerFlags struct {
	fs            *flag.FlagSet
	db, artifacts string
	workers       int
}

func newWorkerFlags() *workerFlags {
	f := &workerFlags{fs: flag.NewFlagSet("worker", flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.db, "db", "", strings.Replace(dbUsage, "the store's", "take jobs from, and record runs in, the store at this", 1))
	f.fs.StringVar(&f.artifacts, "artifacts", "file://runs", artifactsUsage)
	f.fs.IntVar(&f.workers, "workers", 1, "runs trained at once by this worker (1 to 64)")
	return f
}

func runWorker(args []string, stdout, stderr io.Writer) error {
	f := newWorkerFlags()
	if err := parseFlags(f.fs, args, "mlregistry worker --db postgres://… [--artifacts URL] [--workers N]", workerAbout, stdout); err != nil {
		return err
	}
	if err := checkWorkers(f.workers); err != nil {
		return err
	}
	if _, err := lostAfter(); err != nil {
		return err // before anything is opened
	}
	ctx, stop := interruptContext(context.Background())
	defer stop()
	b, err := openArtifacts(ctx, f.artifacts)
	if err != nil {
		return err
	}
	defer b.Close()
	u := storeURL(f.db)
	s, err := store.Open(ctx, u)
	if err != nil {
		return storeErr(err)
	}
	defer s.Close()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	jt := &service.JobTrainer{Artifacts: b, HandBack: true}
	q, err := openQueue(ctx, s, jt, f.workers, logger)
	if err != nil {
		return err
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	me := store.ThisProcess()
	fmt.Fprintf(stdout, "worker %s pid %d: taking training jobs from %s (%d at once), artifacts to %s\n",
		me.Host, me.PID, store.Redact(u), f.workers, artifacts.Redact(b.URL()))
	<-ctx.Done()
	fmt.Fprintf(stderr, "mlregistry worker: %v: draining (runs training here go back to the queue)\n", context.Cause(ctx))
	down, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return q.Stop(down, context.Cause(ctx))
}
