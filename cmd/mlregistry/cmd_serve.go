package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/web"
)

func init() {
	addCommand(command{
		name:    "serve",
		summary: "serve the registries, the store, training and predictions over HTTP",
		run:     runServe,
	})
}

// tokenEnv names the environment variable that holds the API token when
// --token-file is not given.
const tokenEnv = "MLREGISTRY_TOKEN"

const serveAbout = `
Serve the API over HTTP: the catalogue of registered components (/v1/components,
/v1/validate, /v1/hash), training runs (POST /v1/runs queues one on the store's
own database; /v1/runs, /v1/runs/{id}/events, /v1/diff), and predictions from
succeeded runs over the Open Inference Protocol's REST API (/v2/models/{run}/infer).
The API reference is GET /openapi.json. The web UI is at / (runs, a run's
live curve, /compare?runs=A,B, /components, /launch).

It prints "listening on http://ADDR" when ready. SIGINT or SIGTERM stops it:
requests in flight finish, event streams end, runs training here are handed
back to the queue (queued again, their attempt kept as handed_back) for the
next start or a worker ('mlregistry worker') to train again under the same
run ID; queued runs stay queued.

With --artifacts URL, runs' files are uploaded to that bucket under each run's
ID and predictions load them from there, checking their SHA-256; without it
they are run directories under --runs.

With a token (--token-file, else $` + tokenEnv + `), submitting and cancelling runs
need the header Authorization: Bearer TOKEN. It refuses to listen beyond
loopback without a token, unless --insecure is given.`

// serveFlags are serve's flags.
type serveFlags struct {
	fs                        *flag.FlagSet
	addr, db, runs, tokenFile string
	artifacts                 string
	workers                   int
	insecure                  bool
}

func newServeFlags() *serveFlags {
	f := &serveFlags{fs: flag.NewFlagSet("serve", flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0: any free port)")
	f.fs.StringVar(&f.db, "db", "", strings.Replace(dbUsage, "the store's", "record runs and queue their jobs in the store at this", 1))
	f.fs.StringVar(&f.runs, "runs", "runs", "`dir`ectory for run directories (the models /v2 serves)")
	f.fs.StringVar(&f.artifacts, "artifacts", "", artifactsUsage+"; default: run directories under --runs")
	f.fs.IntVar(&f.workers, "workers", 1, "runs trained at once by this server (1 to 64)")
	f.fs.StringVar(&f.tokenFile, "token-file", "", "`file` holding the API token (default $"+tokenEnv+")")
	f.fs.BoolVar(&f.insecure, "insecure", false, "listen beyond loopback without a token")
	return f
}

func runServe(args []string, stdout, stderr io.Writer) error {
	f := newServeFlags()
	if err := parseFlags(f.fs, args, "mlregistry serve [flags]", serveAbout, stdout); err != nil {
		return err
	}
	if err := checkWorkers(f.workers); err != nil {
		return err
	}
	token, err := f.token()
	if err != nil {
		return err
	}
	if token == "" && !f.insecure && !isLoopback(f.addr) {
		return fmt.Errorf("%w: --addr %s listens beyond loopback: give a token (--token-file FILE or $%s), or --insecure to serve without one", errUsage, f.addr, tokenEnv)
	}

	ctx, stop := interruptContext(context.Background())
	defer stop()
	u := storeURL(f.db)
	s, err := store.Open(ctx, u)
	if err != nil {
		return storeErr(err)
	}
	defer s.Close()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	jt := &service.JobTrainer{RunsDir: f.runs, HandBack: true}
	if f.artifacts != "" {
		b, err := openArtifacts(ctx, f.artifacts)
		if err != nil {
			return err
		}
		defer b.Close()
		jt.Artifacts, jt.RunsDir = b, ""
	}
	q, err := openQueue(ctx, s, jt, f.workers, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("%w: --addr %s: %v", errUsage, f.addr, err)
	}
	ui := web.New(web.Config{
		Runs:          &service.Runs{Store: s, Queue: q, RunsDir: f.runs, Artifacts: jt.Artifacts},
		Records:       &service.Records{Store: s},
		Catalogue:     service.NewCatalogue(ml.Default),
		DB:            store.Redact(u),
		TokenRequired: token != "",
	})
	api := serve.New(serve.Config{Store: s, Queue: q, Token: token, Version: buildVersion(), RunsDir: f.runs, Artifacts: jt.Artifacts, UI: ui})
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second, // event streams extend their own
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(api.CloseStreams)
	if err := q.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())

	select {
	case err = <-served:
	case <-ctx.Done():
		fmt.Fprintf(stderr, "mlregistry serve: %v: stopping\n", context.Cause(ctx))
	}
	down, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if serr := srv.Shutdown(down); serr != nil && err == nil {
		err = serr
	}
	if qerr := q.Stop(down, context.Cause(ctx)); qerr != nil && err == nil {
		err = qerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// buildVersion is the version of the mlregistry module this binary was
// built from, "dev" when it was built from a work tree.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// token returns the API token: the --token-file's content, else
// $MLREGISTRY_TOKEN, else "".
func (f *serveFlags) token() (string, error) {
	if f.tokenFile == "" {
		return strings.TrimSpace(os.Getenv(tokenEnv)), nil
	}
	data, err := os.ReadFile(f.tokenFile)
	if err != nil {
		return "", fmt.Errorf("%w: --token-file: %v", errUsage, err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("%w: --token-file %s is empty: write the token in it", errUsage, f.tokenFile)
	}
	return token, nil
}

// isLoopback reports whether addr's host is a loopback address.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
