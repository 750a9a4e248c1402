package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/fastpath-go/fastpath/dist"
	"github.com/fastpath-go/fastpath/experiment"
	"github.com/fastpath-go/fastpath/experiment/plots"
)

// The ddp experiment is the command-line front end of experiment.DDPStudy.

func init() {
	registerExperiment(study{
		name:    "ddp",
		summary: "DDP-SGD and DDP-Normalization over alpha against batch normalization, Path-SGD and SGD",
		run:     runDDPExperiment,
		usage:   ddpUsage,
	})
}

// ddpFlags are the experiment's flags.
type ddpFlags struct {
	out     string
	resume  bool
	cfg     experiment.DDPConfig
	src     sourceFlags
	methods string
	alphas  string
	grid    string
	dist    string
}

func newDDPFlagSet(f *ddpFlags) *flag.FlagSet {
	d := experiment.DefaultDDPConfig()
	f.cfg = d
	fs := flag.NewFlagSet("experiment ddp", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.out, "out", "ddp-out", "output `directory`: the study's cells (checkpoints, per-epoch logs, results), CSV files, plot and markdown table")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out: finished cells are kept, an interrupted one continues from its checkpoint")
	f.src.register(fs)
	fs.IntVar(&f.cfg.Hidden, "hidden", d.Hidden, "hidden `units` per layer")
	fs.IntVar(&f.cfg.Layers, "layers", d.Layers, "number of hidden layers")
	fs.IntVar(&f.cfg.Epochs, "epochs", d.Epochs, "training epochs of each method with its chosen step size")
	fs.IntVar(&f.cfg.Train, "train", d.Train, "training examples used (0: all 50000 left after the validation split)")
	fs.IntVar(&f.cfg.Val, "val", d.Val, "validation split taken from the end of the training set")
	fs.IntVar(&f.cfg.Test, "test", d.Test, "test examples used (0: all 10000)")
	fs.IntVar(&f.cfg.TrainEval, "train-eval", d.TrainEval, "training examples on which the per-epoch training loss is evaluated (0: all used)")
	fs.IntVar(&f.cfg.Batch, "batch", d.Batch, "mini-batch size")
	fs.StringVar(&f.methods, "methods", strings.Join(d.Methods, ","), "methods: sgd, pathsgd, ddpsgd (DDP-SGD), ddpnorm (DDP-Normalization with SGD), batchnorm (batch normalization with SGD)")
	fs.StringVar(&f.alphas, "alphas", "0,0.25,0.5,0.75,1", "alpha values of ddpsgd and ddpnorm")
	fs.StringVar(&f.grid, "grid", "1,0.1,0.01,0.001,0.0001,0.00001", "candidate step sizes of the grid search")
	fs.IntVar(&f.cfg.GridEpochs, "grid-epochs", d.GridEpochs, "epochs per grid-search candidate")
	fs.IntVar(&f.cfg.GridTrain, "grid-train", d.GridTrain, "training examples per grid-search candidate (0: all used)")
	fs.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of the initialisation and the shuffling")
	fs.StringVar(&f.dist, "dist", "local", "`communicator`: local, or mpi to spread the cells over the processes of mpirun (they share -out; rank 0 writes the tables)")
	return fs
}

func ddpUsage(w io.Writer) {
	fmt.Fprintf(w, `Usage: fastpath experiment ddp [flags]

Data-dependent path normalization on MNIST with -layers hidden layers of
-hidden ReLU units, balanced initialisation, batch 100: DDP-SGD (the
optimizer, on the plain network) and DDP-Normalization (the
reparametrisation, trained with SGD) for each alpha of -alphas (0: the
l2 path norm's geometry, 1: the batch's second moments), beside batch
normalization (with SGD), Path-SGD and SGD. Each method's step size is chosen
from -grid by the validation error after -grid-epochs epochs (a diverged
candidate is never chosen), then the method is trained for -epochs with the
training loss and the test error measured after every epoch. Writes
ddp_grid.csv, ddp_curves.csv, ddp.md (with each method's training time per
step) and ddp.png (curves against epochs and against wall-clock time) to -out.

Every grid candidate and trained method checkpoints into -out/cells as it
goes: the same command with -resume continues an interrupted study exactly.
Progress (cells done of the total, time left) goes to stderr. Flags:

`)
	fs := newDDPFlagSet(new(ddpFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runDDPExperiment(args []string, stdout, stderr io.Writer) int {
	cli := studyCLI{name: "ddp", stdout: stdout, stderr: stderr}
	var f ddpFlags
	if code, done := cli.parse(newDDPFlagSet(&f), args, ddpUsage); done {
		return code
	}
	var err error
	c := &f.cfg
	if c.Source, err = f.src.source(); err != nil {
		return cli.bad("%v", err)
	}
	c.Methods = experiment.ParseList(f.methods)
	if c.Alphas, err = experiment.ParseFloats(f.alphas, "-alphas", "values in [0, 1]", func(a float64) bool { return a >= 0 && a <= 1 }); err != nil {
		return cli.bad("%v", err)
	}
	if c.Grid, err = experiment.ParseFloats(f.grid, "-grid", "positive step sizes", func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }); err != nil {
		return cli.bad("%v", err)
	}
	if err := checkBatch(c.Batch); err != nil {
		return cli.bad("%v", err)
	}
	if err := c.Validate(); err != nil {
		return cli.bad("%v", err)
	}
	return cli.run(func(ctx context.Context) error { return runDDPStudy(ctx, &f, stdout, stderr) })
}

func runDDPStudy(ctx context.Context, f *ddpFlags, stdout, stderr io.Writer) error {
	comm, err := dist.Open(f.dist)
	if err != nil {
		return err
	}
	defer comm.Close()
	r, err := experiment.OpenComm(comm, f.out, "ddp", f.cfg, f.cfg.Cells(), f.resume)
	if err != nil {
		return err
	}
	r.Progress = stderr
	res, err := experiment.DDPStudy(ctx, f.cfg, r, stderr)
	if err != nil {
		return err
	}
	if comm.Rank() > 0 {
		return nil
	}
	if err := res.WriteFiles(f.out); err != nil {
		return err
	}
	if err := plots.DDP(f.out, res); err != nil {
		return err
	}
	fmt.Fprint(stdout, res.Markdown())
	fmt.Fprintf(stderr, "ddp: wrote %s\n", f.out)
	return nil
}
