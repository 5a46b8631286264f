package service

import (
	"context"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/jobs"
)

// JobTrainer trains a queue's jobs with Train: its Train method is a
// jobs.TrainFunc. Each job's run is started under its ID; its files are
// saved under RunsDir, or uploaded to Artifacts (RunsDir then "" stages
// them in a temporary folder). A job stopped by the queue's Stop — serve or
// a worker drained on SIGTERM — is handed back to the queue when HandBack
// is set, for another worker to start again under the same ID, and is
// recorded as interrupted otherwise.
type JobTrainer struct {
	RunsDir   string
	Artifacts *artifacts.Bucket
	HandBack  bool
}

// Train trains one job's run.
func (jt *JobTrainer) Train(ctx context.Context, job jobs.Job) (jobs.Outcome, error) {
	t, err := Train(ctx, Training{Pipeline: job.Pipeline, Store: job.Store, RunID: job.RunID, RunsDir: jt.RunsDir,
		Artifacts: jt.Artifacts, HandBack: jt.HandBack, LostAfter: job.LostAfter})
	return jobs.Outcome{Started: t.Started, HandedBack: t.HandedBack}, err
}
