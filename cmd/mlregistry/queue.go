package main

import (
	"context"
	"log/slog"

	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// openQueue opens the training queue of serve and worker on s: jobs
// trained by jt, workers at once, runs lost after $MLREGISTRY_LOST_AFTER,
// River's warnings to logger.
func openQueue(ctx context.Context, s store.Store, jt *service.JobTrainer, workers int, logger *slog.Logger) (*jobs.Queue, error) {
	lost, err := lostAfter()
	if err != nil {
		return nil, err
	}
	return jobs.Open(ctx, jobs.Config{Store: s, Train: jt.Train, Workers: workers, LostAfter: lost, Logger: logger})
}
