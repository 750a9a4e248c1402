package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// study is one study run by "fastpath experiment NAME [flags]". Each
// study lives in its own file and adds itself to the table from an init
// function with registerExperiment, so studies never edit a shared list.
type study struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
	usage   func(w io.Writer)
}

var experiments = map[string]study{}

// registerExperiment adds e to the table; it panics on a duplicate name
// (a programming error caught by every test run).
func registerExperiment(e study) {
	if _, dup := experiments[e.name]; dup {
		panic("fastpath: duplicate experiment " + e.name)
	}
	experiments[e.name] = e
}

func experimentNames() []string {
	names := make([]string, 0, len(experiments))
	for n := range experiments {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func runExperiment(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		w := stderr
		if len(args) > 0 {
			w = stdout
		}
		experimentUsage(w)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	e, ok := experiments[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "fastpath experiment: unknown experiment %q (run 'fastpath help experiment')\n", args[0])
		return 2
	}
	return e.run(args[1:], stdout, stderr)
}

func experimentUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath experiment <name> [flags]\n\nExperiments:\n")
	for _, n := range experimentNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, experiments[n].summary)
	}
	if len(experiments) == 0 {
		fmt.Fprintf(w, "  (none yet)\n")
	}
	fmt.Fprintf(w, "\nRun 'fastpath experiment <name> -h' for an experiment's flags.\n")
}

// studyCLI is the frame every 'fastpath experiment NAME' command shares:
// flag parsing (-h prints the usage to stdout), usage errors (exit 2, with
// a pointer to -h), and running the study under a context that Ctrl-C
// cancels (exit 1 on failure; on interruption a hint to -resume and exit
// exitInterrupted).
type studyCLI struct {
	name           string
	stdout, stderr io.Writer
}

// parse parses args into fs, which must take no positional arguments;
// done reports that the command is over, with exit code code (after -h,
// or a usage error).
func (c studyCLI) parse(fs *flag.FlagSet, args []string, usage func(io.Writer)) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(c.stdout)
			return 0, true
		}
		return c.bad("%v", err), true
	}
	if fs.NArg() > 0 {
		return c.bad("unexpected argument %q", fs.Arg(0)), true
	}
	return 0, false
}

// bad reports a usage error and returns exit code 2.
func (c studyCLI) bad(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "fastpath experiment %s: "+format+" (run 'fastpath experiment %s -h')\n", append(append([]any{c.name}, a...), c.name)...)
	return 2
}

// run runs study under a context that Ctrl-C cancels and returns the
// command's exit code.
func (c studyCLI) run(study func(ctx context.Context) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := study(ctx); err != nil {
		fmt.Fprintf(c.stderr, "fastpath experiment %s: %v\n", c.name, err)
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(c.stderr, "fastpath experiment %s: interrupted; the same command with -resume continues it\n", c.name)
			return exitInterrupted
		}
		return 1
	}
	return 0
}
