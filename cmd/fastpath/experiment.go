package main

import (
	"fmt"
	"io"
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
