package sqlstore

// Migration is one versioned step of the schema. Migrations are applied in
// order, each in its own transaction, and never edited once released: a change
// to the schema is a new migration.
type Migration struct {
	Version     int
	Description string
	Statements  []string // {textc} is replaced by Dialect.TextC
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
		// Numbered 5 on the workers branch; it becomes 6 when the branch
		// adding migration 5 (deleted runs) is merged before it. A run
		// written before was started once, unless it is still queued.
		Version:     5,
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
