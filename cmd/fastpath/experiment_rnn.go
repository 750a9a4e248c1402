package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/fastpath-go/fastpath/experiment"
	"github.com/fastpath-go/fastpath/experiment/plots"
)

// The rnn experiment is the command-line front end of experiment.RNNStudy.

func init() {
	registerExperiment(study{
		name:    "rnn",
		summary: "RNN-Path vs IRNN vs SGD: addition problem, sequential MNIST, character-level language model",
		run:     runRNNExperiment,
		usage:   rnnUsage,
	})
}

// rnnTasks are the studies of "fastpath experiment rnn <task>", with their
// default settings.
var rnnTasks = map[string]rnnFlags{
	"addition": {methods: "rnn-path,irnn,sgd", hidden: 100, batch: 16, iters: 2000, evalEvery: 100,
		lrPath: 1e-2, lrIRNN: 1e-2, lrSGD: 1e-2, steps: "100,200,400,750", testN: 1000},
	"mnist": {methods: "rnn-path,irnn", hidden: 100, batch: 16, epochs: 1, evalEvery: 500,
		lrPath: 0.3, lrIRNN: 1e-3, lrSGD: 1e-2, variants: "plain,permuted", side: 28, trainN: 0, testN: 10000},
	"text": {methods: "rnn-path,irnn", hidden: 128, batch: 32, iters: 2000, evalEvery: 200,
		lrPath: 300, lrIRNN: 1e-4, lrSGD: 0.1, steps: "50", maxBytes: 2 << 20, evalChars: 50000},
}

// The default step sizes come from short sweeps over powers of ten (and
// half-decades) on reduced versions of each task: addition at T = 30 and
// 100 (RNN-Path 1e-3..1e-1, SGD and IRNN 1e-3..3e-2), MNIST downsampled
// to 10x10 (RNN-Path 0.03..3, SGD and IRNN 1e-3..1e-2), the Go sources
// with 100 iterations (RNN-Path 0.01..1000, SGD 0.01..0.1, IRNN
// 1e-4..1e-2). RNN-Path's scale differs from SGD's by orders of magnitude
// and from task to task: kappa1 sums over the unrolled steps and the
// output steps, while the loss is a mean over the output rows.

// rnnFlags are the flags of all three tasks; each task reads its own.
type rnnFlags struct {
	methods    string
	hidden     int
	batch      int
	iters      int
	epochs     float64
	budget     time.Duration
	evalEvery  int
	lrPath     float64
	lrIRNN     float64
	lrSGD      float64
	gridPath   string
	gridIRNN   string
	gridSGD    string
	gridIters  int
	valN       int
	momentum   float64
	clip       float64
	clipPath   float64
	decayAt    string
	decay      float64
	stopSolved bool
	pathInit   string
	irnnStd    float64
	seed       uint64
	out        string
	resume     bool
	jobs       int

	steps     string // addition: sequence lengths; text: BPTT length
	testN     int
	variants  string // mnist: plain, permuted
	side      int    // mnist: image side after downsampling (28: none)
	trainN    int
	mnistDir  string
	corpus    string
	maxBytes  int
	evalChars int
}

func newRNNFlagSet(task string, f *rnnFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("experiment rnn "+task, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.methods, "methods", f.methods, "comma-separated `methods`: rnn-path, rnn-path2 (RNN-Path with kappa1 + kappa2: small T only), irnn (IRNN init + SGD), sgd (N(0,1/fan_in) init + SGD)")
	fs.IntVar(&f.hidden, "hidden", f.hidden, "hidden units")
	fs.IntVar(&f.batch, "batch", f.batch, "sequences per mini-batch")
	fs.IntVar(&f.evalEvery, "eval-every", f.evalEvery, "evaluate every `n` iterations")
	fs.DurationVar(&f.budget, "budget", 0, "stop each run after this much training time (0: no limit)")
	fs.Float64Var(&f.lrPath, "lr-path", f.lrPath, "RNN-Path step size")
	fs.Float64Var(&f.lrIRNN, "lr-irnn", f.lrIRNN, "IRNN (SGD) learning rate")
	fs.Float64Var(&f.lrSGD, "lr-sgd", f.lrSGD, "plain SGD learning rate")
	fs.StringVar(&f.gridPath, "grid-path", "", "RNN-Path step-size `candidates` (comma-separated): each trains -grid-iters iterations and is scored on the validation set, and the best one not diverged trains the run (empty: -lr-path)")
	fs.StringVar(&f.gridIRNN, "grid-irnn", "", "IRNN step-size `candidates`, as -grid-path")
	fs.StringVar(&f.gridSGD, "grid-sgd", "", "plain SGD step-size `candidates`, as -grid-path")
	fs.IntVar(&f.gridIters, "grid-iters", 1000, "training iterations of each grid candidate")
	fs.Float64Var(&f.momentum, "momentum", 0.9, "momentum of every method")
	fs.Float64Var(&f.clip, "clip", 1, "gradient-norm clipping of the SGD methods (0: none)")
	fs.Float64Var(&f.clipPath, "clip-path", 0, "gradient-norm clipping before RNN-Path's scaling (0: none; clipping breaks the rescaling invariance)")
	fs.StringVar(&f.decayAt, "decay-at", "", "step schedule of the runs (not the grid candidates): comma-separated `fractions` of each run's iterations, increasing within (0, 1), at which the step size is multiplied by -decay")
	fs.Float64Var(&f.decay, "decay", 0.1, "step-size factor at each -decay-at point, in (0, 1]")
	fs.StringVar(&f.pathInit, "path-init", "normal", "RNN-Path's initialisation: normal (N(0, 1/fan_in)), he (normal with W_rec ~ N(0, 2/hidden): the state's scale kept from step to step), identity (W_rec = I, N(0, 1/fan_in) W_in, W_out) or irnn (unstable: IRNN's tiny W_in, W_out give W_rec huge steps)")
	fs.Float64Var(&f.irnnStd, "irnn-std", 0.001, "standard deviation of IRNN's input and output weights")
	fs.IntVar(&f.jobs, "jobs", 1, "runs trained side by side, each on one thread: the grid candidates, then the runs (independent of each other; the same numbers as one at a time); at most GOMAXPROCS")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed (initialisation and data)")
	fs.StringVar(&f.out, "out", "rnn-out", "output `directory`: the runs' cells (checkpoints, results) and the CSV, markdown and PNG files (rnn_<task>.*)")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out: finished runs are kept, an interrupted one continues from its checkpoint (taken at every evaluation and on Ctrl-C)")
	switch task {
	case "addition":
		fs.IntVar(&f.iters, "iters", f.iters, "training iterations per run")
		fs.StringVar(&f.steps, "T", f.steps, "comma-separated sequence `lengths`")
		fs.IntVar(&f.testN, "test", f.testN, "test sequences")
		fs.BoolVar(&f.stopSolved, "stop-solved", false, "end each run at the evaluation that finds it solved (test MSE < 0.01)")
	case "mnist":
		fs.IntVar(&f.iters, "iters", 0, "training iterations per run (0: -epochs)")
		fs.Float64Var(&f.epochs, "epochs", f.epochs, "passes over the training set (when -iters is 0)")
		fs.StringVar(&f.variants, "variants", f.variants, "comma-separated `variants`: plain (pixels in row order), permuted (a fixed random pixel order)")
		fs.IntVar(&f.side, "side", f.side, "downsample the images to side x side pixels first (28: the full 784-step task)")
		fs.IntVar(&f.trainN, "train", f.trainN, "training images used (0: all 60000)")
		fs.IntVar(&f.valN, "val", 5000, "with a step-size grid: the last `n` training images are held out for validation (for the grid and the run)")
		fs.IntVar(&f.testN, "test", f.testN, "test images used")
		fs.StringVar(&f.mnistDir, "mnist", "", "directory of the MNIST files (default: the GoMNIST module or $FASTPATH_MNIST)")
	case "text":
		fs.IntVar(&f.iters, "iters", f.iters, "training iterations per run")
		fs.StringVar(&f.corpus, "corpus", "", "text `file`, split by position 90/5/5 (default: the Go sources under $(go env GOROOT)/src, split by file)")
		fs.IntVar(&f.maxBytes, "max-bytes", f.maxBytes, "use at most this many bytes of the corpus (0: all)")
		fs.StringVar(&f.steps, "T", f.steps, "characters per BPTT chunk (the state is carried across chunks)")
		fs.IntVar(&f.evalChars, "eval-chars", f.evalChars, "characters of the validation and test parts evaluated (0: all)")
	}
	return fs
}

func rnnUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath experiment rnn <task> [flags]\n\n")
	fmt.Fprintf(w, "Trains ReLU RNNs with RNN-Path (path-normalized SGD, package rnn), IRNN\n")
	fmt.Fprintf(w, "(identity recurrent weights, SGD) and plain SGD, and writes CSV, markdown\n")
	fmt.Fprintf(w, "tables and PNG curves to -out. Every run checkpoints into -out/cells at each\n")
	fmt.Fprintf(w, "evaluation and on Ctrl-C; the same command with -resume continues it bit for\n")
	fmt.Fprintf(w, "bit (model, momentum, data stream). Tasks:\n\n")
	fmt.Fprintf(w, "  addition  addition problem (MSE; solved below 0.01) at each -T\n")
	fmt.Fprintf(w, "  mnist     sequential pixel MNIST, 784 steps (test accuracy, time per epoch)\n")
	fmt.Fprintf(w, "  text      character-level language model (bits per character)\n")
	for _, task := range []string{"addition", "mnist", "text"} {
		fmt.Fprintf(w, "\nFlags of %s:\n", task)
		f := rnnTasks[task]
		fs := newRNNFlagSet(task, &f)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

func runRNNExperiment(args []string, stdout, stderr io.Writer) int {
	bad := studyCLI{name: "rnn", stdout: stdout, stderr: stderr}.bad
	if len(args) == 0 {
		return bad("missing task: addition, mnist or text")
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		rnnUsage(stdout)
		return 0
	}
	task := args[0]
	f, ok := rnnTasks[task]
	if !ok {
		return bad("unknown task %q (want addition, mnist or text)", task)
	}
	fs := newRNNFlagSet(task, &f)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			rnnUsage(stdout)
			return 0
		}
		return bad("%v", err)
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	if f.jobs < 1 || f.jobs > runtime.GOMAXPROCS(0) {
		return bad("-jobs %d outside [1, GOMAXPROCS = %d]", f.jobs, runtime.GOMAXPROCS(0))
	}
	c := experiment.RNNConfig{Task: task, Methods: experiment.ParseList(f.methods), Hidden: f.hidden, Batch: f.batch,
		Iters: f.iters, Epochs: f.epochs, Budget: f.budget, EvalEvery: f.evalEvery, LRPath: f.lrPath, LRIRNN: f.lrIRNN, LRSGD: f.lrSGD,
		Momentum: f.momentum, Clip: f.clip, ClipPath: f.clipPath, PathInit: f.pathInit, IRNNStd: f.irnnStd, Seed: f.seed,
		StopSolved: f.stopSolved, TestN: f.testN, Variants: experiment.ParseList(f.variants), Side: f.side, TrainN: f.trainN, MNIST: f.mnistDir, EvalChars: f.evalChars}
	grid := func(list, name string) ([]float64, error) {
		if list == "" {
			return nil, nil
		}
		return experiment.ParseFloats(list, name, "positive step sizes", func(v float64) bool { return v > 0 && !math.IsInf(v, 0) })
	}
	var err error
	if c.GridPath, err = grid(f.gridPath, "-grid-path"); err != nil {
		return bad("%v", err)
	}
	if c.GridIRNN, err = grid(f.gridIRNN, "-grid-irnn"); err != nil {
		return bad("%v", err)
	}
	if c.GridSGD, err = grid(f.gridSGD, "-grid-sgd"); err != nil {
		return bad("%v", err)
	}
	decaySet := false
	fs.Visit(func(fl *flag.Flag) { decaySet = decaySet || fl.Name == "decay" })
	switch {
	case f.decayAt != "":
		if c.DecayAt, err = experiment.ParseFloats(f.decayAt, "-decay-at", "fractions within (0, 1)", func(v float64) bool { return v > 0 && v < 1 }); err != nil {
			return bad("%v", err)
		}
		c.Decay = f.decay
	case decaySet:
		return bad("-decay without -decay-at: no point to apply it at")
	}
	if len(c.GridPath)+len(c.GridIRNN)+len(c.GridSGD) > 0 {
		c.GridIters = f.gridIters
		if task == "mnist" {
			c.ValN = f.valN
		}
	}
	switch task {
	case "addition":
		steps, err := rnnParseInts(f.steps, "T")
		if err != nil {
			return bad("%v", err)
		}
		for _, T := range steps {
			if T < 2 {
				return bad("-T %d: the addition problem needs at least 2 steps", T)
			}
		}
		c.Steps = steps
	case "text":
		T, err := strconv.Atoi(f.steps)
		if err != nil || T < 1 {
			return bad("bad -T %q (want a positive integer)", f.steps)
		}
		c.Steps = []int{T}
	case "mnist":
		if f.side < 2 || f.side > 28 {
			return bad("-side %d outside [2, 28]", f.side)
		}
	}
	if err := c.Validate(); err != nil {
		return bad("%v", err)
	}
	cli := studyCLI{name: "rnn", stdout: stdout, stderr: stderr}
	return cli.run(func(ctx context.Context) error {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			return err
		}
		if task == "text" {
			var err error
			if c.Corpus, err = loadCorpus(f.corpus, f.maxBytes); err != nil {
				return err
			}
			c.CorpusName, c.CorpusSplit = c.Corpus.Name, c.Corpus.Split
		}
		r, err := experiment.Open(f.out, "rnn-"+task, c, c.Runs(), f.resume)
		if err != nil {
			return err
		}
		r.Progress = stderr
		r.Jobs = f.jobs
		res, err := experiment.RNNStudy(ctx, c, r, stderr)
		if res != nil {
			// Interrupted runs are written too.
			werr := res.WriteFiles(f.out)
			if werr == nil {
				werr = plots.RNN(f.out, res)
			}
			if werr != nil && err == nil {
				err = werr
			}
			io.WriteString(stdout, res.Markdown())
		}
		return err
	})
}
