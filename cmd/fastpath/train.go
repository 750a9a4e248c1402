package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/dist"
	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/layers"
)

// exitInterrupted is train's exit status when Ctrl-C (SIGINT) or SIGTERM
// stopped it: 128 + SIGINT, the shells' convention.
const exitInterrupted = 130

// trainFlags are the train command's flags.
type trainFlags struct {
	hidden       string
	opt          string
	lr           float64
	momentum     float64
	wd           float64
	alpha        float64
	schedule     string
	batch        int
	epochs       int
	dropout      float64
	inputDropout float64
	init         string
	norm         string
	dist         string
	seed         uint64
	threads      int
	val          int
	out          string
	resume       bool
	log          string
	plot         string
	evalTrain    bool
	data         dataFlags
}

func newTrainFlagSet(f *trainFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by runTrain
	fs.StringVar(&f.hidden, "hidden", "1000,1000", "comma-separated hidden layer `sizes` (input and output sizes come from the data; \"\" for none)")
	fs.StringVar(&f.opt, "opt", "sgd", "optimizer `name`: "+strings.Join(optimizerNames(), ", "))
	fs.Float64Var(&f.lr, "lr", 0.1, "learning `rate`")
	fs.Float64Var(&f.momentum, "momentum", 0.9, "SGD momentum (with -schedule thesis, the first epoch's; the thesis uses 0.5)")
	fs.Float64Var(&f.wd, "wd", 0, "SGD L2 weight decay on the weights")
	fs.Float64Var(&f.alpha, "alpha", 1, "DDP-SGD (-opt ddp) and DDP-Normalization (-norm ddp): weight of the data-dependent second moments (1) against the l2 path norm (0)")
	fs.StringVar(&f.schedule, "schedule", "constant", "`schedule` of the learning rate and momentum: constant, or thesis (per epoch lr *= 0.99, momentum += 0.02 up to 0.9)")
	fs.IntVar(&f.batch, "batch", 100, "mini-batch `size`")
	fs.IntVar(&f.epochs, "epochs", 10, "number of `epochs` (with -resume: in all, counting those done)")
	fs.Float64Var(&f.dropout, "dropout", 0, "dropout `probability` of the hidden units")
	fs.Float64Var(&f.inputDropout, "input-dropout", 0, "dropout `probability` of the input features")
	fs.StringVar(&f.init, "init", "balanced", "weight initialisation: balanced (N(0, 1/fan_in)) or he (N(0, 2/fan_in))")
	fs.StringVar(&f.norm, "norm", "none", "`normalization` of the hidden layers' pre-activations: none, batch (batch normalization) or ddp (DDP-Normalization with -alpha); with -opt sgd or adagrad")
	fs.StringVar(&f.dist, "dist", "local", "`communicator`: local, or mpi for data-parallel training under mpirun (each process trains on its share of every -batch; a build with -tags mpi)")
	fs.Uint64Var(&f.seed, "seed", 1, "`seed` of the initialisation, the shuffles and the dropout masks")
	fs.IntVar(&f.threads, "threads", 0, "GEMM `threads` (0: GOMAXPROCS)")
	fs.IntVar(&f.val, "val", -1, "hold out the last `n` training examples for validation (-1: 10000 when at least 20000 remain, 0: none)")
	fs.StringVar(&f.out, "out", "", "save a checkpoint (model, optimizer state, progress) to `file` after every epoch, in one atomic step; 'fastpath eval -model file' reads its model")
	fs.BoolVar(&f.resume, "resume", false, "continue the training saved in -out, if any, up to -epochs epochs in all")
	fs.StringVar(&f.log, "log", "", "write the per-epoch figures to a CSV `file` (appended to with -resume)")
	fs.StringVar(&f.plot, "plot", "", "draw the loss and error curves to `file` after every epoch (.png, .svg or .pdf)")
	fs.BoolVar(&f.evalTrain, "eval-train", true, "measure the training error after every epoch (a forward pass over the training set)")
	f.data.register(fs, true)
	return fs
}

func trainUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath train [flags]\n\n")
	fmt.Fprintf(w, "Trains a ReLU network (fully connected, softmax cross-entropy) on MNIST or a\n")
	fmt.Fprintf(w, "data set of the same form and prints, per epoch, the training loss, the\n")
	fmt.Fprintf(w, "training, validation and test errors and the throughput. A progress bar goes\n")
	fmt.Fprintf(w, "to stderr when it is a terminal, one line per epoch otherwise. Ctrl-C saves\n")
	fmt.Fprintf(w, "a checkpoint to -out and exits with status %d; a diverged run exits with\n", exitInterrupted)
	fmt.Fprintf(w, "status 1, leaving the last epoch's checkpoint. Optimizers:\n\n")
	for _, n := range optimizerNames() {
		fmt.Fprintf(w, "  %-9s %s\n", n, optimizers[n].summary)
	}
	fmt.Fprintf(w, "\nFlags:\n\n")
	fs := newTrainFlagSet(new(trainFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// trainMeta is the command-line tool's record in every checkpoint it
// writes (layers.Checkpoint.Meta).
type trainMeta struct {
	// Args is the command line, for the record.
	Args []string `json:"args"`
	// Data is the preprocessing the model was trained with, which eval
	// applies again unless told otherwise.
	Data *preprocessing `json:"data,omitempty"`
}

// preprocessing is how the training data was read and transformed.
type preprocessing struct {
	Downsample string `json:"downsample,omitempty"`
	CSVScale   string `json:"csv_scale,omitempty"`
	CSVImage   string `json:"csv_image,omitempty"`
	CSVHeader  bool   `json:"csv_header,omitempty"`
	CSVLast    bool   `json:"csv_label_last,omitempty"`
	Features   int    `json:"features"`
	Classes    int    `json:"classes"`
}

// trainRun is one training run being set up and carried out.
type trainRun struct {
	f      trainFlags
	args   []string
	set    map[string]bool
	hidden []int
	spec   optimizerSpec
	h      hyper
	init   layers.Init
	norm   layers.Norm
	data   dataSpec
	stdout io.Writer
	comm   dist.Comm
	stderr io.Writer

	train, val, test *data.Dataset
	net              *layers.Network
	opt              layers.Optimizer
	first            int // epochs completed before this run
	ckpt             *layers.Checkpoint
	ckptMeta         []byte
	rep              *reporter
}

func runTrain(args []string, stdout, stderr io.Writer) int {
	r := &trainRun{args: args, stdout: stdout, stderr: stderr}
	if code, done := r.parse(); done {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "fastpath train: %v\n", err)
		return 1
	}
	comm, err := dist.Open(r.f.dist)
	if err != nil {
		return fail(err)
	}
	defer comm.Close()
	r.comm = comm
	if comm.Rank() > 0 {
		// Only rank 0 reports and writes files; the others train.
		r.stdout, stdout = io.Discard, io.Discard
		r.f.log, r.f.plot = "", ""
	}
	if err := r.checkOutputs(); err != nil {
		return fail(err)
	}
	if err := r.loadData(); err != nil {
		return fail(err)
	}
	if err := r.setupNetwork(); err != nil {
		return fail(err)
	}
	if r.first >= r.f.epochs {
		fmt.Fprintf(stdout, "%s has been trained for %s already (-epochs %d): nothing to do\n", r.f.out, plural(r.first, "epoch"), r.f.epochs)
		return 0
	}
	return r.run()
}

// parse reads and checks the command line; done reports that runTrain
// should return code (help, or a bad command line).
func (r *trainRun) parse() (code int, done bool) {
	f := &r.f
	fs := newTrainFlagSet(f)
	bad := func(format string, a ...any) (int, bool) {
		fmt.Fprintf(r.stderr, "fastpath train: "+format+" (run 'fastpath help train')\n", a...)
		return 2, true
	}
	if err := fs.Parse(r.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			trainUsage(r.stdout)
			return 0, true
		}
		return bad("%v", err)
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	r.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { r.set[fl.Name] = true })

	var err error
	if r.hidden, err = parseSizes(f.hidden); err != nil {
		return bad("%v", err)
	}
	if f.opt == "ddpsgd" {
		f.opt = "ddp"
	}
	spec, ok := optimizers[f.opt]
	if !ok {
		return bad("unknown optimizer %q in -opt (want %s)", f.opt, strings.Join(optimizerNames(), ", "))
	}
	r.spec = spec
	switch f.schedule {
	case "constant", "thesis":
	default:
		return bad("unknown -schedule %q (want constant or thesis)", f.schedule)
	}
	r.h = hyper{lr: float32(f.lr), momentum: float32(f.momentum), wd: float32(f.wd), alpha: f.alpha, schedule: f.schedule, set: r.set}
	if r.norm, err = layers.ParseNorm(f.norm); err != nil {
		return bad("unknown -norm %q (want none, batch or ddp)", f.norm)
	}
	hc := r.h
	if r.norm == layers.NormDDP {
		// -alpha belongs to the normalization: the optimizer does not read it.
		hc.set = map[string]bool{}
		for k, v := range r.set {
			hc.set[k] = v && k != "alpha"
		}
	}
	if err := spec.check(hc); err != nil {
		return bad("%v", err)
	}
	if r.norm != layers.NormNone && (spec.name == "pathsgd" || spec.name == "ddp") {
		return bad("-opt %s is defined for plain ReLU networks, not with -norm %s", spec.name, r.norm)
	}
	switch f.init {
	case "balanced":
		r.init = layers.InitBalanced
	case "he":
		r.init = layers.InitHe
	default:
		return bad("unknown -init %q (want balanced or he)", f.init)
	}
	if err := checkBatch(f.batch); err != nil {
		return bad("%v", err)
	}
	if err := checkThreads(f.threads); err != nil {
		return bad("%v", err)
	}
	switch {
	case f.epochs < 1:
		return bad("-epochs must be at least 1, not %d", f.epochs)
	case !(f.dropout >= 0 && f.dropout < 1):
		return bad("-dropout must be in [0, 1), not %v", f.dropout)
	case !(f.inputDropout >= 0 && f.inputDropout < 1):
		return bad("-input-dropout must be in [0, 1), not %v", f.inputDropout)
	case f.val < -1:
		return bad("-val must be at least 0 (or -1 for the default), not %d", f.val)
	case f.resume && f.out == "":
		return bad("-resume needs -out, the checkpoint to continue")
	}
	if f.plot != "" {
		if _, err := plotFormat(f.plot); err != nil {
			return bad("%v", err)
		}
	}
	if r.data, err = f.data.parse(true); err != nil {
		return bad("%v", err)
	}
	return 0, false
}

// parseSizes parses the -hidden list.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for _, item := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(item))
		if err != nil || n < 1 || n > 1<<20 {
			return nil, fmt.Errorf("bad layer size %q in -hidden %q (want positive integers, such as 1000,1000)", item, s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// checkOutputs fails early, before the data is read, when an output
// cannot be written.
func (r *trainRun) checkOutputs() error {
	for _, p := range []string{r.f.out, r.f.log, r.f.plot} {
		if p == "" {
			continue
		}
		if _, err := atomicfile.Target(p); err != nil {
			return fmt.Errorf("cannot %w", err)
		}
	}
	return nil
}

func (r *trainRun) loadData() error {
	l, err := r.data.load()
	if err != nil {
		return err
	}
	n := r.f.val
	if n == -1 {
		n = 0
		if l.train.Len() >= 30000 {
			n = 10000
		}
	}
	if n >= l.train.Len() {
		return fmt.Errorf("-val %d leaves no training examples (the training set has %d)", n, l.train.Len())
	}
	r.train, r.val = l.train.Split(n)
	if n == 0 {
		r.val = nil
	}
	r.test = l.test
	classes := l.classes()
	r.rep = &reporter{stdout: r.stdout, epochs: r.f.epochs, hasVal: r.val != nil, hasTest: r.test != nil,
		evalTrain: r.f.evalTrain, momentum: r.spec.usesFlag("momentum")}
	var counts []string
	counts = append(counts, fmt.Sprintf("%d training", r.train.Len()))
	if r.val != nil {
		counts = append(counts, fmt.Sprintf("%d validation", r.val.Len()))
	}
	if r.test != nil {
		counts = append(counts, fmt.Sprintf("%d test", r.test.Len()))
	}
	if empty := emptyClasses(r.train, classes); len(empty) > 0 {
		list := fmt.Sprint(empty[:min(len(empty), 10)])
		if len(empty) > 10 {
			list = list[:len(list)-1] + " ...]"
		}
		fmt.Fprintf(r.stderr, "fastpath train: warning: %d of the %d classes have no training example: %s\n", len(empty), classes, list)
	}
	r.rep.dataLine = fmt.Sprintf("%s: %s examples, %d features, %d classes", l.source, strings.Join(counts, ", "), r.train.Dim(), classes)
	r.rep.classes = classes
	return nil
}

// setupNetwork makes the network, or loads it with -resume.
func (r *trainRun) setupNetwork() error {
	in, classes := r.train.Dim(), r.rep.classes
	if r.f.resume {
		c, err := loadCheckpoint(r.f.out)
		if err != nil {
			return err
		}
		if c != nil {
			r.ckptMeta = c.Meta
			if err := r.checkResumed(c.Net, in, classes); err != nil {
				return err
			}
			r.net, r.first, r.ckpt = c.Net, c.Progress.Epoch, c
			r.net.Reserve(r.f.batch)
			return nil
		}
	}
	sizes := append(append([]int{in}, r.hidden...), classes)
	if err := checkMemory(sizes, min(r.f.batch, r.train.Len()), 1, r.f.dropout > 0 || r.f.inputDropout > 0); err != nil {
		return err
	}
	net, err := layers.NewMLP(sizes, layers.MLPOptions{
		Init: r.init, Seed: r.f.seed, Dropout: float32(r.f.dropout), InputDropout: float32(r.f.inputDropout), MaxBatch: r.f.batch,
		Norm: r.norm, Alpha: float32(r.f.alpha)})
	if err != nil {
		return err
	}
	r.net = net
	return nil
}

// loadCheckpoint reads the -out checkpoint whole; nil when it does not
// exist.
func loadCheckpoint(path string) (*layers.Checkpoint, error) {
	c, err := layers.LoadCheckpoint(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("-resume: %w", err)
	}
	return c, nil
}

// checkResumed checks that a loaded network fits the data and the flags.
func (r *trainRun) checkResumed(net *layers.Network, in, classes int) error {
	if net.InSize() != in {
		return fmt.Errorf("-resume: %s takes %d features, the data has %d", r.f.out, net.InSize(), in)
	}
	if net.OutSize() < classes {
		return fmt.Errorf("-resume: %s has %d outputs, the data %d classes", r.f.out, net.OutSize(), classes)
	}
	if r.set["hidden"] {
		var got []int
		for _, d := range net.Dense()[:len(net.Dense())-1] {
			got = append(got, d.OutSize())
		}
		if fmt.Sprint(got) != fmt.Sprint(r.hidden) {
			return fmt.Errorf("-resume: %s has hidden layers %v, -hidden says %v", r.f.out, got, r.hidden)
		}
	}
	// The flags that shaped the saved network may be repeated on resume
	// (the same command line with -resume added) but not changed; their
	// earlier values come from the command line recorded in the checkpoint.
	var meta trainMeta
	var saved trainFlags
	if err := json.Unmarshal(r.ckptMeta, &meta); err != nil || newTrainFlagSet(&saved).Parse(meta.Args) != nil {
		for _, name := range []string{"init", "dropout", "input-dropout", "norm"} {
			if r.set[name] {
				return fmt.Errorf("-resume: -%s cannot change a saved network (%s does not record its command line)", name, r.f.out)
			}
		}
		return nil
	}
	for _, c := range []struct {
		name     string
		now, was any
	}{{"init", r.f.init, saved.init}, {"dropout", r.f.dropout, saved.dropout}, {"input-dropout", r.f.inputDropout, saved.inputDropout}, {"norm", r.f.norm, saved.norm}} {
		if r.set[c.name] && c.now != c.was {
			return fmt.Errorf("-resume: -%s %v cannot change a saved network (%s was made with -%s %v)", c.name, c.now, r.f.out, c.name, c.was)
		}
	}
	return nil
}

// run trains and reports; it returns the exit status.
func (r *trainRun) run() int {
	f := &r.f
	opt, err := r.spec.build(r.h, r.net)
	if err != nil {
		fmt.Fprintf(r.stderr, "fastpath train: %v\n", err)
		return 2
	}
	r.opt = opt
	if r.ckpt != nil {
		if err := r.ckpt.RestoreOptimizer(opt); err != nil {
			fmt.Fprintf(r.stderr, "fastpath train: -resume: %v (resume with the -opt the run was started with)\n", err)
			return 1
		}
	}
	if f.threads > 0 {
		defer blas.SetThreads(blas.SetThreads(f.threads))
		if runtime.GOMAXPROCS(0) < f.threads {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(f.threads))
		}
	}
	rep := r.rep
	rep.lr, rep.mu = r.h.lrSchedule(), r.h.momentumSchedule()
	resumeAt := -1
	if r.ckpt != nil {
		resumeAt = r.ckpt.Progress.Epoch
	}
	if err := rep.open(f.log, f.plot, resumeAt); err != nil {
		fmt.Fprintf(r.stderr, "fastpath train: %v\n", err)
		return 1
	}
	defer rep.close()
	progressOut := r.stderr
	if r.comm != nil && r.comm.Rank() > 0 {
		progressOut = io.Discard // rank 0 reports
	}
	rep.progress = newProgress(progressOut, f.epochs)

	fmt.Fprintf(r.stdout, "network  %s: %s, %d parameters, init %s, seed %d\n", sizesName(r.net), r.net, r.net.NumParams(), f.init, f.seed)
	fmt.Fprintf(r.stdout, "data     %s\n", rep.dataLine)
	fmt.Fprintf(r.stdout, "training %s, batch %d, epochs %d to %d", r.spec.describe(r.h), f.batch, r.first+1, f.epochs)
	if c := r.ckpt; c != nil {
		at := fmt.Sprintf("after epoch %d", c.Progress.Epoch)
		if c.Progress.Step > 0 {
			at = fmt.Sprintf("in epoch %d after step %d", c.Progress.Epoch+1, c.Progress.Step)
		}
		fmt.Fprintf(r.stdout, " (resumed from %s %s, optimizer state restored)", f.out, at)
	}
	fmt.Fprintf(r.stdout, "\nmachine  %s, %d GEMM threads, GOMAXPROCS=%d\n", asm.Describe(), blas.Threads(), runtime.GOMAXPROCS(0))
	rep.header()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var last layers.StepStats
	completed := r.first // epochs whose checkpoint is written
	pre := &preprocessing{Downsample: f.data.downsample, CSVImage: f.data.csvImage, CSVHeader: f.data.csvHeader,
		CSVLast: f.data.csvLast, Features: r.train.Dim(), Classes: r.rep.classes}
	if f.data.csvScale != "1" {
		pre.CSVScale = f.data.csvScale
	}
	meta, err := json.Marshal(trainMeta{Args: r.args, Data: pre})
	if err != nil {
		panic(err)
	}
	cfg := layers.TrainConfig{
		Epochs: f.epochs, BatchSize: f.batch, Seed: f.seed,
		Checkpoint: f.out, CheckpointMeta: meta,
		OnStep: func(s layers.StepStats) {
			last = s
			rep.progress.step(s)
			if trainStepHook != nil {
				trainStepHook(ctx, s)
			}
		},
		OnEpoch: func(s layers.EpochStats) error {
			completed = s.Epoch
			return rep.epoch(s, r)
		},
	}
	if r.ckpt != nil {
		cfg.Resume = &r.ckpt.Progress
	}
	if r.val != nil {
		cfg.Validation = r.val
	}
	if c := r.comm; c != nil && c.Size() > 1 {
		cfg.Parallel = &layers.DataParallel{Rank: c.Rank(), Size: c.Size(), Reduce: c.AllreduceSum32}
		if c.Rank() > 0 {
			cfg.Checkpoint = "" // rank 0 writes it
		}
		fmt.Fprintf(r.stdout, "dist     %d processes, each training on its share of every batch of %d\n", c.Size(), f.batch)
	}
	start := time.Now()
	err = layers.Train(ctx, r.net, opt, r.train, cfg)
	stop() // from here a second Ctrl-C kills the process
	rep.progress.done()
	var div *layers.DivergedError
	switch {
	case err == nil:
		rep.summary(time.Since(start), f.out)
		return 0
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return r.interrupted(last, completed, err)
	case errors.As(err, &div):
		msg := fmt.Sprintf("training diverged in epoch %d at step %d (loss %v)", div.Epoch, div.Step, div.Loss)
		switch {
		case f.out != "" && completed > 0:
			msg += fmt.Sprintf("; %s holds the model after epoch %d", f.out, completed)
		case f.out != "":
			msg += "; no checkpoint was written"
		}
		fmt.Fprintf(r.stderr, "fastpath train: %s\n", msg)
		return 1
	default:
		fmt.Fprintf(r.stderr, "fastpath train: %v\n", err)
		return 1
	}
}

// trainStepHook, when set by a test, runs after every step's report with
// the run's signal context.
var trainStepHook func(ctx context.Context, s layers.StepStats)

// interrupted reports a run stopped by a signal; layers.Train has saved
// the partial epoch to -out (the checkpoint holds the run as it was after
// the last reported step). completed is the number of epochs whose
// checkpoint was written before.
func (r *trainRun) interrupted(last layers.StepStats, completed int, trainErr error) int {
	msg := "interrupted before the first step"
	if last.Epoch > 0 {
		msg = fmt.Sprintf("interrupted in epoch %d after step %d of %d", last.Epoch, last.Step, last.Steps)
	}
	switch {
	case strings.Contains(trainErr.Error(), "saving the checkpoint failed"):
		fmt.Fprintf(r.stderr, "fastpath train: %s; %v\n", msg, trainErr)
		return 1
	case r.f.out == "":
	case last.Epoch > completed:
		msg += fmt.Sprintf("; saved to %s (-resume continues exactly from there)", r.f.out)
	case completed > 0:
		msg = fmt.Sprintf("interrupted after epoch %d; %s holds its checkpoint", completed, r.f.out)
	}
	fmt.Fprintf(r.stderr, "fastpath train: %s\n", msg)
	return exitInterrupted
}

// sizesName is the network's layer sizes, "784-1000-1000-10".
func sizesName(net *layers.Network) string {
	s := []string{strconv.Itoa(net.InSize())}
	for _, d := range net.Dense() {
		s = append(s, strconv.Itoa(d.OutSize()))
	}
	return strings.Join(s, "-")
}

// errorRate is 1 - accuracy, NaN-preserving.
func errorRate(acc float64) float64 {
	if math.IsNaN(acc) {
		return acc
	}
	return 1 - acc
}
