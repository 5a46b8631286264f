// Command mlregistry-gen writes typed tracking constructors for a package's
// registered components. Put this line in the package:
//
//	//go:generate go run github.com/mlregistry/mlregistry/cmd/mlregistry-gen
//
// and run go generate. mlregistry-gen loads the package, finds its
// mlregistry.Register and TryRegister calls whose constructor is a
// function declared in the package, and writes mlregistry_gen.go: for
// each such constructor, its parameter names (the Go names in snake_case,
// or a config struct's encoding/json names), each parameter's doc (the
// comment above it or at the end of its line), the constructor's doc
// comment, and a tracking constructor that records its arguments without
// reflection. The same Register calls then return the generated
// constructors; Params becomes optional. Check the file in, and
// regenerate whenever a constructor changes: a stale file is reported by
// Register.
//
// With -tests, it writes the tracking constructors of the constructors
// declared in the package's test files instead: mlregistry_gen_test.go
// (package p) and mlregistry_gen_x_test.go (package p_test).
//
// Usage:
//
//	mlregistry-gen [-dir DIR] [-o FILE] [-tests]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "mlregistry-gen:", err)
		}
		os.Exit(2)
	}
}

// run is the command, with its arguments and outputs.
func run(args []string, stdout, stderr io.Writer) error {
	f := flag.NewFlagSet("mlregistry-gen", flag.ContinueOnError)
	f.SetOutput(stderr)
	dir := f.String("dir", ".", "the package's `directory` (go generate runs in it)")
	out := f.String("o", "", "the generated `file`'s name, in the package's directory (default "+defaultOutput+", or "+defaultTestOutput+" and "+defaultXTestOutput+" with -tests)")
	tests := f.Bool("tests", false, "generate for the constructors declared in the package's test files")
	f.Usage = func() {
		fmt.Fprintln(stderr, "usage: mlregistry-gen [-dir DIR] [-o FILE] [-tests]")
		fmt.Fprintln(stderr, "Writes typed tracking constructors for the package's registered components.")
		f.PrintDefaults()
	}
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: mlregistry-gen takes flags only (see -h)", f.Args())
	}
	units, err := load(*dir, *tests)
	if err != nil {
		return err
	}
	for _, u := range units {
		name := u.output(*out, *tests)
		written, err := u.write(name, stderr)
		if err != nil {
			return err
		}
		if written {
			noun := "constructors"
			if len(u.ctors) == 1 {
				noun = "constructor"
			}
			fmt.Fprintf(stdout, "mlregistry-gen: wrote %s (%d %s)\n", u.rel(name), len(u.ctors), noun)
		}
	}
	return nil
}
