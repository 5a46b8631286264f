package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Dialect is what differs between the SQL backends.
type Dialect struct {
	// Name names the backend in errors: "sqlite", "postgres".
	Name string

	// Numbered is true when parameters are written $1, $2, … (PostgreSQL)
	// rather than ? (SQLite).
	Numbered bool

	// TextC is the column type of identifiers that sort and compare
	// byte-wise (hashes, run IDs): "TEXT" in SQLite, `TEXT COLLATE "C"` in
	// PostgreSQL.
	TextC string

	// SeqPK is the column type of an auto-numbered primary key:
	// "INTEGER PRIMARY KEY" in SQLite, "BIGINT GENERATED ALWAYS AS IDENTITY
	// PRIMARY KEY" in PostgreSQL.
	SeqPK string

	// MaxParams is the most parameters one statement may have.
	MaxParams int

	// InsertRows is how many rows one INSERT statement of a batch writes.
	// SQLite is fastest with one (a prepared statement executed per row:
	// compiling a many-row statement costs more than it saves); PostgreSQL
	// with as many as MaxParams allows (one round trip per statement),
	// which 0 means.
	InsertRows int

	// Unnest makes batches one INSERT … SELECT FROM unnest(array
	// parameters) statement per 10,000 rows (PostgreSQL): a statement of a
	// fixed, small text, whatever the batch size, and arrays sent in binary.
	Unnest bool

	// SerializeWrites makes the store run one write transaction at a time
	// in this process: SQLite has one writer, and queueing in Go is faster
	// and fairer than SQLite's busy-wait. Other processes still wait on
	// busy_timeout.
	SerializeWrites bool

	// ForUpdate is appended to the SELECT that reads a run's status before
	// a write that depends on it, to lock the row until the transaction
	// ends: " FOR UPDATE" in PostgreSQL; "" in SQLite, whose write
	// transactions (BEGIN IMMEDIATE) already exclude one another.
	ForUpdate string

	// LockSchema, when set, is called first in a migration transaction, to
	// keep concurrent openers from migrating at once. SQLite's BEGIN
	// IMMEDIATE already does.
	LockSchema func(ctx context.Context, tx *sql.Tx) error
}

// Rebind rewrites the ? parameters of query in the dialect's style.
func (d *Dialect) Rebind(query string) string {
	if !d.Numbered {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// ddl fills the dialect's types into a schema statement.
func (d *Dialect) ddl(stmt string) string {
	return strings.NewReplacer("{textc}", d.TextC, "{seqpk}", d.SeqPK).Replace(stmt)
}
