// Package jobs runs training runs as jobs on a real queue: River
// (github.com/riverqueue/river), in the store's own database — riversqlite
// on the embedded SQLite file, riverdatabasesql on PostgreSQL — so that a
// job is queued in the same transaction that records its run as "queued"
// (store.SQLBacked's StartRunTx), survives a restart of the server, and can
// run on another machine that opens the same store.
//
// A job names its run and carries its pipeline spec. Jobs are idempotent: a
// job whose run has finished does nothing, one whose run another worker is
// running (its heartbeat fresh) waits, and one whose run is queued or lost
// (its worker died) starts it under the same ID. A run is recorded once,
// however often its job is tried.
package jobs
