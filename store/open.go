package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// DefaultURL is the store Open uses for an empty URL: an SQLite file in the
// current directory.
const DefaultURL = "sqlite://./mlregistry.db"

// Opener opens a store from a URL of the scheme it registered for.
type Opener func(ctx context.Context, url string) (Store, error)

var (
	backendsMu sync.RWMutex
	backends   = map[string]Opener{}
	readers    = map[string]Opener{} // read-only openers, by scheme
)

// Register makes a backend available to Open under a URL scheme, such as
// "sqlite" or "postgres". It is meant to be called from the backend package's
// init function, and panics if open is nil or the scheme is registered twice.
func Register(scheme string, open Opener) { register("Register", backends, scheme, open) }

// RegisterReadOnly makes a backend's read-only opener available to
// OpenReadOnly under a URL scheme. The opener must never create, migrate or
// write anything: it opens an existing store for reading, fails with
// ErrNotStore when the database holds no mlregistry store, and with a
// *SchemaError when its schema is not the one this program reads. It panics
// if open is nil or the scheme is registered twice.
func RegisterReadOnly(scheme string, open Opener) {
	register("RegisterReadOnly", readers, scheme, open)
}

// register adds open to openers under scheme, for the function fn.
func register(fn string, openers map[string]Opener, scheme string, open Opener) {
	backendsMu.Lock()
	defer backendsMu.Unlock()
	if open == nil {
		panic("store: " + fn + " opener is nil")
	}
	if _, dup := openers[scheme]; dup {
		panic("store: " + fn + " called twice for scheme " + scheme)
	}
	openers[scheme] = open
}

// Backends returns the sorted URL schemes of the registered backends.
func Backends() []string {
	backendsMu.RLock()
	defer backendsMu.RUnlock()
	return slices.Sorted(maps.Keys(backends))
}

// Open opens the store at url, creating and migrating its schema as needed.
// The URL's scheme chooses the backend; an empty URL means DefaultURL, and a
// path without a scheme is an SQLite file. See the package documentation for
// the URL forms.
func Open(ctx context.Context, url string) (Store, error) {
	return openWith(ctx, url, backends)
}

// OpenReadOnly opens the existing store at url for reading only: it never
// creates a file or a table, never migrates, and its write methods fail. It
// works on a store the caller may only read (an SQLite file of mode 0444 in a
// directory of mode 0555 that another user owns). A database that holds no
// mlregistry store fails with ErrNotStore; a store whose schema is older or
// newer than this program's fails with a *SchemaError (matching
// ErrSchemaVersion): Open, which migrates, brings an older one up to date.
func OpenReadOnly(ctx context.Context, url string) (Store, error) {
	return openWith(ctx, url, readers)
}

// openWith opens url with the opener registered in openers for its scheme.
func openWith(ctx context.Context, url string, openers map[string]Opener) (Store, error) {
	if url == "" {
		url = DefaultURL
	}
	scheme, ok := schemeOf(url)
	if !ok {
		scheme, url = "sqlite", "sqlite://"+url
	}
	backendsMu.RLock()
	open := openers[scheme]
	backendsMu.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("store: open %q: %w %q (registered: %s; forgotten import of github.com/mlregistry/mlregistry/store/%s?)",
			redact(url), ErrUnknownBackend, scheme, strings.Join(Backends(), ", "), scheme)
	}
	return open(ctx, url)
}

// schemeOf returns the scheme of a URL "scheme://…" or "scheme:…". A one-letter
// scheme is a Windows drive, not a scheme.
func schemeOf(url string) (string, bool) {
	i := strings.Index(url, ":")
	if i < 2 {
		return "", false
	}
	for _, r := range url[:i] {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '+' || r == '-' || r == '.') {
			return "", false
		}
	}
	return strings.ToLower(url[:i]), true
}

// redact hides the password in a URL, for error messages.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	sep := strings.Index(url, "://")
	if at < 0 || sep < 0 || at < sep {
		return url
	}
	userinfo := url[sep+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return url[:sep+3] + user + ":xxxxx" + url[at:]
	}
	return url
}

// Redact returns url with its password, if any, replaced by "xxxxx", for
// messages and logs.
func Redact(url string) string { return redact(url) }
