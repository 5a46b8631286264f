package main

import (
	"errors"
	"io/fs"
	"net"
	"net/url"

	"github.com/mlregistry/mlregistry/ml"
)

// inputOrIOErr classifies an error of building what the user asked for: a
// failure to read or download files (exit 1) is not the user's input being
// wrong (exit 2), which is everything else.
func inputOrIOErr(err error) error {
	if isIOFailure(err) {
		return err
	}
	return exitAs(errUsage, err)
}

// isIOFailure reports whether err is a file or network failure: a missing
// or unreadable file, a refused connection, a download whose checksum is
// wrong.
func isIOFailure(err error) bool {
	var pathErr *fs.PathError
	var urlErr *url.Error
	var netErr net.Error
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, ml.ErrChecksum) ||
		errors.As(err, &pathErr) || errors.As(err, &urlErr) || errors.As(err, &netErr)
}
