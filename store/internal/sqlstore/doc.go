// Package sqlstore implements store.Store over database/sql. The SQLite and
// PostgreSQL backends share it, and differ only in their Dialect: how
// parameters are written, how migrations are serialised, and the column types
// of the schema.
package sqlstore
