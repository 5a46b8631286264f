package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// parseFlags parses the flags of a command that takes only flags: --help
// prints usage, about and the flags to stdout (errHelp); an unknown flag,
// with a "did you mean", or an argument is a usage error.
func parseFlags(fs *flag.FlagSet, args []string, usage, about string, stdout io.Writer) error {
	name := fs.Name()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage: %s\n\n%s\n\nFlags:\n", usage, strings.TrimSpace(about))
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
			return errHelp
		}
		return fmt.Errorf("%w: %v%s (run 'mlregistry %s --help')", errUsage, err, suggestFlagOf(fs, err), name)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q: %s takes only flags (run 'mlregistry %s --help')", errUsage, fs.Arg(0), name, name)
	}
	return nil
}

// checkWorkers checks a --workers flag: 1 to 64 runs at once.
func checkWorkers(n int) error {
	if n < 1 || n > 64 {
		return fmt.Errorf("%w: --workers %d: expected 1 to 64", errUsage, n)
	}
	return nil
}
