package artifacts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gocloud.dev/blob"
)

// ErrBadURL is matched (errors.Is) by Open's error for a URL that cannot
// name a bucket: malformed, of an unknown scheme, or holding credentials.
var ErrBadURL = errors.New("bad artifacts URL")

// Bucket is an open bucket that runs' artifacts are written to and read
// from. Close it when done.
type Bucket struct {
	url    string // the bucket's URL, normalized (file URLs absolute)
	bucket *blob.Bucket
}

// credentialParams are query parameters that would put a secret in a URL.
var credentialParams = []string{"access_key", "access_key_id", "aws_access_key_id", "secret", "secret_key",
	"secret_access_key", "aws_secret_access_key", "session_token", "token", "sas_token", "password", "credentials"}

// Open opens the bucket at rawURL: file://DIR (a relative DIR is taken from
// the working directory, and created), a bare directory path, s3://…, or
// gs:// and azblob:// when built with the gcs or azure tag. A URL with a
// user, a password or a credential parameter is refused: credentials come
// from the environment.
func Open(ctx context.Context, rawURL string) (*Bucket, error) {
	u, err := Normalize(rawURL)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(u, "file://") {
		if err := os.MkdirAll(filePath(u), 0o755); err != nil {
			return nil, fmt.Errorf("artifacts %s: %w", u, err)
		}
	}
	b, err := blob.OpenBucket(ctx, sdkURL(u))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v%s", ErrBadURL, Redact(u), err, schemeHint(u))
	}
	return &Bucket{url: u, bucket: b}, nil
}

// Normalize checks rawURL and returns it in the form the store records: a
// bare path or a relative file:// URL becomes an absolute file:// URL.
func Normalize(rawURL string) (string, error) {
	if rawURL == "" {
		return "", fmt.Errorf("%w: empty: want file://DIR or s3://BUCKET?endpoint=…", ErrBadURL)
	}
	if !strings.Contains(rawURL, "://") {
		rawURL = "file://" + rawURL // a directory
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if u.User != nil {
		return "", fmt.Errorf("%w: %s holds a user or password: give credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never in the URL", ErrBadURL, Redact(rawURL))
	}
	for k := range u.Query() {
		if slices.Contains(credentialParams, strings.ToLower(k)) {
			return "", fmt.Errorf("%w: %s: query parameter %q holds a credential: give credentials in the environment, never in the URL", ErrBadURL, Redact(rawURL), k)
		}
	}
	if u.Scheme != "file" {
		return u.String(), nil
	}
	dir := u.Host + u.Path // file://runs is the relative folder runs
	if u.Host == "." {
		dir = "." + u.Path
	}
	abs, err := filepath.Abs(filepath.FromSlash(dir))
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrBadURL, rawURL, err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: u.RawQuery}).String(), nil
}

// sdkURL returns the URL the driver opens for u: for s3://, the SDK's own
// response checksums are checked only when the service requires it (the
// manifest's SHA-256 checks every file anyway), so that objects uploaded
// in parts do not make the SDK warn on every read.
func sdkURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "s3" {
		return u
	}
	q := p.Query()
	if !q.Has("response_checksum_validation") {
		q.Set("response_checksum_validation", "when_required")
		p.RawQuery = q.Encode()
	}
	return p.String()
}

// filePath returns the directory of a normalized file:// URL.
func filePath(fileURL string) string {
	u, _ := url.Parse(fileURL) // normalized: it parses
	return filepath.FromSlash(u.Path)
}

// schemeHint says which schemes there are, for an unknown one.
func schemeHint(u string) string {
	scheme, _, _ := strings.Cut(u, "://")
	known := Schemes()
	if slices.Contains(known, scheme) {
		return ""
	}
	hint := fmt.Sprintf(" (this build knows %s)", strings.Join(known, ", "))
	if best := nearest(scheme, known); best != "" {
		hint = fmt.Sprintf(" (did you mean %s://? this build knows %s)", best, strings.Join(known, ", "))
	}
	return hint
}

// URL returns the bucket's URL as the store records it.
func (b *Bucket) URL() string { return b.url }

// Close releases the bucket.
func (b *Bucket) Close() error { return b.bucket.Close() }

// Redact returns u with its query values that could be sensitive removed
// and any user information dropped, for messages.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(an unparsable URL)"
	}
	p.User = nil
	q := p.Query()
	for k := range q {
		if slices.Contains(credentialParams, strings.ToLower(k)) {
			q.Set(k, "REDACTED")
		}
	}
	p.RawQuery = q.Encode()
	return p.String()
}

// Holds reports whether u, a run's recorded artifacts URL, names one of
// the attempt folders of run runID in this bucket — the same bucket,
// endpoint and options, with the prefix of Folder(runID, attempt). A
// server deletes a run's objects only from its own bucket.
func (b *Bucket) Holds(u, runID string) bool {
	ref, err := url.Parse(u)
	if err != nil {
		return false
	}
	base, err := url.Parse(b.url)
	if err != nil {
		return false
	}
	rq, bq := ref.Query(), base.Query()
	prefix, basePrefix := rq.Get("prefix"), bq.Get("prefix")
	rq.Del("prefix")
	bq.Del("prefix")
	if ref.Scheme != base.Scheme || ref.Host != base.Host || ref.Path != base.Path || rq.Encode() != bq.Encode() {
		return false
	}
	attempt, ok := strings.CutPrefix(prefix, basePrefix+runID+"/")
	if !ok {
		return false
	}
	attempt, ok = strings.CutSuffix(attempt, "/")
	return ok && attempt != "" && strings.Trim(attempt, "0123456789") == ""
}
