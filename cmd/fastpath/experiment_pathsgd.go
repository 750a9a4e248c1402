package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/pathsgd"
)

// The pathsgd experiment reproduces two studies of the thesis
// (pathsgd.md section 7) on MNIST:
//
//   - compare: balanced vs unbalanced initialisation x {SGD, AdaGrad,
//     Path-SGD} x {no dropout, dropout 0.5}, two hidden layers, batch 100,
//     the step size of each cell chosen from a grid of powers of ten on a
//     10k validation split, then trained and reported on the test set.
//   - width: one hidden layer of H units on 10x10 MNIST, the thesis's SGD
//     (lr 0.1 decayed by 0.99, momentum 0.5 rising to 0.9), early stopping
//     on the validation split: train and test error against H.
//
// Each writes CSV files, PNG plots and a markdown table to -out.

func init() {
	registerExperiment(experiment{
		name:    "pathsgd",
		summary: "Path-SGD vs SGD vs AdaGrad from balanced/unbalanced starts, and the width study",
		run:     runPathSGDExperiment,
		usage:   pathSGDUsage,
	})
}

// psFlags are the experiment's flags.
type psFlags struct {
	mode       string
	out        string
	mnist      string
	hidden     int
	depth      int
	epochs     int
	train      int
	val        int
	test       int
	trainEval  int
	batch      int
	inits      string
	opts       string
	dropouts   string
	lrs        string
	grid       string
	gridEpochs int
	gridTrain  int
	widths     string
	seed       uint64
}

func newPathSGDFlagSet(f *psFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("experiment pathsgd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.mode, "mode", "compare", "study: compare (optimizers and initialisations) or width (one hidden layer, 10x10 MNIST)")
	fs.StringVar(&f.out, "out", "pathsgd-out", "output `directory` for the CSV files, plots and markdown table")
	fs.StringVar(&f.mnist, "mnist", "", "MNIST `directory` (default: the GoMNIST module or $FASTPATH_MNIST)")
	fs.IntVar(&f.hidden, "hidden", 1000, "compare: hidden `units` per layer (the thesis uses 4000)")
	fs.IntVar(&f.depth, "layers", 2, "compare: number of hidden layers")
	fs.IntVar(&f.epochs, "epochs", 5, "training epochs")
	fs.IntVar(&f.train, "train", 0, "training examples used (0: all 50000 left after the validation split)")
	fs.IntVar(&f.val, "val", 10000, "validation split taken from the end of the training set")
	fs.IntVar(&f.test, "test", 0, "test examples used (0: all 10000)")
	fs.IntVar(&f.trainEval, "train-eval", 10000, "compare: training examples on which the per-epoch training loss is evaluated (0: all used)")
	fs.IntVar(&f.batch, "batch", 100, "mini-batch size")
	fs.StringVar(&f.inits, "inits", "balanced,unbalanced", "compare: initialisations")
	fs.StringVar(&f.opts, "opts", "sgd,adagrad,pathsgd", "compare: optimizers (sgd, adagrad, pathsgd)")
	fs.StringVar(&f.dropouts, "dropouts", "0,0.5", "compare: hidden-unit dropout probabilities")
	fs.StringVar(&f.lrs, "lr", "", "compare: fixed step sizes, e.g. sgd=0.1,adagrad=0.01,pathsgd=0.001 (skips the grid search for those optimizers)")
	fs.StringVar(&f.grid, "grid", "1,0.1,0.01,0.001,0.0001", "compare: candidate step sizes of the grid search")
	fs.IntVar(&f.gridEpochs, "grid-epochs", 1, "compare: epochs per grid-search candidate")
	fs.IntVar(&f.gridTrain, "grid-train", 10000, "compare: training examples per grid-search candidate (0: all used)")
	fs.StringVar(&f.widths, "widths", "4,8,16,32,64,128,256,512,1024,2048,4096", "width: hidden-layer sizes H")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the initialisation, the unbalancing, dropout and shuffling")
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

The thesis's settings: -hidden 4000 -epochs 100 (compare) and -epochs 200
(width) on the full data; the defaults are a reduced version. Flags:

`)
	fs := newPathSGDFlagSet(new(psFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runPathSGDExperiment(args []string, stdout, stderr io.Writer) int {
	var f psFlags
	fs := newPathSGDFlagSet(&f)
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "fastpath experiment pathsgd: "+format+" (run 'fastpath experiment pathsgd -h')\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			pathSGDUsage(stdout)
			return 0
		}
		return bad("%v", err)
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	if f.epochs < 1 || f.batch < 1 || f.hidden < 1 || f.depth < 1 || f.gridEpochs < 1 {
		return bad("-epochs, -batch, -hidden, -layers and -grid-epochs must be positive")
	}
	if f.train < 0 || f.val < 1 || f.test < 0 || f.trainEval < 0 || f.gridTrain < 0 {
		return bad("-train, -test, -train-eval and -grid-train must not be negative, -val must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch f.mode {
	case "compare":
		var cfg psCompareConfig
		if cfg, err = psParseCompare(&f); err != nil {
			return bad("%v", err)
		}
		err = psRunCompare(ctx, &f, cfg, stdout, stderr)
	case "width":
		var widths []int
		for _, s := range splitList(f.widths) {
			h, e := strconv.Atoi(s)
			if e != nil || h < 1 {
				return bad("bad width %q in -widths", s)
			}
			widths = append(widths, h)
		}
		if len(widths) == 0 {
			return bad("-widths is empty")
		}
		err = psRunWidth(ctx, &f, widths, stdout, stderr)
	default:
		return bad("unknown -mode %q (want compare or width)", f.mode)
	}
	if err != nil {
		fmt.Fprintf(stderr, "fastpath experiment pathsgd: %v\n", err)
		return 1
	}
	return 0
}

// psCompareConfig is the parsed grid of the compare study.
type psCompareConfig struct {
	inits    []string
	opts     []string
	dropouts []float64
	fixedLR  map[string]float64
	grid     []float64
}

func psParseCompare(f *psFlags) (psCompareConfig, error) {
	var c psCompareConfig
	for _, s := range splitList(f.inits) {
		if s != "balanced" && s != "unbalanced" {
			return c, fmt.Errorf("unknown initialisation %q in -inits (want balanced, unbalanced)", s)
		}
		c.inits = append(c.inits, s)
	}
	for _, s := range splitList(f.opts) {
		if s != "sgd" && s != "adagrad" && s != "pathsgd" {
			return c, fmt.Errorf("unknown optimizer %q in -opts (want sgd, adagrad, pathsgd)", s)
		}
		c.opts = append(c.opts, s)
	}
	for _, s := range splitList(f.dropouts) {
		p, err := strconv.ParseFloat(s, 64)
		if err != nil || !(p >= 0 && p < 1) {
			return c, fmt.Errorf("bad dropout %q in -dropouts (want [0, 1))", s)
		}
		c.dropouts = append(c.dropouts, p)
	}
	c.fixedLR = map[string]float64{}
	for _, s := range splitList(f.lrs) {
		name, val, ok := strings.Cut(s, "=")
		lr, err := strconv.ParseFloat(val, 64)
		if !ok || err != nil || !(lr > 0) {
			return c, fmt.Errorf("bad step size %q in -lr (want name=value)", s)
		}
		c.fixedLR[name] = lr
	}
	for _, s := range splitList(f.grid) {
		lr, err := strconv.ParseFloat(s, 64)
		if err != nil || !(lr > 0) {
			return c, fmt.Errorf("bad step size %q in -grid", s)
		}
		c.grid = append(c.grid, lr)
	}
	if len(c.inits) == 0 || len(c.opts) == 0 || len(c.dropouts) == 0 {
		return c, fmt.Errorf("-inits, -opts and -dropouts must not be empty")
	}
	for _, o := range c.opts {
		if _, ok := c.fixedLR[o]; !ok && len(c.grid) == 0 {
			return c, fmt.Errorf("-grid is empty and -lr gives no step size for %s", o)
		}
	}
	return c, nil
}

// psSplits holds the data of a study.
type psSplits struct {
	train, val, test *data.Dataset
}

// psLoadSplits loads MNIST (downsampled to side x side when side > 0) and
// takes the validation split and the subsets the flags ask for.
func psLoadSplits(f *psFlags, side int) (psSplits, error) {
	full, test, err := data.LoadMNIST(f.mnist)
	if err != nil {
		return psSplits{}, err
	}
	if side > 0 {
		full, test = full.Downsample(side, side), test.Downsample(side, side)
	}
	if f.val >= full.Len() {
		return psSplits{}, fmt.Errorf("-val %d leaves no training examples (the set has %d)", f.val, full.Len())
	}
	train, val := full.Split(f.val)
	if f.train > 0 && f.train < train.Len() {
		train = train.Subset(data.Permutation(train.Len(), f.seed)[:f.train])
	}
	if f.test > 0 && f.test < test.Len() {
		test = test.Subset(data.Permutation(test.Len(), f.seed+1)[:f.test])
	}
	return psSplits{train, val, test}, nil
}

// psCell is one configuration of the compare study.
type psCell struct {
	init    string
	dropout float64
	opt     string
}

func (c psCell) String() string {
	return fmt.Sprintf("%s/dropout=%g/%s", c.init, c.dropout, c.opt)
}

// psNewNetwork builds and initialises the compare study's network.
func psNewNetwork(f *psFlags, c psCell, in int) (*layers.Network, error) {
	sizes := []int{in}
	for range f.depth {
		sizes = append(sizes, f.hidden)
	}
	sizes = append(sizes, 10)
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Seed: f.seed, Dropout: float32(c.dropout), MaxBatch: f.batch})
	if err != nil {
		return nil, err
	}
	if c.init == "unbalanced" {
		pathsgd.Unbalanced(net, f.seed)
	} else {
		pathsgd.Balanced(net, f.seed)
	}
	return net, nil
}

func psNewOptimizer(name string, lr float64) layers.Optimizer {
	switch name {
	case "sgd":
		return &layers.SGD{LR: layers.Constant(float32(lr))}
	case "adagrad":
		return &layers.AdaGrad{LR: layers.Constant(float32(lr))}
	}
	return &pathsgd.PathSGD{LR: layers.Constant(float32(lr))}
}

// psEpochRow is one line of curves.csv.
type psEpochRow struct {
	psCell
	lr                          float64
	epoch                       int
	trainLoss, runLoss, testErr float64
	seconds                     float64
	diverged                    bool
}

func psRunCompare(ctx context.Context, f *psFlags, cfg psCompareConfig, stdout, stderr io.Writer) error {
	start := time.Now()
	sp, err := psLoadSplits(f, 0)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	trainEval := sp.train
	if f.trainEval > 0 && f.trainEval < sp.train.Len() {
		trainEval = sp.train.Subset(data.Permutation(sp.train.Len(), f.seed+2)[:f.trainEval])
	}
	gridTrain := sp.train
	if f.gridTrain > 0 && f.gridTrain < sp.train.Len() {
		gridTrain = sp.train.Subset(data.Permutation(sp.train.Len(), f.seed+3)[:f.gridTrain])
	}
	fmt.Fprintf(stderr, "pathsgd compare: %d hidden layers of %d, %d training, %d validation, %d test examples, %d epochs; %s\n",
		f.depth, f.hidden, sp.train.Len(), sp.val.Len(), sp.test.Len(), f.epochs, psDescribeKernels())

	gridCSV := [][]string{{"init", "dropout", "optimizer", "lr", "val_error", "val_loss", "diverged", "seconds"}}
	curveCSV := [][]string{{"init", "dropout", "optimizer", "lr", "epoch", "train_loss", "train_loss_running", "test_error", "seconds", "diverged"}}
	var rows []psEpochRow
	for _, dropout := range cfg.dropouts {
		for _, init := range cfg.inits {
			for _, opt := range cfg.opts {
				c := psCell{init, dropout, opt}
				lr, ok := cfg.fixedLR[opt]
				if !ok {
					best, bestErr := 0.0, math.Inf(1)
					for _, cand := range cfg.grid {
						t0 := time.Now()
						net, err := psNewNetwork(f, c, sp.train.Dim())
						if err != nil {
							return err
						}
						diverged, err := psTrain(ctx, net, psNewOptimizer(opt, cand), gridTrain, f, f.gridEpochs, nil)
						if err != nil {
							return err
						}
						vloss, vacc := math.NaN(), 0.0
						if !diverged {
							if vloss, vacc, err = layers.Evaluate(net, sp.val, f.batch); err != nil {
								return err
							}
						}
						verr := 1 - vacc
						fmt.Fprintf(stderr, "  grid %-32s lr=%-7g val error %.4f loss %.4f%s (%.1fs)\n", c, cand, verr, vloss, psDivergedNote(diverged), time.Since(t0).Seconds())
						gridCSV = append(gridCSV, []string{init, psFtoa(dropout), opt, psFtoa(cand), psFtoa(verr), psFtoa(vloss), strconv.FormatBool(diverged), psFtoa(time.Since(t0).Seconds())})
						if !diverged && verr < bestErr {
							best, bestErr = cand, verr
						}
					}
					if bestErr == math.Inf(1) {
						best = cfg.grid[len(cfg.grid)-1]
					}
					lr = best
				}
				net, err := psNewNetwork(f, c, sp.train.Dim())
				if err != nil {
					return err
				}
				t0 := time.Now()
				var cellRows []psEpochRow
				onEpoch := func(st layers.EpochStats) error {
					tl, _, err := layers.Evaluate(net, trainEval, f.batch)
					if err != nil {
						return err
					}
					_, tacc, err := layers.Evaluate(net, sp.test, f.batch)
					if err != nil {
						return err
					}
					r := psEpochRow{psCell: c, lr: lr, epoch: st.Epoch, trainLoss: tl, runLoss: st.Loss, testErr: 1 - tacc, seconds: time.Since(t0).Seconds()}
					cellRows = append(cellRows, r)
					fmt.Fprintf(stderr, "  %-32s lr=%-7g epoch %3d train loss %.4f test error %.4f (%.1fs)\n", c, lr, st.Epoch, tl, 1-tacc, r.seconds)
					return nil
				}
				diverged, err := psTrain(ctx, net, psNewOptimizer(opt, lr), sp.train, f, f.epochs, onEpoch)
				if err != nil {
					return err
				}
				if diverged {
					cellRows = append(cellRows, psEpochRow{psCell: c, lr: lr, epoch: len(cellRows) + 1, trainLoss: math.NaN(), runLoss: math.NaN(), testErr: math.NaN(), seconds: time.Since(t0).Seconds(), diverged: true})
					fmt.Fprintf(stderr, "  %-32s lr=%-7g diverged\n", c, lr)
				}
				for _, r := range cellRows {
					curveCSV = append(curveCSV, []string{init, psFtoa(dropout), opt, psFtoa(lr), strconv.Itoa(r.epoch), psFtoa(r.trainLoss), psFtoa(r.runLoss), psFtoa(r.testErr), psFtoa(r.seconds), strconv.FormatBool(r.diverged)})
				}
				rows = append(rows, cellRows...)
			}
		}
	}
	if err := psWriteCSV(filepath.Join(f.out, "grid.csv"), gridCSV); err != nil {
		return err
	}
	if err := psWriteCSV(filepath.Join(f.out, "curves.csv"), curveCSV); err != nil {
		return err
	}
	md := psCompareTable(f, sp, rows, time.Since(start))
	if err := os.WriteFile(filepath.Join(f.out, "results.md"), []byte(md), 0o644); err != nil {
		return err
	}
	for _, dropout := range cfg.dropouts {
		if err := psPlotCurves(f.out, dropout, rows); err != nil {
			return err
		}
	}
	fmt.Fprint(stdout, md)
	fmt.Fprintf(stderr, "pathsgd compare: wrote %s in %.1fs\n", f.out, time.Since(start).Seconds())
	return nil
}

func psDivergedNote(d bool) string {
	if d {
		return " (diverged)"
	}
	return ""
}

// train runs layers.Train and reports a divergence as diverged = true
// rather than an error.
func psTrain(ctx context.Context, net *layers.Network, opt layers.Optimizer, d *data.Dataset, f *psFlags, epochs int, onEpoch func(layers.EpochStats) error) (diverged bool, err error) {
	err = layers.Train(ctx, net, opt, d, layers.TrainConfig{Epochs: epochs, BatchSize: f.batch, Seed: f.seed, OnEpoch: onEpoch})
	var de *layers.DivergedError
	if errors.As(err, &de) {
		return true, nil
	}
	return false, err
}

// psCompareTable summarises the compare study as markdown.
func psCompareTable(f *psFlags, sp psSplits, rows []psEpochRow, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Path-SGD vs SGD vs AdaGrad, balanced and unbalanced initialisation\n\n")
	fmt.Fprintf(&b, "MNIST, %d hidden layers of %d ReLU units, batch %d, %d epochs, %d training / %d validation / %d test examples, seed %d; step sizes chosen on the validation split; %s. Total %.0fs.\n\n",
		f.depth, f.hidden, f.batch, f.epochs, sp.train.Len(), sp.val.Len(), sp.test.Len(), f.seed, psDescribeKernels(), took.Seconds())
	fmt.Fprintf(&b, "| dropout | init | optimizer | step size | train loss (epoch 1) | train loss (last) | test error (last) | best test error | time (s) |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|\n")
	byCell := map[psCell][]psEpochRow{}
	var order []psCell
	for _, r := range rows {
		if _, ok := byCell[r.psCell]; !ok {
			order = append(order, r.psCell)
		}
		byCell[r.psCell] = append(byCell[r.psCell], r)
	}
	for _, c := range order {
		rs := byCell[c]
		first, last := rs[0], rs[len(rs)-1]
		best := math.Inf(1)
		for _, r := range rs {
			if !math.IsNaN(r.testErr) {
				best = math.Min(best, r.testErr)
			}
		}
		note := ""
		if last.diverged {
			note = " (diverged)"
		}
		fmt.Fprintf(&b, "| %g | %s | %s | %g | %.4f | %.4f%s | %.4f | %.4f | %.1f |\n",
			c.dropout, c.init, c.opt, first.lr, first.trainLoss, last.trainLoss, note, last.testErr, best, last.seconds)
	}
	return b.String()
}

// psWidthRow is one line of width.csv.
type psWidthRow struct {
	h, bestEpoch                      int
	trainErr, valErr, testErr, trainL float64
	seconds                           float64
}

func psRunWidth(ctx context.Context, f *psFlags, widths []int, stdout, stderr io.Writer) error {
	start := time.Now()
	sp, err := psLoadSplits(f, 10)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "pathsgd width: 10x10 MNIST, %d training, %d validation, %d test examples, %d epochs; %s\n",
		sp.train.Len(), sp.val.Len(), sp.test.Len(), f.epochs, psDescribeKernels())
	var rows []psWidthRow
	for _, h := range widths {
		t0 := time.Now()
		net, err := layers.NewMLP([]int{sp.train.Dim(), h, 10}, layers.MLPOptions{Seed: f.seed, MaxBatch: f.batch})
		if err != nil {
			return err
		}
		best := psWidthRow{h: h, valErr: math.Inf(1)}
		onEpoch := func(st layers.EpochStats) error {
			_, vacc, err := layers.Evaluate(net, sp.val, 1000)
			if err != nil {
				return err
			}
			if 1-vacc < best.valErr {
				tl, tacc, err := layers.Evaluate(net, sp.train, 1000)
				if err != nil {
					return err
				}
				_, teacc, err := layers.Evaluate(net, sp.test, 1000)
				if err != nil {
					return err
				}
				best = psWidthRow{h: h, bestEpoch: st.Epoch, trainErr: 1 - tacc, valErr: 1 - vacc, testErr: 1 - teacc, trainL: tl}
			}
			return nil
		}
		diverged, err := psTrain(ctx, net, layers.ThesisSGD(0.1), sp.train, f, f.epochs, onEpoch)
		if err != nil {
			return err
		}
		best.seconds = time.Since(t0).Seconds()
		if diverged && best.bestEpoch == 0 {
			best.trainErr, best.valErr, best.testErr, best.trainL = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		}
		fmt.Fprintf(stderr, "  H=%-5d best epoch %3d train error %.4f val error %.4f test error %.4f%s (%.1fs)\n",
			h, best.bestEpoch, best.trainErr, best.valErr, best.testErr, psDivergedNote(diverged), best.seconds)
		rows = append(rows, best)
	}
	csv := [][]string{{"hidden", "best_epoch", "train_error", "val_error", "test_error", "train_loss", "seconds"}}
	var b strings.Builder
	fmt.Fprintf(&b, "## Width study: one hidden layer on 10x10 MNIST\n\n")
	fmt.Fprintf(&b, "SGD lr 0.1 x 0.99/epoch, momentum 0.5 + 0.02/epoch up to 0.9, batch %d, %d epochs, early stopping on %d validation examples; %d training, %d test examples, seed %d; %s. Total %.0fs.\n\n",
		f.batch, f.epochs, sp.val.Len(), sp.train.Len(), sp.test.Len(), f.seed, psDescribeKernels(), time.Since(start).Seconds())
	fmt.Fprintf(&b, "| H | best epoch | train error | validation error | test error | time (s) |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		csv = append(csv, []string{strconv.Itoa(r.h), strconv.Itoa(r.bestEpoch), psFtoa(r.trainErr), psFtoa(r.valErr), psFtoa(r.testErr), psFtoa(r.trainL), psFtoa(r.seconds)})
		fmt.Fprintf(&b, "| %d | %d | %.4f | %.4f | %.4f | %.1f |\n", r.h, r.bestEpoch, r.trainErr, r.valErr, r.testErr, r.seconds)
	}
	if err := psWriteCSV(filepath.Join(f.out, "width.csv"), csv); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(f.out, "width.md"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	if err := psPlotWidth(f.out, rows); err != nil {
		return err
	}
	fmt.Fprint(stdout, b.String())
	fmt.Fprintf(stderr, "pathsgd width: wrote %s in %.1fs\n", f.out, time.Since(start).Seconds())
	return nil
}

func psFtoa(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func psWriteCSV(path string, rows [][]string) error {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ","))
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// psDescribeKernels names the CPU and the selected kernels, for the logs.
func psDescribeKernels() string { return asm.Describe() }

// psDropoutTag spells a dropout probability for a file name: 0.5 -> "05".
func psDropoutTag(p float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(p, 'g', -1, 64), ".", "")
}

// psOptColors gives each optimizer a colour; the initialisation picks the
// dash pattern (solid balanced, dashed unbalanced).
var psOptColors = map[string]color.RGBA{
	"sgd":     {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	"adagrad": {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"pathsgd": {R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}

// psPlotCurves writes train_loss_dropoutX.png and test_error_dropoutX.png:
// one line per (initialisation, optimizer) against the epoch.
func psPlotCurves(dir string, dropout float64, rows []psEpochRow) error {
	for _, metric := range []string{"train_loss", "test_error"} {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("MNIST, dropout %g: %s", dropout, strings.ReplaceAll(metric, "_", " "))
		p.X.Label.Text = "epoch"
		p.Y.Label.Text = strings.ReplaceAll(metric, "_", " ")
		if metric == "train_loss" {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = psLogTicks{}
		}
		p.Legend.Left = true // the curves fall: the lower left stays clear
		lines := map[psCell]plotter.XYs{}
		var order []psCell
		for _, r := range rows {
			if r.dropout != dropout || r.diverged {
				continue
			}
			y := r.trainLoss
			if metric == "test_error" {
				y = r.testErr
			}
			if !(y > 0) || math.IsInf(y, 0) {
				continue
			}
			if _, ok := lines[r.psCell]; !ok {
				order = append(order, r.psCell)
			}
			lines[r.psCell] = append(lines[r.psCell], plotter.XY{X: float64(r.epoch), Y: y})
		}
		for _, c := range order {
			l, err := plotter.NewLine(lines[c])
			if err != nil {
				return err
			}
			l.Color = psOptColors[c.opt]
			l.Width = vg.Points(1.5)
			if c.init == "unbalanced" {
				l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			}
			p.Add(l)
			p.Legend.Add(c.init+" "+c.opt, l)
		}
		name := filepath.Join(dir, fmt.Sprintf("%s_dropout%s.png", metric, psDropoutTag(dropout)))
		if err := p.Save(6*vg.Inch, 4*vg.Inch, name); err != nil {
			return err
		}
	}
	return nil
}

// psLogTicks marks 1, 2 and 5 times the powers of ten with labels and the
// other integer multiples without (plot.LogTicks labels powers of ten only,
// often a single tick on a loss curve).
type psLogTicks struct{}

// Ticks returns the ticks between min and max.
func (psLogTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	if !(min > 0) || !(max >= min) {
		return ts
	}
	for k := math.Floor(math.Log10(min)); k <= math.Ceil(math.Log10(max)); k++ {
		for m := 1.0; m < 10; m++ {
			v := m * math.Pow(10, k)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', 4, 64)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// psPlotWidth writes width.png: training and test error against H.
func psPlotWidth(dir string, rows []psWidthRow) error {
	p := plot.New()
	p.Title.Text = "10x10 MNIST, one hidden layer: error vs width"
	p.X.Label.Text = "hidden units H"
	p.Y.Label.Text = "error"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = psLogTicks{}
	p.Legend.Top = true
	for _, m := range []struct {
		name string
		col  color.RGBA
		get  func(psWidthRow) float64
	}{
		{"training error", psOptColors["adagrad"], func(r psWidthRow) float64 { return r.trainErr }},
		{"test error", psOptColors["sgd"], func(r psWidthRow) float64 { return r.testErr }},
	} {
		var pts plotter.XYs
		for _, r := range rows {
			if y := m.get(r); !math.IsNaN(y) {
				pts = append(pts, plotter.XY{X: float64(r.h), Y: y})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		l.Color, s.Color = m.col, m.col
		p.Add(l, s)
		p.Legend.Add(m.name, l, s)
	}
	return p.Save(6*vg.Inch, 4*vg.Inch, filepath.Join(dir, "width.png"))
}
