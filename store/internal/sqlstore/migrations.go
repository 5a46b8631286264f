package sqlstore

import (
	"context"
	"database/sql"
)

// Migration is one versioned step of the schema. Migrations are applied in
// order, each in its own transaction, and never edited once released: a change
// to the schema is a new migration.
type Migration struct {
	Version     int
	Description string
	Statements  []string // {textc} is replaced by Dialect.TextC
	// Backfill, when set, runs after the statements in the same
	// transaction: data the new schema derives from the old, which plain
	// SQL of both dialects cannot compute.
	Backfill func(ctx context.Context, tx *sql.Tx, d *Dialect) error
}

// Migrations is the schema's history. Times are microseconds since the Unix
// epoch, UTC; envelopes and parameters are JSON text, kept byte for byte.
//
// Components are numbered in the order they were first recorded (seq), and
// indexed by (name, seq) rather than (name, hash): new entries then go to the
// end of their name's range instead of a random place in the index, which
// keeps batch recording fast. Only the hash index takes random inserts.
var Migrations = []Migration{
	{
		Version:     1,
		Description: "components, keyed by hash",
		Statements: []string{
			`CREATE TABLE components (
				seq        {seqpk},
				hash       {textc} NOT NULL UNIQUE,
				name       {textc} NOT NULL,
				kind       {textc} NOT NULL,
				envelope   TEXT NOT NULL,
				first_seen BIGINT NOT NULL,
				last_seen  BIGINT NOT NULL
			)`,
			`CREATE INDEX components_by_name ON components (name, seq)`,
		},
	},
	{
		Version:     2,
		Description: "runs, their components and metrics",
		Statements: []string{
			`CREATE TABLE runs (
				id           {textc} NOT NULL PRIMARY KEY,
				status       TEXT NOT NULL,
				started      BIGINT NOT NULL,
				ended        BIGINT,
				artifact_dir TEXT NOT NULL,
				params       TEXT NOT NULL
			)`,
			`CREATE INDEX runs_by_start ON runs (started, id)`,
			`CREATE TABLE run_components (
				run_id {textc} NOT NULL REFERENCES runs (id),
				role   {textc} NOT NULL,
				hash   {textc} NOT NULL REFERENCES components (hash),
				PRIMARY KEY (run_id, role)
			)`,
			`CREATE INDEX run_components_by_hash ON run_components (hash, run_id)`,
			`CREATE TABLE metrics (
				run_id {textc} NOT NULL REFERENCES runs (id),
				step   BIGINT NOT NULL,
				name   {textc} NOT NULL,
				value  DOUBLE PRECISION,
				PRIMARY KEY (run_id, step, name)
			)`,
		},
	},
	{
		Version:     3,
		Description: "final metrics of a run; components by kind",
		Statements: []string{
			`ALTER TABLE runs ADD COLUMN final TEXT NOT NULL DEFAULT '{}'`,
			`CREATE INDEX components_by_kind ON components (kind, name, seq)`,
		},
	},
	{
		// A run written before has no heartbeat: it is taken as last seen
		// when it ended (or started), with the default threshold, so a run
		// left "running" by a killed older version is reported lost.
		Version:     4,
		Description: "run owners and heartbeats",
		Statements: []string{
			`ALTER TABLE runs ADD COLUMN owner_host TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE runs ADD COLUMN owner_pid BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE runs ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE runs ADD COLUMN lost_after BIGINT NOT NULL DEFAULT 0`,
			`UPDATE runs SET last_seen = COALESCE(ended, started), lost_after = 30000000`,
		},
	},
	{
		// Final metrics by name, one row each, so that runs are filtered
		// and sorted (keyset) on them by index; runs.final stays the
		// record, and NaN is left out (it has no order).
		Version:     5,
		Description: "final metrics by name, for filtering and sorting runs",
		Statements: []string{
			`CREATE TABLE run_finals (
				run_id {textc} NOT NULL REFERENCES runs (id),
				name   {textc} NOT NULL,
				value  DOUBLE PRECISION NOT NULL,
				PRIMARY KEY (run_id, name)
			)`,
			`CREATE INDEX run_finals_by_value ON run_finals (name, value, run_id)`,
		},
		Backfill: backfillFinals,
	},
	{
		// A run written before was started once, unless it is still
		// queued.
		Version:     6,
		Description: "run attempts and artifacts by URL",
		Statements: []string{
			`ALTER TABLE runs ADD COLUMN artifact_url TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE runs ADD COLUMN artifact_sha256 TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE runs ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE runs ADD COLUMN past_attempts TEXT NOT NULL DEFAULT '[]'`,
			`UPDATE runs SET attempts = 1 WHERE status <> 'queued'`,
		},
	},
}

// Latest is the schema version this code writes.
func Latest() int { return Migrations[len(Migrations)-1].Version }
