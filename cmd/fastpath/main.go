// Command fastpath is fastpath's command-line tool.
//
// Usage:
//
//	fastpath <command> [flags]
//
// Commands:
//
//	train       train a ReLU network on MNIST or a data set of its form
//	eval        evaluate a saved model on a test set; export it as safetensors
//	bench       measure the kernels and GEMM against the FMA peak, gonum and pure Go
//	experiment  run one of the thesis's studies
//	version     print the build, the Go version and the selected kernels
//	help        print this help, or a command's flags
//
// Run "fastpath help <command>" for a command's flags. Bad commands and
// flags print one line on stderr and exit with status 2; work that fails
// (a missing or corrupted file, a diverged training run) exits with
// status 1, and a training run stopped by Ctrl-C with status 130.
package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
)

// command is one subcommand. run receives the arguments after the
// command's name and returns the exit status; usage describes the flags
// (for "fastpath help <command>").
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
	usage   func(w io.Writer)
}

// commands is the subcommand table, in the order help lists it. Studies are
// not listed here: they register under "experiment" (experiment.go).
var commands []command

func init() {
	commands = []command{
		{"train", "train a ReLU network on MNIST or a data set of its form", runTrain, trainUsage},
		{"eval", "evaluate a saved model on a test set; export it as safetensors", runEval, evalUsage},
		{"bench", "measure the kernels and GEMM against the FMA peak, gonum and pure Go", runBench, benchUsage},
		{"experiment", "run one of the thesis's studies: fastpath experiment <name> [flags]", runExperiment, experimentUsage},
		{"version", "print the build, the Go version and the selected kernels", runVersion, versionUsage},
		{"help", "print this help, or a command's flags: fastpath help <command>", runHelp, nil},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args (without the program name) and
// returns the exit status: 0 on success, 1 when the work failed, 2 for a
// bad command line.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	if c := lookup(args[0]); c != nil {
		return c.run(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "fastpath: unknown command %q (run 'fastpath help' for the list)\n", args[0])
	return 2
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// usage writes the overall help.
func usage(w io.Writer) {
	fmt.Fprintf(w, "fastpath: fast CPU training of ReLU networks with path-normalized optimization\n\n")
	fmt.Fprintf(w, "Usage: fastpath <command> [flags]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun 'fastpath help <command>' for a command's flags.\n")
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return 0
	case 1:
		c := lookup(args[0])
		if c == nil {
			fmt.Fprintf(stderr, "fastpath help: unknown command %q (run 'fastpath help' for the list)\n", args[0])
			return 2
		}
		if c.usage == nil {
			usage(stdout)
		} else {
			c.usage(stdout)
		}
		return 0
	case 2:
		if args[0] == "experiment" {
			// "help experiment NAME" is "experiment NAME -h".
			return run([]string{"experiment", args[1], "-h"}, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "fastpath help: too many arguments (want a command name, or experiment and a study's name)\n")
	return 2
}

// plural is "1 epoch", "2 epochs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
