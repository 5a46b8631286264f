package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry/artifacts"
)

// artifactsUsage is the --artifacts flag's help of serve and worker.
const artifactsUsage = "bucket `URL` for the runs' files, under each run's ID: file://DIR or s3://BUCKET?endpoint=…&use_path_style=true (credentials from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"

// openArtifacts opens the bucket of the --artifacts flag; a URL that names
// none is a usage error.
func openArtifacts(ctx context.Context, rawURL string) (*artifacts.Bucket, error) {
	b, err := artifacts.Open(ctx, rawURL)
	if errors.Is(err, artifacts.ErrBadURL) {
		return nil, fmt.Errorf("%w: --artifacts: %v", errUsage, err)
	}
	if err != nil {
		return nil, fmt.Errorf("--artifacts: %w", err)
	}
	return b, nil
}
