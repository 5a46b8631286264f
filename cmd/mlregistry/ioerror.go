package main

import "github.com/mlregistry/mlregistry/service"

// inputOrIOErr classifies an error of building what the user asked for: a
// failure to read or download files (exit 1) is not the user's input being
// wrong (exit 2), which is everything else.
func inputOrIOErr(err error) error {
	if isIOFailure(err) {
		return err
	}
	return exitAs(errUsage, err)
}

// isIOFailure reports whether err is a file or network failure (see
// service.IsIOFailure).
func isIOFailure(err error) bool { return service.IsIOFailure(err) }
