package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/fastpath-go/fastpath/experiment"
	"github.com/fastpath-go/fastpath/experiment/plots"
)

// The conditions experiment is the command-line front end of
// experiment.ConditionsStudy (the thesis's Figures 3-5).

func init() {
	registerExperiment(study{
		name:    "conditions",
		summary: "the perturbation bound's conditions C1-C3 on a deep perceptron, at initialisation and trained (Figures 3-5)",
		run:     runConditionsExperiment,
		usage:   conditionsUsage,
	})
}

type conditionsFlags struct {
	out    string
	resume bool
	cfg    experiment.ConditionsConfig
	sigmas string
}

func newConditionsFlagSet(f *conditionsFlags) *flag.FlagSet {
	d := experiment.DefaultConditionsConfig()
	f.cfg = d
	fs := flag.NewFlagSet("experiment conditions", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.out, "out", "conditions-out", "output `directory`: the study's cells, CSV files, plot and markdown table")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out: a finished stage is kept, interrupted training continues from its checkpoint")
	fs.StringVar(&f.cfg.MNIST, "mnist", "", "MNIST `directory` (default: the GoMNIST module or $FASTPATH_MNIST)")
	fs.IntVar(&f.cfg.Depth, "depth", d.Depth, "hidden layers")
	fs.IntVar(&f.cfg.Width, "width", d.Width, "units per hidden layer")
	fs.IntVar(&f.cfg.Epochs, "epochs", d.Epochs, "training epochs")
	fs.IntVar(&f.cfg.Batch, "batch", d.Batch, "mini-batch size")
	fs.Float64Var(&f.cfg.LR, "lr", d.LR, "SGD step size")
	fs.Float64Var(&f.cfg.Momentum, "momentum", d.Momentum, "SGD momentum")
	fs.IntVar(&f.cfg.Examples, "examples", d.Examples, "training images the conditions are measured on")
	fs.StringVar(&f.sigmas, "sigmas", "0.001,0.003,0.01,0.03,0.1,0.3", "relative perturbation sizes of C2")
	fs.IntVar(&f.cfg.Draws, "draws", d.Draws, "perturbations per size")
	fs.Float64Var(&f.cfg.Tol, "tol", d.Tol, "relative tolerance of the Jacobians' power iterations")
	fs.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of the initialisation, shuffling, images and perturbations")
	return fs
}

func conditionsUsage(w io.Writer) {
	fmt.Fprintf(w, `Usage: fastpath experiment conditions [flags]

The thesis's Figures 3-5: a perceptron of -depth hidden layers of -width ReLU
units on MNIST, at its He initialisation and after -epochs of SGD, measured on
-examples training images with the three conditions of the perturbation bound
for deep networks (package measures documents the reading of C1-C3
implemented): C1, the distribution of 1/mu over examples and layer triples;
C2, the fraction of ReLU states flipped by a relative weight perturbation of
each size in -sigmas; C3, the hidden units' row-norm ratios. Writes
conditions_mu.csv, conditions_flips.csv, conditions_c3.csv, conditions.md and
conditions.png to -out; resumable with -resume. Flags:

`)
	fs := newConditionsFlagSet(new(conditionsFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runConditionsExperiment(args []string, stdout, stderr io.Writer) int {
	cli := studyCLI{name: "conditions", stdout: stdout, stderr: stderr}
	var f conditionsFlags
	if code, done := cli.parse(newConditionsFlagSet(&f), args, conditionsUsage); done {
		return code
	}
	var err error
	c := &f.cfg
	if c.Sigmas, err = experiment.ParseFloats(f.sigmas, "-sigmas", "positive perturbation sizes", func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }); err != nil {
		return cli.bad("%v", err)
	}
	if err := checkBatch(c.Batch); err != nil {
		return cli.bad("%v", err)
	}
	if err := c.Validate(); err != nil {
		return cli.bad("%v", err)
	}
	return cli.run(func(ctx context.Context) error {
		r, err := experiment.Open(f.out, "conditions", f.cfg, 2, f.resume)
		if err != nil {
			return err
		}
		r.Progress = stderr
		res, err := experiment.ConditionsStudy(ctx, f.cfg, r, stderr)
		if err != nil {
			return err
		}
		if err := res.WriteFiles(f.out); err != nil {
			return err
		}
		if err := plots.Conditions(f.out, res); err != nil {
			return err
		}
		fmt.Fprint(stdout, res.Markdown())
		fmt.Fprintf(stderr, "conditions: wrote %s\n", f.out)
		return nil
	})
}
