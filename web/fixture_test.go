package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// envelope is a metadata envelope as the codec writes it (the hash is
// made up: pages never recompute it).
func envelope(kind, name, hash, kwargs, arguments, signature string) string {
	return fmt.Sprintf(`{"format": "mlregistry/v1", "kind": %q, "name": %q, "hash": %q, "scheme": "canonical/v1", "version": 1, "args": [], "kwargs": %s, "arguments": %s, "signature": %s}`,
		kind, name, hash, kwargs, arguments, signature)
}

const (
	perceptronSig = `[{"name": "input_size", "type": "int"}, {"name": "hidden_size", "type": "int"}, {"name": "output_size", "type": "int"}, {"name": "p", "type": "float64", "default": 0.5}, {"name": "bias", "type": "bool", "default": true}]`
	adamSig       = `[{"name": "params", "type": "*model.Store", "excluded": true}, {"name": "lr", "type": "float64", "default": 0.001}, {"name": "betas", "type": "[]float64", "default": [0.9, 0.999]}, {"name": "eps", "type": "float64", "default": 1e-08}, {"name": "weight_decay", "type": "float64", "default": 0.0}]`
	digitsSig     = `[{"name": "train", "type": "bool", "default": true}]`
)

// model, adam and digits return recorded components.
func model(hidden int) store.Component {
	h := fmt.Sprintf("aa%030x", hidden)
	kw := fmt.Sprintf(`{"input_size": 64, "hidden_size": %d, "output_size": 10, "p": 0.1, "bias": true}`, hidden)
	return store.Component{Hash: h, Name: "Perceptron", Kind: "model", Envelope: []byte(envelope("model", "Perceptron", h, kw, kw, perceptronSig))}
}

func adam(lr float64) store.Component {
	h := fmt.Sprintf("bb%030x", int(lr*1e6))
	return store.Component{Hash: h, Name: "Adam", Kind: "optimizer", Envelope: []byte(envelope("optimizer", "Adam", h,
		fmt.Sprintf(`{"lr": %v}`, lr), fmt.Sprintf(`{"betas": [0.9, 0.999], "eps": 1e-08, "lr": %v, "weight_decay": 0.0}`, lr), adamSig))}
}

func digits() store.Component {
	h := "cc000000000000000000000000000001"
	return store.Component{Hash: h, Name: "Digits", Kind: "dataset", Envelope: []byte(envelope("dataset", "Digits", h, `{}`, `{"train": true}`, digitsSig))}
}

// record records a finished run of the given model and lr, with a loss
// curve of points steps, through the store's API.
func record(t testing.TB, s store.Store, id string, at time.Time, m, opt store.Component, points int, acc float64) store.Run {
	t.Helper()
	ctx := context.Background()
	r, err := s.StartRun(ctx, store.Run{ID: id, StartedAt: at, Owner: store.RunOwner{Host: "host-" + id, PID: 42}, Records: []store.Component{m, opt, digits()},
		Components: []store.RunComponent{{Role: "model", Hash: m.Hash}, {Role: "optimizer", Hash: opt.Hash}, {Role: "dataset", Hash: digits().Hash}},
		Params:     map[string]any{"batch_size": 32, "steps": points * 2, "seed": 1}})
	if err != nil {
		t.Fatal(err)
	}
	ms := make([]store.Metric, points)
	for i := range ms {
		ms[i] = store.Metric{Step: int64(2 * (i + 1)), Name: "batch_loss", Value: 2 / float64(i+1)}
	}
	if err := s.LogMetrics(ctx, id, ms...); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, id, store.StatusSucceeded, map[string]float64{"test_accuracy": acc, "train_loss_avg": 1 - acc}); err != nil {
		t.Fatal(err)
	}
	r.Status = store.StatusSucceeded
	return r
}

// bulkFill writes n finished runs straight into an SQLite store's tables,
// in one transaction (StartRun and FinishRun would take two each): 100
// models and 10 learning rates shared among them.
func bulkFill(tb testing.TB, s store.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	var cs []store.Component
	for i := range 100 {
		cs = append(cs, model(16+i))
	}
	for i := range 10 {
		cs = append(cs, adam(float64(i+1)/1000))
	}
	cs = append(cs, digits())
	if err := s.PutComponents(ctx, cs...); err != nil {
		tb.Fatal(err)
	}
	db, _ := s.(store.SQLBacked).Database()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	prep := func(q string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			tb.Fatal(err)
		}
		return st
	}
	runs := prep(`INSERT INTO runs (id, status, started, ended, artifact_dir, params, final, owner_host, owner_pid, last_seen, lost_after) VALUES (?, 'succeeded', ?, ?, '', '{"batch_size":32,"steps":200,"seed":1}', ?, 'bench', 1, ?, 30000000)`)
	links := prep(`INSERT INTO run_components (run_id, role, hash) VALUES (?, ?, ?)`)
	finals := prep(`INSERT INTO run_finals (run_id, name, value) VALUES (?, ?, ?)`)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for i := range n {
		id := fmt.Sprintf("run-bench-%07d", i)
		started := base + int64(i)*1_000_000
		acc := float64(i%1000) / 1000
		final := fmt.Sprintf(`{"test_accuracy":%v,"train_loss_avg":%v}`, acc, 1-acc)
		if _, err := runs.ExecContext(ctx, id, started, started+900_000, final, started+900_000); err != nil {
			tb.Fatal(err)
		}
		for _, l := range [][2]string{{"dataset", cs[110].Hash}, {"model", cs[i%100].Hash}, {"optimizer", cs[100+i%10].Hash}} {
			if _, err := links.ExecContext(ctx, id, l[0], l[1]); err != nil {
				tb.Fatal(err)
			}
		}
		for name, v := range map[string]float64{"test_accuracy": acc, "train_loss_avg": 1 - acc} {
			if _, err := finals.ExecContext(ctx, id, name, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
