package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/dist"
	"github.com/fastpath-go/fastpath/experiment"
	"github.com/fastpath-go/fastpath/experiment/plots"
)

// The pathsgd experiment is the command-line front end of
// experiment.PathSGDCompare and experiment.PathSGDWidth.

func init() {
	registerExperiment(study{
		name:    "pathsgd",
		summary: "Path-SGD vs SGD vs AdaGrad from balanced/unbalanced starts, and the width study",
		run:     runPathSGDExperiment,
		usage:   pathSGDUsage,
	})
}

// psFlags are the experiment's flags.
type psFlags struct {
	mode     string
	out      string
	resume   bool
	cfg      experiment.PathSGDConfig
	src      sourceFlags
	inits    string
	opts     string
	dropouts string
	lrs      string
	grid     string
	widths   string
	dist     string
}

func newPathSGDFlagSet(f *psFlags) *flag.FlagSet {
	d := experiment.DefaultPathSGDConfig()
	f.cfg = d
	fs := flag.NewFlagSet("experiment pathsgd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.mode, "mode", "compare", "study: compare (optimizers and initialisations) or width (one hidden layer, 10x10 MNIST)")
	fs.StringVar(&f.out, "out", "pathsgd-out", "output `directory`: the study's cells (checkpoints, per-epoch logs, results), CSV files, plots and markdown table")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out: finished cells are kept, an interrupted one continues from its checkpoint")
	f.src.register(fs)
	fs.IntVar(&f.cfg.Hidden, "hidden", d.Hidden, "compare: hidden `units` per layer (the thesis uses 4000)")
	fs.IntVar(&f.cfg.Layers, "layers", d.Layers, "compare: number of hidden layers")
	fs.IntVar(&f.cfg.Epochs, "epochs", d.Epochs, "training epochs")
	fs.IntVar(&f.cfg.Train, "train", d.Train, "training examples used (0: all 50000 left after the validation split)")
	fs.IntVar(&f.cfg.Val, "val", d.Val, "validation split taken from the end of the training set")
	fs.IntVar(&f.cfg.Test, "test", d.Test, "test examples used (0: all 10000)")
	fs.IntVar(&f.cfg.TrainEval, "train-eval", d.TrainEval, "compare: training examples on which the per-epoch training loss is evaluated (0: all used)")
	fs.IntVar(&f.cfg.Batch, "batch", d.Batch, "mini-batch size")
	fs.StringVar(&f.inits, "inits", strings.Join(d.Inits, ","), "compare: initialisations")
	fs.StringVar(&f.opts, "opts", strings.Join(d.Opts, ","), "compare: optimizers (sgd, adagrad, pathsgd)")
	fs.StringVar(&f.dropouts, "dropouts", "0,0.5", "compare: hidden-unit dropout probabilities")
	fs.StringVar(&f.lrs, "lr", "", "compare: fixed step sizes, e.g. sgd=0.1,adagrad=0.01,pathsgd=0.001 (skips the grid search for those optimizers)")
	fs.StringVar(&f.grid, "grid", "1,0.1,0.01,0.001,0.0001", "compare: candidate step sizes of the grid search")
	fs.IntVar(&f.cfg.GridEpochs, "grid-epochs", d.GridEpochs, "compare: epochs per grid-search candidate")
	fs.IntVar(&f.cfg.GridTrain, "grid-train", d.GridTrain, "compare: training examples per grid-search candidate (0: all used)")
	fs.StringVar(&f.widths, "widths", "4,8,16,32,64,128,256,512,1024,2048,4096", "width: hidden-layer sizes H")
	fs.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of the initialisation, the unbalancing, dropout and shuffling")
	fs.StringVar(&f.dist, "dist", "local", "compare: `communicator`, local or mpi to spread the cells over the processes of mpirun (they share -out; rank 0 writes the tables)")
	return fs
}

func pathSGDUsage(w io.Writer) {
	fmt.Fprintf(w, `Usage: fastpath experiment pathsgd [flags]

-mode compare: balanced vs unbalanced initialisation x {SGD, AdaGrad, Path-SGD}
x {no dropout, dropout 0.5} on MNIST with -layers hidden layers of -hidden
ReLU units, batch 100; each cell's step size is chosen from -grid on the
validation split, then the cell is trained for -epochs and evaluated on the
test set after every epoch. Writes grid.csv, curves.csv, results.md and
train_loss_dropout*.png, test_error_dropout*.png to -out.

-mode width: one hidden layer of H units (-widths) on 10x10 MNIST, SGD with
lr 0.1 decayed by 0.99 per epoch and momentum 0.5 rising by 0.02 per epoch to
0.9; the epoch with the lowest validation error is reported. Writes
width.csv, width.md and width.png to -out.

Every grid candidate and trained cell checkpoints into -out/cells as it goes:
after an interruption (Ctrl-C, a crash) the same command with -resume skips
the finished cells and continues the interrupted one exactly. Progress (cells
done of the total, time left) goes to stderr.

The thesis's settings: -hidden 4000 -epochs 100 (compare) and -epochs 200
(width) on the full data; the defaults are a reduced version. Flags:

`)
	fs := newPathSGDFlagSet(new(psFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// parse turns the list flags into the configuration.
func (f *psFlags) parse() error {
	var err error
	c := &f.cfg
	if c.Source, err = f.src.source(); err != nil {
		return err
	}
	if c.Source.CSVTrain != "" && f.mode == "width" {
		return errors.New("-mode width runs on 10x10 MNIST: the -csv flags apply to -mode compare")
	}
	c.Inits, c.Opts = experiment.ParseList(f.inits), experiment.ParseList(f.opts)
	if c.Dropouts, err = experiment.ParseFloats(f.dropouts, "-dropouts", "probabilities in [0, 1)", func(p float64) bool { return p >= 0 && p < 1 }); err != nil {
		return err
	}
	if c.Grid, err = experiment.ParseFloats(f.grid, "-grid", "positive step sizes", func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }); err != nil {
		return err
	}
	c.FixedLR = map[string]float64{}
	for _, s := range experiment.ParseList(f.lrs) {
		name, val, ok := strings.Cut(s, "=")
		lr, err := strconv.ParseFloat(val, 64)
		if !ok || err != nil || !(lr > 0) {
			return fmt.Errorf("bad step size %q in -lr (want name=value)", s)
		}
		c.FixedLR[name] = lr
	}
	if c.Widths, err = experiment.ParseInts(f.widths, "-widths", 1, 1<<20); err != nil {
		return err
	}
	if f.mode == "width" && len(c.Widths) == 0 {
		return errors.New("-widths is empty")
	}
	if err := checkBatch(c.Batch); err != nil {
		return err
	}
	return c.Validate()
}

func runPathSGDExperiment(args []string, stdout, stderr io.Writer) int {
	cli := studyCLI{name: "pathsgd", stdout: stdout, stderr: stderr}
	var f psFlags
	if code, done := cli.parse(newPathSGDFlagSet(&f), args, pathSGDUsage); done {
		return code
	}
	if f.mode != "compare" && f.mode != "width" {
		return cli.bad("unknown -mode %q (want compare or width)", f.mode)
	}
	if err := f.parse(); err != nil {
		return cli.bad("%v", err)
	}
	return cli.run(func(ctx context.Context) error { return runPathSGDStudy(ctx, &f, stdout, stderr) })
}

func runPathSGDStudy(ctx context.Context, f *psFlags, stdout, stderr io.Writer) error {
	c := f.cfg
	if f.mode == "compare" {
		cells := 0
		for _, o := range c.Opts {
			n := 1
			if _, ok := c.FixedLR[o]; !ok {
				n += len(c.Grid)
			}
			cells += n * len(c.Inits) * len(c.Dropouts)
		}
		settings := c
		settings.Widths = nil
		comm, err := dist.Open(f.dist)
		if err != nil {
			return err
		}
		defer comm.Close()
		r, err := experiment.OpenComm(comm, f.out, "pathsgd-compare", settings, cells, f.resume)
		if err != nil {
			return err
		}
		r.Progress = stderr
		res, err := experiment.PathSGDCompare(ctx, c, r, stderr)
		if err != nil {
			return err
		}
		if comm.Rank() > 0 {
			return nil
		}
		if err := res.WriteFiles(f.out); err != nil {
			return err
		}
		if err := plots.PathSGDCompare(f.out, res); err != nil {
			return err
		}
		fmt.Fprint(stdout, res.Markdown())
		fmt.Fprintf(stderr, "pathsgd compare: wrote %s\n", f.out)
		return nil
	}
	settings := experiment.PathSGDConfig{Epochs: c.Epochs, Train: c.Train, Val: c.Val, Test: c.Test, Batch: c.Batch, Widths: c.Widths, Seed: c.Seed}
	r, err := experiment.Open(f.out, "pathsgd-width", settings, len(c.Widths), f.resume)
	if err != nil {
		return err
	}
	r.Progress = stderr
	res, err := experiment.PathSGDWidth(ctx, c, r, stderr)
	if err != nil {
		return err
	}
	if err := res.WriteFiles(f.out); err != nil {
		return err
	}
	if err := plots.PathSGDWidth(f.out, res); err != nil {
		return err
	}
	fmt.Fprint(stdout, res.Markdown())
	fmt.Fprintf(stderr, "pathsgd width: wrote %s\n", f.out)
	return nil
}
