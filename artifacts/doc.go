// Package artifacts keeps the files a training run produces — its
// pipeline.json and weights checkpoint — in a bucket named by URL, through
// gocloud.dev/blob, so that any host sharing the store can load them:
//
//	file:///srv/mlregistry/runs                     a directory (the default: runs/)
//	s3://bucket?endpoint=http://host:7070&use_path_style=true   an S3-compatible service
//	gs://bucket, azblob://container                 with the build tags gcs, azure
//
// A run's files are written under its ID and attempt, "<run>/<attempt>/",
// followed last by a manifest (MANIFEST.json) that lists every file with
// its size and SHA-256. The run's Ref — the URL of that folder and the
// SHA-256 of the manifest — is recorded in the store only after the
// manifest is written, so a half-uploaded checkpoint is never referenced;
// Fetch checks the manifest against the recorded SHA-256 and every file
// against the manifest.
//
// Credentials never appear in a bucket URL: Open refuses a URL that holds
// any. They come from the environment or the SDK's standard chains
// (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws, instance roles).
package artifacts
