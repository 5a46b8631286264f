package service

import (
	"errors"
	"io/fs"
	"net"
	"net/url"

	"github.com/mlregistry/mlregistry/ml"
)

// IsIOFailure reports whether err is a file or network failure — a missing
// or unreadable file, a refused connection, a download whose checksum is
// wrong — rather than a request being wrong: building a dataset reads its
// files.
func IsIOFailure(err error) bool {
	var pathErr *fs.PathError
	var urlErr *url.Error
	var netErr net.Error
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, ml.ErrChecksum) ||
		errors.As(err, &pathErr) || errors.As(err, &urlErr) || errors.As(err, &netErr)
}

// buildError classifies an error of building what a request describes: a
// failure to read or download files is not the request's fault; anything
// else is ErrInvalid.
func buildError(err error) error {
	if IsIOFailure(err) {
		return err
	}
	return as(ErrInvalid, err)
}
