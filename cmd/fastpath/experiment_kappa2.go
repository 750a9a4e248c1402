package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/fastpath-go/fastpath/experiment"
)

// The kappa2 experiment is the command-line front end of
// experiment.Kappa2Study.

func init() {
	registerExperiment(study{
		name:    "kappa2",
		summary: "how large RNN-Path's dropped kappa2 is next to kappa1, over T, at initialisation and after training",
		run:     runKappa2Experiment,
		usage:   kappa2Usage,
	})
}

type kappa2Flags struct {
	out    string
	resume bool
	cfg    experiment.Kappa2Config
	ts     string
	inits  string
}

func newKappa2FlagSet(f *kappa2Flags) *flag.FlagSet {
	d := experiment.DefaultKappa2Config()
	f.cfg = d
	fs := flag.NewFlagSet("experiment kappa2", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.out, "out", "kappa2-out", "output `directory`: the study's cells, kappa2.csv and kappa2.md")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out, keeping the models measured")
	fs.IntVar(&f.cfg.Hidden, "hidden", d.Hidden, "hidden units")
	fs.StringVar(&f.ts, "T", "10,25,50,100,200,400", "sequence lengths at which kappa1 and kappa2 are measured")
	fs.StringVar(&f.inits, "inits", "irnn,identity,normal", "initial models measured")
	fs.Float64Var(&f.cfg.IRNNStd, "irnn-std", d.IRNNStd, "standard deviation of IRNN's input and output weights")
	fs.IntVar(&f.cfg.TrainT, "train-T", d.TrainT, "sequence length of the addition problem the trained model learns")
	fs.IntVar(&f.cfg.TrainIters, "train-iters", d.TrainIters, "training iterations of the trained model")
	fs.IntVar(&f.cfg.Batch, "batch", d.Batch, "training batch")
	fs.Float64Var(&f.cfg.LR, "lr", d.LR, "RNN-Path step size of the trained model")
	fs.Float64Var(&f.cfg.Momentum, "momentum", d.Momentum, "momentum of the trained model")
	fs.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of the initialisations and the training data")
	return fs
}

func kappa2Usage(w io.Writer) {
	fmt.Fprintf(w, `Usage: fastpath experiment kappa2 [flags]

RNN-Path scales each recurrent weight's gradient by kappa1, dropping the
kappa2 term of the path regularizer's Hessian diagonal (paths through two
copies of the same weight) for its cost. This study measures kappa2/kappa1
over the entries of W_rec at every -T, for the -inits initial models and for
a model trained with RNN-Path on the addition problem at -train-T. Writes
kappa2.csv and kappa2.md to -out. Whether kappa2 changes training: fastpath
experiment rnn addition -methods rnn-path,rnn-path2 at small -T. Flags:

`)
	fs := newKappa2FlagSet(new(kappa2Flags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runKappa2Experiment(args []string, stdout, stderr io.Writer) int {
	cli := studyCLI{name: "kappa2", stdout: stdout, stderr: stderr}
	var f kappa2Flags
	if code, done := cli.parse(newKappa2FlagSet(&f), args, kappa2Usage); done {
		return code
	}
	var err error
	if f.cfg.Ts, err = experiment.ParseInts(f.ts, "-T", 2, 5000); err != nil {
		return cli.bad("%v", err)
	}
	f.cfg.Inits = experiment.ParseList(f.inits)
	if err := f.cfg.Validate(); err != nil {
		return cli.bad("%v", err)
	}
	return cli.run(func(ctx context.Context) error {
		r, err := experiment.Open(f.out, "kappa2", f.cfg, len(f.cfg.Inits)+1, f.resume)
		if err != nil {
			return err
		}
		r.Progress = stderr
		res, err := experiment.Kappa2Study(ctx, f.cfg, r, stderr)
		if err != nil {
			return err
		}
		if err := res.WriteFiles(f.out); err != nil {
			return err
		}
		fmt.Fprint(stdout, res.Markdown())
		return nil
	})
}
