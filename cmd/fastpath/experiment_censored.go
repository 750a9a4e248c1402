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

// The censored experiment is the command-line front end of
// experiment.CensoredStudy (the thesis's Figure 2).

func init() {
	registerExperiment(study{
		name:    "censored",
		summary: "width with small data: original labels with and without weight decay, censored and noisy labels (Figure 2)",
		run:     runCensoredExperiment,
		usage:   censoredUsage,
	})
}

type censoredFlags struct {
	out    string
	resume bool
	cfg    experiment.CensoredConfig
	widths string
	decays string
}

func newCensoredFlagSet(f *censoredFlags) *flag.FlagSet {
	d := experiment.DefaultCensoredConfig()
	f.cfg = d
	fs := flag.NewFlagSet("experiment censored", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.out, "out", "censored-out", "output `directory`: the study's cells, CSV files, plot and markdown table")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out: finished runs are kept, an interrupted one continues from its checkpoint")
	fs.StringVar(&f.cfg.MNIST, "mnist", "", "MNIST `directory` (default: the GoMNIST module or $FASTPATH_MNIST)")
	fs.IntVar(&f.cfg.Train, "train", d.Train, "training images per repetition")
	fs.IntVar(&f.cfg.Val, "val", d.Val, "validation images per repetition")
	fs.IntVar(&f.cfg.Test, "test", d.Test, "test images used (0: all 10000)")
	fs.StringVar(&f.widths, "widths", "4,8,16,32,64,128,256,512,1024,2048,4096", "hidden-layer sizes H")
	fs.IntVar(&f.cfg.Teacher, "teacher", d.Teacher, "hidden units H0 of the network whose predictions are the censored labels")
	fs.IntVar(&f.cfg.TeacherEpochs, "teacher-epochs", d.TeacherEpochs, "epochs of the censoring network on all training images")
	fs.Float64Var(&f.cfg.Noise, "noise", d.Noise, "fraction of censored training and validation labels changed at random")
	fs.StringVar(&f.decays, "decays", "0.0001,0.001,0.01", "weight-decay candidates, chosen per width and repetition on the validation set")
	fs.IntVar(&f.cfg.Epochs, "epochs", d.Epochs, "epochs per run")
	fs.IntVar(&f.cfg.Batch, "batch", d.Batch, "mini-batch size")
	fs.IntVar(&f.cfg.Reps, "reps", d.Reps, "repetitions (training and validation draws, noise, initialisation, shuffling)")
	fs.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of the draws, the noise, the initialisation and the shuffling")
	return fs
}

func censoredUsage(w io.Writer) {
	fmt.Fprintf(w, `Usage: fastpath experiment censored [flags]

The thesis's Figure 2: one hidden layer of H units on 10x10 MNIST with
-train training and -val validation images per repetition, the thesis's SGD
schedule, under three label regimes: MNIST's labels (without and with weight
decay, chosen from -decays on validation), censored labels (every label
replaced by the prediction of a -teacher-unit network trained on all training
images: a task that network solves exactly), and censored labels with a
-noise fraction of the training and validation labels changed at random.
Every point is the mean over -reps repetitions, with the range shown.
Writes censored_runs.csv, censored.csv, censored.md and censored.png to -out;
resumable with -resume. Flags:

`)
	fs := newCensoredFlagSet(new(censoredFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runCensoredExperiment(args []string, stdout, stderr io.Writer) int {
	cli := studyCLI{name: "censored", stdout: stdout, stderr: stderr}
	var f censoredFlags
	if code, done := cli.parse(newCensoredFlagSet(&f), args, censoredUsage); done {
		return code
	}
	var err error
	c := &f.cfg
	if c.Widths, err = experiment.ParseInts(f.widths, "-widths", 1, 1<<20); err != nil {
		return cli.bad("%v", err)
	}
	if c.Decays, err = experiment.ParseFloats(f.decays, "-decays", "positive weight decays", func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }); err != nil {
		return cli.bad("%v", err)
	}
	if err := checkBatch(c.Batch); err != nil {
		return cli.bad("%v", err)
	}
	if err := c.Validate(); err != nil {
		return cli.bad("%v", err)
	}
	return cli.run(func(ctx context.Context) error {
		r, err := experiment.Open(f.out, "censored", f.cfg, f.cfg.Cells(), f.resume)
		if err != nil {
			return err
		}
		r.Progress = stderr
		res, err := experiment.CensoredStudy(ctx, f.cfg, r, stderr)
		if err != nil {
			return err
		}
		if err := res.WriteFiles(f.out); err != nil {
			return err
		}
		if err := plots.Censored(f.out, res); err != nil {
			return err
		}
		fmt.Fprint(stdout, res.Markdown())
		fmt.Fprintf(stderr, "censored: wrote %s\n", f.out)
		return nil
	})
}
