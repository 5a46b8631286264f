package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxInput bounds every JSON file the commands read: the library's limit on
// one metadata document, 1 MiB.
const maxInput = 1 << 20

// readInput reads the JSON file path ("-": standard input) through a limited
// reader. A file that does not exist, is a directory or is larger than
// maxInput is an input error (exit 2) that says so, with the file's size;
// other read failures are failures (exit 1).
func readInput(path string) ([]byte, error) {
	if path == "-" {
		return readLimited(os.Stdin, "standard input", -1)
	}
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, exitAs(errUsage, fmt.Errorf("%s: no such file", path))
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, exitAs(errUsage, fmt.Errorf("%s is a directory: expected a JSON file", path))
	}
	return readLimited(fh, path, info.Size())
}

// readLimited reads at most maxInput bytes of r, named name; size is its
// size when known, else -1.
func readLimited(r io.Reader, name string, size int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > maxInput {
		got := "more than 1 MiB"
		if size > 0 {
			got = fmt.Sprintf("%d bytes (%.1f MiB)", size, float64(size)/(1<<20))
		}
		return nil, exitAs(errUsage, fmt.Errorf("%s is %s: the limit is %d bytes (1 MiB)", name, got, maxInput))
	}
	return data, nil
}
