// Command mlregistry trains, records, finds, compares and rebuilds
// machine-learning components registered with the mlregistry library.
//
// Usage:
//
//	mlregistry <command> [flags] [arguments]
//
// Run "mlregistry help" for the list of commands, and
// "mlregistry <command> --help" for one command's flags.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit codes that scripts can rely on.
const (
	exitOK       = 0 // success
	exitFailure  = 1 // the command ran and failed (training diverged, a hash did not match, ...)
	exitUsage    = 2 // bad flags, arguments or input files
	exitNotFound = 3 // the component, run or name asked for does not exist
)

// command is one subcommand of the CLI. Each lives in a file of its own and
// adds itself to commands in an init function.
type command struct {
	name    string
	summary string
	// run executes the command with the arguments after its name. It
	// returns an error for the user; errors wrapping errUsage exit with
	// exitUsage, errors wrapping errNotFound with exitNotFound.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// addCommand registers c; it panics on a duplicate name (a programming error).
func addCommand(c command) {
	if _, dup := commands[c.name]; dup {
		panic("mlregistry: duplicate command " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks an error in how the command was called.
var errUsage = errors.New("usage error")

// errNotFound marks a lookup that found nothing.
var errNotFound = errors.New("not found")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests.
func run(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		usage(stderr)
		return exitUsage
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help" && (len(args) == 1 || args[1] == "help"):
		usage(stdout)
		return exitOK
	case args[0] == "help":
		// "help ls" is "ls --help".
		if len(args) > 2 {
			fmt.Fprintf(stderr, "mlregistry help: expected one command, got %q\n", args[1:])
			return exitUsage
		}
		args = []string{args[1], "--help"}
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "mlregistry: unknown command %q%s\nRun 'mlregistry help' for the list of commands.\n", args[0], suggestCommand(args[0]))
		return exitUsage
	}
	err := c.run(args[1:], stdout, stderr)
	var coded exitCoder
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "mlregistry %s: %v\n", c.name, err)
		return exitUsage
	case errors.Is(err, errNotFound):
		fmt.Fprintf(stderr, "mlregistry %s: %v\n", c.name, err)
		return exitNotFound
	case errors.As(err, &coded):
		fmt.Fprintf(stderr, "mlregistry %s: %v\n", c.name, err)
		return coded.ExitCode()
	default:
		fmt.Fprintf(stderr, "mlregistry %s: %v\n", c.name, err)
		return exitFailure
	}
}

// exitCoder is an error that chooses its exit code, such as a command
// stopped by a signal (128 + its number).
type exitCoder interface {
	error
	ExitCode() int
}

// errHelp is returned by a command that printed its help on request.
var errHelp = errors.New("help requested")

func usage(w io.Writer) {
	fmt.Fprintln(w, "mlregistry — train, record, find, compare and rebuild ML components.")
	fmt.Fprintln(w, "\nUsage: mlregistry <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'mlregistry help <command>' (or 'mlregistry <command> --help') for a command's flags.")
	fmt.Fprintln(w, "\nExit codes: 0 success, 1 failure, 2 usage or input error, 3 not found.")
}

// suggestCommand returns ` (did you mean "x"?)` for a near miss, or "".
func suggestCommand(name string) string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	return nearest(name, names)
}
