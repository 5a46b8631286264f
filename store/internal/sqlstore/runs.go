package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

const runCols = `id, status, started, ended, artifact_dir, params, final, owner_host, owner_pid, last_seen, lost_after, artifact_url, artifact_sha256, attempts, past_attempts`

// StartRun records a new run with its components and links, in one
// transaction, or starts a queued (or lost) one.
func (s *Store) StartRun(ctx context.Context, r store.Run) (store.Run, error) {
	return s.StartRunTx(ctx, r, nil)
}

// StartRunTx is StartRun that also runs within, when not nil, in the same
// transaction, after the run is recorded: the run commits with what within
// wrote, or neither does.
func (s *Store) StartRunTx(ctx context.Context, r store.Run, within func(tx *sql.Tx, r store.Run) error) (store.Run, error) {
	r.Components = slices.Clone(r.Components)
	r.Records = slices.Clone(r.Records)
	if err := store.CheckRun(&r); err != nil {
		return store.Run{}, err
	}
	switch r.Status {
	case "", store.StatusRunning, store.StatusQueued:
	default:
		return store.Run{}, fmt.Errorf("%w: run %s: StartRun records a run as %q or %q, not %q (FinishRun ends it)",
			store.ErrInvalid, r.ID, store.StatusRunning, store.StatusQueued, r.Status)
	}
	if r.LostAfter < 0 {
		return store.Run{}, fmt.Errorf("%w: run %s: LostAfter %v is negative", store.ErrInvalid, r.ID, r.LostAfter)
	}
	now := store.Now()
	if r.StartedAt.IsZero() {
		r.StartedAt = now
	}
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Microsecond)
	if r.ID == "" {
		r.ID = store.NewRunID(r.StartedAt)
	}
	if r.LostAfter == 0 {
		r.LostAfter = store.DefaultLostAfter
	}
	r.LostAfter = r.LostAfter.Truncate(time.Microsecond)
	r.EndedAt, r.Final = time.Time{}, nil
	r.ArtifactURL, r.ArtifactSHA256, r.PastAttempts = "", "", nil
	if r.Status == store.StatusQueued {
		r.Owner, r.LastSeen, r.Attempts = store.RunOwner{}, time.Time{}, 0
	} else {
		r.Status, r.LastSeen, r.Attempts = store.StatusRunning, now, 1
		if r.Owner == (store.RunOwner{}) {
			r.Owner = store.ThisProcess()
		}
	}
	params, err := json.Marshal(orEmpty(r.Params))
	if err != nil {
		return store.Run{}, fmt.Errorf("%w: run %s: params: %v", store.ErrInvalid, r.ID, err)
	}
	slices.SortFunc(r.Components, func(a, b store.RunComponent) int { return cmp.Compare(a.Role, b.Role) })
	var claimed store.Run
	err = s.write(ctx, "starting run "+r.ID, func(tx *sql.Tx) error {
		var status string
		var lastSeen, lostAfter sql.NullInt64
		err := tx.QueryRowContext(ctx, s.d.Rebind(`SELECT status, last_seen, lost_after FROM runs WHERE id = ?`+s.d.ForUpdate), r.ID).Scan(&status, &lastSeen, &lostAfter)
		if err == nil {
			lost := status == store.StatusRunning && lastSeen.Int64+lostAfter.Int64 < now.UnixMicro()
			if status != store.StatusQueued && !lost || r.Status == store.StatusQueued {
				return fmt.Errorf("%w: run %s already exists (%s): give a new ID, or none to have one assigned", store.ErrInvalid, r.ID, status)
			}
			if claimed, err = s.claim(ctx, tx, r, now); err != nil {
				return err
			}
			if within != nil {
				return within(tx, claimed)
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return s.errorf("starting run "+r.ID, err)
		}
		if err := s.putComponents(ctx, tx, slices.Clone(r.Records), now); err != nil {
			return err
		}
		if err := s.checkRecorded(ctx, tx, r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.Rebind(`INSERT INTO runs (`+runCols+`) VALUES (?, ?, ?, NULL, ?, ?, '{}', ?, ?, ?, ?, '', '', ?, '[]')`),
			r.ID, r.Status, r.StartedAt.UnixMicro(), r.ArtifactDir, string(params),
			r.Owner.Host, r.Owner.PID, micros(r.LastSeen), r.LostAfter.Microseconds(), r.Attempts); err != nil {
			return s.errorf("starting run "+r.ID, err)
		}
		for _, l := range r.Components {
			if _, err := tx.ExecContext(ctx, s.d.Rebind(`INSERT INTO run_components (run_id, role, hash) VALUES (?, ?, ?)`),
				r.ID, l.Role, l.Hash); err != nil {
				return s.errorf("starting run "+r.ID+": linking "+l.Role, err)
			}
		}
		if within != nil {
			rec := r
			rec.Records = nil
			return within(tx, rec)
		}
		return nil
	})
	if err != nil {
		return store.Run{}, err
	}
	if claimed.ID != "" {
		return claimed, nil
	}
	r.Records = nil
	return r, nil
}

// claim starts the queued run r.ID (queued → running) in tx: its owner,
// start time, heartbeat and threshold are r's; its components and settings
// stay as queued, and r may not give others.
func (s *Store) claim(ctx context.Context, tx *sql.Tx, r store.Run, now time.Time) (store.Run, error) {
	if len(r.Components) > 0 || len(r.Records) > 0 || len(r.Params) > 0 {
		return store.Run{}, fmt.Errorf("%w: run %s is queued with its components and params: start it with its ID (and owner, artifact directory) only",
			store.ErrInvalid, r.ID)
	}
	what := "starting queued run " + r.ID
	prev, err := scanRun(tx.QueryRowContext(ctx, s.qRun, r.ID), now)
	if err != nil {
		return store.Run{}, s.errorf(what, err)
	}
	past, err := pastAttempts(prev, store.AttemptLost)
	if err != nil {
		return store.Run{}, fmt.Errorf("%s: %w", what, err)
	}
	// A new attempt: the lost one's artifacts, if it recorded any, are not
	// this attempt's.
	q := `UPDATE runs SET status = ?, started = ?, owner_host = ?, owner_pid = ?, last_seen = ?, lost_after = ?,
		attempts = ?, past_attempts = ?, artifact_url = '', artifact_sha256 = ''`
	args := []any{store.StatusRunning, r.StartedAt.UnixMicro(), r.Owner.Host, r.Owner.PID, now.UnixMicro(), r.LostAfter.Microseconds(),
		prev.Attempts + 1, past}
	if r.ArtifactDir != "" {
		q += `, artifact_dir = ?`
		args = append(args, r.ArtifactDir)
	}
	if _, err := tx.ExecContext(ctx, s.d.Rebind(q+` WHERE id = ?`), append(args, r.ID)...); err != nil {
		return store.Run{}, s.errorf(what, err)
	}
	got, err := scanRun(tx.QueryRowContext(ctx, s.qRun, r.ID), now)
	if err != nil {
		return store.Run{}, s.errorf(what, err)
	}
	runs := []store.Run{got}
	if err := s.loadLinksIn(ctx, tx, runs); err != nil {
		return store.Run{}, err
	}
	return runs[0], nil
}

// micros returns t in microseconds since the Unix epoch; 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// checkRecorded fails, naming every one, if a link names a component that is
// not recorded.
func (s *Store) checkRecorded(ctx context.Context, tx *sql.Tx, r store.Run) error {
	var missing []string
	for _, l := range r.Components {
		var one int
		err := tx.QueryRowContext(ctx, s.qComponentExists(), l.Hash).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			missing = append(missing, fmt.Sprintf("%s (role %q)", l.Hash, l.Role))
			continue
		}
		if err != nil {
			return s.errorf("starting run "+r.ID, err)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: run %s: components not recorded: %s; record them first (PutComponents) or pass them in Run.Records",
			store.ErrInvalid, r.ID, strings.Join(missing, ", "))
	}
	return nil
}

func (s *Store) qComponentExists() string {
	return s.d.Rebind(`SELECT 1 FROM components WHERE hash = ?`)
}

// FinishRun ends a run: its final status, end time and final metrics.
func (s *Store) FinishRun(ctx context.Context, runID, status string, final map[string]float64) error {
	if err := store.CheckStatus(status); err != nil {
		return fmt.Errorf("finishing run %s: %w", runID, err)
	}
	fin, err := encodeFinal(final)
	if err != nil {
		return fmt.Errorf("%w: finishing run %s: %v", store.ErrInvalid, runID, err)
	}
	what := "finishing run " + runID
	return s.write(ctx, what, func(tx *sql.Tx) error {
		if err := s.checkWrite(ctx, tx, what, runID, status); err != nil {
			return err
		}
		// The owner that finishes a run is seen then too.
		now := store.Now().UnixMicro()
		if _, err := tx.ExecContext(ctx, s.d.Rebind(`UPDATE runs SET status = ?, ended = ?, last_seen = ?, final = ? WHERE id = ?`),
			status, now, now, fin, runID); err != nil {
			return s.errorf(what, err)
		}
		if err := s.writeFinals(ctx, tx, runID, final); err != nil {
			return s.errorf(what, err)
		}
		return nil
	})
}

// Run returns the run with the given ID or unique ID prefix.
func (s *Store) Run(ctx context.Context, idOrPrefix string) (store.Run, error) {
	now := store.Now()
	r, err := scanRun(s.db.QueryRowContext(ctx, s.qRun, idOrPrefix), now)
	switch {
	case err == nil:
		return s.withLinks(ctx, r)
	case !errors.Is(err, sql.ErrNoRows):
		return store.Run{}, s.errorf("looking up run "+idOrPrefix, err)
	case len(idOrPrefix) < store.MinPrefix:
		return store.Run{}, fmt.Errorf("run %q: %w (a prefix needs at least %d characters)", idOrPrefix, store.ErrNotFound, store.MinPrefix)
	}
	// IDs compare byte-wise (TEXT COLLATE "C" in PostgreSQL), so the IDs
	// starting with p lie in [p, p+U+10FFFF), the greatest code point.
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(`SELECT `+runCols+` FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 11`),
		idOrPrefix, idOrPrefix+"\U0010FFFF")
	if err != nil {
		return store.Run{}, s.errorf("looking up run prefix "+idOrPrefix, err)
	}
	runs, err := scanRuns(rows, now)
	if err != nil {
		return store.Run{}, s.errorf("looking up run prefix "+idOrPrefix, err)
	}
	runs = slices.DeleteFunc(runs, func(r store.Run) bool { return !strings.HasPrefix(r.ID, idOrPrefix) })
	switch len(runs) {
	case 0:
		return store.Run{}, fmt.Errorf("run %s: %w", idOrPrefix, store.ErrNotFound)
	case 1:
		return s.withLinks(ctx, runs[0])
	}
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	return store.Run{}, store.NewAmbiguousError("run", idOrPrefix, ids)
}

// withLinks loads the component links of r.
func (s *Store) withLinks(ctx context.Context, r store.Run) (store.Run, error) {
	runs := []store.Run{r}
	if err := s.loadLinks(ctx, runs); err != nil {
		return store.Run{}, err
	}
	return runs[0], nil
}

// loadLinks fills in the Components of runs.
func (s *Store) loadLinks(ctx context.Context, runs []store.Run) error {
	return s.loadLinksIn(ctx, s.db, runs)
}

// querier is what *sql.DB and *sql.Tx have in common that loadLinksIn uses.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadLinksIn fills in the Components of runs, reading through q.
func (s *Store) loadLinksIn(ctx context.Context, q querier, runs []store.Run) error {
	if len(runs) == 0 {
		return nil
	}
	idx := make(map[string]int, len(runs))
	args := make([]any, len(runs))
	for i, r := range runs {
		idx[r.ID] = i
		args[i] = r.ID
	}
	rows, err := q.QueryContext(ctx, s.d.Rebind(`SELECT run_id, role, hash FROM run_components WHERE run_id IN (?`+
		strings.Repeat(", ?", len(runs)-1)+`) ORDER BY run_id, role`), args...)
	if err != nil {
		return s.errorf("loading run components", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l store.RunComponent
		if err := rows.Scan(&id, &l.Role, &l.Hash); err != nil {
			return s.errorf("loading run components", err)
		}
		i := idx[id]
		runs[i].Components = append(runs[i].Components, l)
	}
	if err := rows.Err(); err != nil {
		return s.errorf("loading run components", err)
	}
	return nil
}

// scanRun reads a run (runCols) and reports its status as of now.
func scanRun(r scanner, now time.Time) (store.Run, error) {
	var run store.Run
	var started, lastSeen, lostAfter int64
	var ended sql.NullInt64
	var params, final, past string
	if err := r.Scan(&run.ID, &run.Status, &started, &ended, &run.ArtifactDir, &params, &final,
		&run.Owner.Host, &run.Owner.PID, &lastSeen, &lostAfter,
		&run.ArtifactURL, &run.ArtifactSHA256, &run.Attempts, &past); err != nil {
		return run, err
	}
	if err := json.Unmarshal([]byte(past), &run.PastAttempts); err != nil {
		return run, fmt.Errorf("run %s: past attempts: %w", run.ID, err)
	}
	if len(run.PastAttempts) == 0 {
		run.PastAttempts = nil
	}
	run.StartedAt = time.UnixMicro(started).UTC()
	if ended.Valid {
		run.EndedAt = time.UnixMicro(ended.Int64).UTC()
	}
	if lastSeen != 0 {
		run.LastSeen = time.UnixMicro(lastSeen).UTC()
	}
	run.LostAfter = time.Duration(lostAfter) * time.Microsecond
	run.Status = store.ReportedStatus(run.Status, run.LastSeen, run.LostAfter, now)
	if err := json.Unmarshal([]byte(params), &run.Params); err != nil {
		return run, fmt.Errorf("run %s: params: %w", run.ID, err)
	}
	if len(run.Params) == 0 {
		run.Params = nil
	}
	f, err := decodeFinal(final)
	if err != nil {
		return run, fmt.Errorf("run %s: final metrics: %w", run.ID, err)
	}
	run.Final = f
	return run, nil
}

func scanRuns(rows *sql.Rows, now time.Time) ([]store.Run, error) {
	defer rows.Close()
	var runs []store.Run
	for rows.Next() {
		r, err := scanRun(rows, now)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// encodeFinal encodes final metrics as a JSON object. JSON has no NaN or
// infinities, which a diverged run may well report, so those are written as
// the strings "NaN", "+Inf" and "-Inf".
func encodeFinal(final map[string]float64) (string, error) {
	m := make(map[string]any, len(final))
	for _, k := range slices.Sorted(maps.Keys(final)) {
		m[k] = encodeFloat(final[k])
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func decodeFinal(s string) (map[string]float64, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, nil
	}
	final := make(map[string]float64, len(m))
	for k, v := range m {
		f, err := decodeFloat(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		final[k] = f
	}
	return final, nil
}
