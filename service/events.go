package service

import (
	"context"
	"strconv"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// Event is one event of a run: its status (type "status", data the run) or
// a logged step (type "metric", data the metric). Its ID is the cursor to
// resume after: the last step sent.
type Event struct {
	ID   string
	Type string
	Data any
}

// Event types.
const (
	EventStatus = "status"
	EventMetric = "metric"
)

// FollowInterval is how often Follow looks at the store.
const FollowInterval = 200 * time.Millisecond

// Follow sends the events of run id: the metrics logged after step after
// (every one, when after is 0; the Last-Event-ID of a resumed stream
// otherwise) and then the run's status; after that, each metric and each
// change of status as they happen, until the run finishes (its final status is the last event), ctx
// ends, or send fails. It returns ErrNotFound for an unknown run before
// sending anything.
func (rs *Runs) Follow(ctx context.Context, id string, after int64, send func(Event) error) error {
	run, err := rs.Get(ctx, id)
	if err != nil {
		return err
	}
	id = run.ID
	cursor := after
	lastStatus := ""
	tick := time.NewTicker(FollowInterval)
	defer tick.Stop()
	for {
		ms, err := rs.Store.Metrics(ctx, id)
		if err != nil {
			return storeError(err)
		}
		from := cursor // a step's metrics of several names all go out
		for _, m := range ms {
			if m.Step <= from {
				continue
			}
			if err := send(Event{ID: strconv.FormatInt(m.Step, 10), Type: EventMetric, Data: m}); err != nil {
				return err
			}
			cursor = max(cursor, m.Step)
		}
		if run.Status != lastStatus {
			if err := send(Event{ID: strconv.FormatInt(cursor, 10), Type: EventStatus, Data: run}); err != nil {
				return err
			}
			lastStatus = run.Status
		}
		if finished(run.Status) {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if run, err = rs.Store.Run(ctx, id); err != nil {
			return storeError(err)
		}
	}
}

// finished reports whether status is one a run never leaves.
func finished(status string) bool {
	switch status {
	case store.StatusSucceeded, store.StatusFailed, store.StatusCanceled, store.StatusInterrupted:
		return true
	}
	return false
}
