package main

// Shared by the record-keeping commands: ls, show, diff, rebuild, describe, hash.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/postgres" // --db postgres://…
	_ "github.com/mlregistry/mlregistry/store/sqlite"   // --db sqlite://… (the default)
)

// dbEnv names the environment variable that sets --db's default.
const dbEnv = "MLREGISTRY_DB"

// cmdFlags are the flags every record-keeping command takes, plus its own.
type cmdFlags struct {
	*flag.FlagSet
	name     string
	synopsis string // e.g. "show [flags] HASH|RUN"
	about    string // what the command does, for --help
	db       string
	json     bool
}

// newCmdFlags returns the flag set of command name with --db and --json.
func newCmdFlags(name, synopsis, about string) *cmdFlags {
	f := newLocalFlags(name, synopsis, about)
	f.StringVar(&f.db, "db", "", dbUsage)
	return f
}

// newLocalFlags returns the flag set of a command that needs no store:
// --json only.
func newLocalFlags(name, synopsis, about string) *cmdFlags {
	f := &cmdFlags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), name: name, synopsis: synopsis, about: about}
	f.SetOutput(io.Discard)
	f.BoolVar(&f.json, "json", false, "write JSON, for scripts, instead of a table")
	return f
}

// dbUsage is the help of every command's --db flag: one spelling of the
// default everywhere.
const dbUsage = "the store's `URL`: sqlite://PATH or postgres://user:pass@host:port/db (default: $" + dbEnv + ", else " + store.DefaultURL + ")"

// storeURL returns the store a --db flag names: its value, else
// $MLREGISTRY_DB, else store.DefaultURL.
func storeURL(db string) string {
	if db != "" {
		return db
	}
	if env := os.Getenv(dbEnv); env != "" {
		return env
	}
	return store.DefaultURL
}

// parse parses args, flags and operands in any order; want is the number of
// operands (-1: any). On --help it prints the usage to stdout and returns
// errHelp.
func (f *cmdFlags) parse(args []string, want int, stdout io.Writer) ([]string, error) {
	var operands []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.usage(stdout)
				return nil, errHelp
			}
			return nil, fmt.Errorf("%w: %v (run 'mlregistry %s --help')", errUsage, err, f.name)
		}
		args = f.Args()
		if len(args) == 0 {
			break
		}
		operands = append(operands, args[0])
		args = args[1:]
	}
	if want >= 0 && len(operands) != want {
		return nil, fmt.Errorf("%w: expected %d argument(s), got %d: usage: mlregistry %s", errUsage, want, len(operands), f.synopsis)
	}
	return operands, nil
}

// usage prints the command's help.
func (f *cmdFlags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: mlregistry %s\n\n%s\n", f.synopsis, strings.TrimSpace(f.about))
	if f.Lookup("db") != nil && f.name != "migrate" {
		fmt.Fprintln(w, "\nThe store is opened read-only: this command never creates a store, a table or\na file, and never migrates (mlregistry migrate does).")
	}
	fmt.Fprint(w, "\nFlags:\n")
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
	fmt.Fprintln(w, "\nExit codes: 0 success, 1 failure, 2 usage or input error, 3 not found.")
}

// open opens the store --db names, read-only: the commands that read
// records never create a store, a table or a file, never migrate, and work
// on a store the user may only read.
func (f *cmdFlags) open(ctx context.Context) (store.Store, error) {
	u := storeURL(f.db)
	s, err := store.OpenReadOnly(ctx, u)
	var se *store.SchemaError
	switch {
	case err == nil:
		return s, nil
	case errors.Is(err, store.ErrNotFound):
		return nil, exitAs(errNotFound, fmt.Errorf("no store at %s: nothing was recorded there (mlregistry train records runs; --db or $%s name another store)", store.Redact(u), dbEnv))
	case errors.As(err, &se) && se.Outdated():
		return nil, exitAs(err, fmt.Errorf("%s has schema version %d, older than this program's %d: migrate it with: mlregistry migrate --db %s",
			se.Store, se.Version, se.Latest, shellQuote(store.Redact(u))))
	}
	return nil, storeErr(err) // the backends' errors name the store
}

// storeErr maps the store's errors to the CLI's exit codes: not found (3),
// bad input or an ambiguous prefix (2), anything else (1).
func storeErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return exitAs(errNotFound, err)
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrAmbiguous), errors.Is(err, store.ErrUnknownBackend), errors.Is(err, store.ErrNotStore):
		return exitAs(errUsage, err)
	}
	return err
}

// serviceErr maps the service's errors to the CLI's exit codes: a hash
// that does not match (1), a file that could not be read (1), not found —
// a record or a registered name — (3), invalid input (2), the store's
// errors as storeErr maps them.
func serviceErr(err error) error {
	var he *mlregistry.HashError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &he), service.IsIOFailure(err):
		return err
	case errors.Is(err, service.ErrNotFound), errors.Is(err, mlregistry.ErrNotFound):
		return exitAs(errNotFound, err)
	case errors.Is(err, service.ErrInvalid):
		return exitAs(errUsage, err)
	}
	return storeErr(err)
}

// exitAs returns err, marked with class (errUsage, errNotFound) for the
// exit code, without adding the class's text to the message.
func exitAs(class, err error) error { return &classified{class, err} }

type classified struct{ class, err error }

func (c *classified) Error() string   { return c.err.Error() }
func (c *classified) Unwrap() []error { return []error{c.class, c.err} }

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// newTable returns a tabwriter for aligned columns; Flush it.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// when formats a time for people; "-" for the zero time.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// componentJSON is a component as the commands write it with --json.
type componentJSON struct {
	Hash      string          `json:"hash"`
	Name      string          `json:"name"`
	Kind      string          `json:"kind"`
	FirstSeen time.Time       `json:"first_seen"`
	LastSeen  time.Time       `json:"last_seen"`
	Envelope  json.RawMessage `json:"envelope,omitempty"`
}

func toComponentJSON(c store.Component, withEnvelope bool) componentJSON {
	j := componentJSON{Hash: c.Hash, Name: c.Name, Kind: c.Kind, FirstSeen: c.FirstSeen, LastSeen: c.LastSeen}
	if withEnvelope {
		j.Envelope = c.Envelope
	}
	return j
}

// runJSON is a run as the commands write it with --json.
type runJSON struct {
	ID          string               `json:"id"`
	Status      string               `json:"status"`
	StartedAt   time.Time            `json:"started_at"`
	EndedAt     *time.Time           `json:"ended_at,omitempty"`
	ArtifactDir string               `json:"artifact_dir,omitempty"`
	Components  []store.RunComponent `json:"components"`
	Params      map[string]any       `json:"params,omitempty"`
	Final       map[string]any       `json:"final,omitempty"`
	Owner       *store.RunOwner      `json:"owner,omitempty"`     // none while queued
	LastSeen    *time.Time           `json:"last_seen,omitempty"` // the owner's last heartbeat
	// Where the artifacts are when uploaded to a bucket, and the run's attempts.
	ArtifactURL    string             `json:"artifact_url,omitempty"`
	ArtifactSHA256 string             `json:"artifact_sha256,omitempty"`
	Attempts       int                `json:"attempts"`
	PastAttempts   []store.RunAttempt `json:"past_attempts,omitempty"`
}

func toRunJSON(r store.Run) runJSON {
	j := runJSON{ID: r.ID, Status: r.Status, StartedAt: r.StartedAt, ArtifactDir: r.ArtifactDir, Components: r.Components, Params: r.Params,
		ArtifactURL: r.ArtifactURL, ArtifactSHA256: r.ArtifactSHA256, Attempts: r.Attempts, PastAttempts: r.PastAttempts}
	if j.Components == nil {
		j.Components = []store.RunComponent{}
	}
	if !r.EndedAt.IsZero() {
		t := r.EndedAt
		j.EndedAt = &t
	}
	if r.Owner != (store.RunOwner{}) {
		o := r.Owner
		j.Owner = &o
	}
	if !r.LastSeen.IsZero() {
		t := r.LastSeen
		j.LastSeen = &t
	}
	if len(r.Final) > 0 {
		j.Final = map[string]any{}
		for k, v := range r.Final {
			j.Final[k] = jsonFloat(v)
		}
	}
	return j
}

// jsonFloat returns f, or a string for NaN and infinities, which JSON lacks.
func jsonFloat(f float64) any {
	if f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
		return fmt.Sprint(f)
	}
	return f
}

// flagT is flag.Flag.
type flagT = flag.Flag

// pipelineRoles are the roles of a pipeline, in the order they are built.
var pipelineRoles = service.PipelineRoles
