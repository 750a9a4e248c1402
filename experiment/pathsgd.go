package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/pathsgd"
)

// The pathsgd studies reproduce two experiments of the thesis
// (pathsgd.md section 7) on MNIST:
//
//   - Compare: balanced vs unbalanced initialisation x {SGD, AdaGrad,
//     Path-SGD} x dropout probabilities, hidden layers of equal width,
//     the step size of each cell chosen from a grid of powers of ten on
//     the validation split, then trained and evaluated on the test set
//     after every epoch.
//   - Width: one hidden layer of H units on 10x10 MNIST, the thesis's SGD
//     (lr 0.1 decayed by 0.99, momentum 0.5 rising to 0.9), early stopping
//     on the validation split: train and test error against H.

// PathSGDConfig are the settings of the pathsgd studies.
type PathSGDConfig struct {
	// Source is the data set (MNIST by default).
	Source
	// Hidden units per layer and Layers hidden layers (Compare).
	Hidden, Layers int
	// Epochs of training per cell.
	Epochs int
	// Train, Val, Test: examples used (0 for Train and Test: all; Val is
	// taken from the end of the training set).
	Train, Val, Test int
	// TrainEval is the number of training examples on which the training
	// loss is evaluated after every epoch (Compare; 0: all used).
	TrainEval int
	Batch     int
	// Inits, Opts and Dropouts span the Compare study's cells.
	Inits    []string
	Opts     []string
	Dropouts []float64
	// FixedLR gives step sizes that skip the grid search, by optimizer.
	FixedLR map[string]float64
	// Grid are the candidate step sizes, each trained GridEpochs epochs on
	// GridTrain examples (0: all) and scored on the validation split.
	Grid       []float64
	GridEpochs int
	GridTrain  int
	// Widths are the hidden-layer sizes of the Width study.
	Widths []int
	Seed   uint64
}

// DefaultPathSGDConfig returns the reduced settings the command line
// defaults to (the thesis's: Hidden 4000, 100 epochs for Compare, 200 for
// Width).
func DefaultPathSGDConfig() PathSGDConfig {
	return PathSGDConfig{
		Hidden: 1000, Layers: 2, Epochs: 5, Val: 10000, TrainEval: 10000, Batch: 100,
		Inits: []string{"balanced", "unbalanced"}, Opts: []string{"sgd", "adagrad", "pathsgd"},
		Dropouts: []float64{0, 0.5}, FixedLR: map[string]float64{},
		Grid: []float64{1, 0.1, 0.01, 0.001, 0.0001}, GridEpochs: 1, GridTrain: 10000,
		Widths: []int{4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}, Seed: 1,
	}
}

// Validate reports settings that cannot run.
func (c PathSGDConfig) Validate() error {
	if err := c.Source.check(); err != nil {
		return err
	}
	switch {
	case c.Epochs < 1 || c.Batch < 1 || c.Hidden < 1 || c.Layers < 1 || c.GridEpochs < 1:
		return fmt.Errorf("epochs, batch, hidden, layers and grid epochs must be positive")
	case c.Train < 0 || c.Val < 1 || c.Test < 0 || c.TrainEval < 0 || c.GridTrain < 0:
		return fmt.Errorf("train, test, train-eval and grid-train must not be negative, val must be positive")
	case c.Batch > layers.MaxBatch:
		return fmt.Errorf("batch %d above %d", c.Batch, layers.MaxBatch)
	}
	for _, s := range c.Inits {
		if s != "balanced" && s != "unbalanced" {
			return fmt.Errorf("unknown initialisation %q (want balanced, unbalanced)", s)
		}
	}
	for _, s := range c.Opts {
		if s != "sgd" && s != "adagrad" && s != "pathsgd" {
			return fmt.Errorf("unknown optimizer %q (want sgd, adagrad, pathsgd)", s)
		}
		if _, ok := c.FixedLR[s]; !ok && len(c.Grid) == 0 {
			return fmt.Errorf("the grid is empty and no fixed step size is given for %s", s)
		}
	}
	for _, p := range c.Dropouts {
		if !(p >= 0 && p < 1) {
			return fmt.Errorf("dropout %v outside [0, 1)", p)
		}
	}
	for name, lr := range c.FixedLR {
		if !(lr > 0) {
			return fmt.Errorf("step size %v for %s (want > 0)", lr, name)
		}
	}
	for _, lr := range c.Grid {
		if !(lr > 0) {
			return fmt.Errorf("grid step size %v (want > 0)", lr)
		}
	}
	if len(c.Inits) == 0 || len(c.Opts) == 0 || len(c.Dropouts) == 0 {
		return fmt.Errorf("the initialisations, optimizers and dropouts must not be empty")
	}
	for _, h := range c.Widths {
		if h < 1 || h > layers.MaxFeatures {
			return fmt.Errorf("width %d outside [1, %d]", h, layers.MaxFeatures)
		}
	}
	return nil
}

// Splits are a study's data sets.
type Splits struct {
	Train, Val, Test *data.Dataset
}

// classes is the number of classes (outputs), at least 2.
func (s Splits) classes() int { return max(s.Train.Classes, s.Test.Classes, 2) }

// loadSplits loads the data (downsampled to side x side when side > 0)
// and takes the validation split and the subsets the settings ask for.
func (c PathSGDConfig) loadSplits(side int) (Splits, error) {
	full, test, err := c.Source.Load()
	if err != nil {
		return Splits{}, err
	}
	if side > 0 && full.Height == 0 {
		return Splits{}, fmt.Errorf("%s: the features are not images: they cannot be downsampled", c.Source.Name())
	}
	if side > 0 {
		full, test = full.Downsample(side, side), test.Downsample(side, side)
	}
	if c.Val >= full.Len() {
		return Splits{}, fmt.Errorf("a validation split of %d leaves no training examples (the set has %d)", c.Val, full.Len())
	}
	train, val := full.Split(c.Val)
	if c.Train > 0 && c.Train < train.Len() {
		train = train.Subset(data.Permutation(train.Len(), c.Seed)[:c.Train])
	}
	if c.Test > 0 && c.Test < test.Len() {
		test = test.Subset(data.Permutation(test.Len(), c.Seed+1)[:c.Test])
	}
	return Splits{train, val, test}, nil
}

// PathSGDCell is one configuration of the Compare study.
type PathSGDCell struct {
	Init    string
	Dropout float64
	Opt     string
}

func (c PathSGDCell) String() string {
	return fmt.Sprintf("%s/dropout=%g/%s", c.Init, c.Dropout, c.Opt)
}

// key is the cell's directory name.
func (c PathSGDCell) key() string { return fmt.Sprintf("%s-d%g-%s", c.Init, c.Dropout, c.Opt) }

// newNetwork builds and initialises the Compare study's network.
func (c PathSGDConfig) newNetwork(cell PathSGDCell, in, classes int) (*layers.Network, error) {
	sizes := []int{in}
	for range c.Layers {
		sizes = append(sizes, c.Hidden)
	}
	sizes = append(sizes, classes)
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Seed: c.Seed, Dropout: float32(cell.Dropout), MaxBatch: c.Batch})
	if err != nil {
		return nil, err
	}
	if cell.Init == "unbalanced" {
		pathsgd.Unbalanced(net, c.Seed)
	} else {
		pathsgd.Balanced(net, c.Seed)
	}
	return net, nil
}

func newPathSGDOptimizer(name string, lr float64) layers.Optimizer {
	switch name {
	case "sgd":
		return &layers.SGD{LR: layers.Constant(float32(lr))}
	case "adagrad":
		return &layers.AdaGrad{LR: layers.Constant(float32(lr))}
	}
	return &pathsgd.PathSGD{LR: layers.Constant(float32(lr))}
}

// GridRow is one step-size candidate of the grid search.
type GridRow struct {
	PathSGDCell
	LR              float64
	ValErr, ValLoss float64
	Diverged        bool
	Seconds         float64
}

func (g GridRow) score() gridScore { return gridScore{g.ValErr, g.ValLoss, g.Diverged, g.Seconds} }

// CurveRow is one epoch of a trained cell.
type CurveRow struct {
	PathSGDCell
	LR    float64
	Epoch int
	// TrainLoss is evaluated after the epoch on TrainEval examples;
	// RunLoss is the mean loss during the epoch.
	TrainLoss, RunLoss, TestErr float64
	// Seconds is the cell's training and evaluation time so far,
	// TrainSeconds its training time alone, Steps its optimizer steps.
	Seconds      float64
	TrainSeconds float64
	Steps        int
	Diverged     bool
}

// CompareResult is the outcome of the Compare study.
type CompareResult struct {
	Config              PathSGDConfig
	TrainN, ValN, TestN int
	Grid                []GridRow
	Curves              []CurveRow
	Kernels             string
	Seconds             float64
}

// gridEpoch is the (empty) per-epoch record of a grid candidate.
type gridEpoch struct{ Epoch int }

// PathSGDCompare runs the Compare study in r's directory (resumable: each
// grid candidate and each trained cell is a cell of r), logging progress
// to log.
func PathSGDCompare(ctx context.Context, cfg PathSGDConfig, r *Runner, log io.Writer) (*CompareResult, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp, err := cfg.loadSplits(0)
	if err != nil {
		return nil, err
	}
	trainEval := subset(sp.Train, cfg.TrainEval, cfg.Seed+2)
	gridTrain := subset(sp.Train, cfg.GridTrain, cfg.Seed+3)
	res := &CompareResult{Config: cfg, TrainN: sp.Train.Len(), ValN: sp.Val.Len(), TestN: sp.Test.Len(), Kernels: asm.Describe()}
	fmt.Fprintf(log, "pathsgd compare: %d hidden layers of %d, %d training, %d validation, %d test examples, %d epochs; %s\n",
		cfg.Layers, cfg.Hidden, res.TrainN, res.ValN, res.TestN, cfg.Epochs, res.Kernels)
	// The cells in a fixed order (tuneAndTrain runs every grid first).
	var cells []PathSGDCell
	for _, dropout := range cfg.Dropouts {
		for _, init := range cfg.Inits {
			for _, opt := range cfg.Opts {
				cells = append(cells, PathSGDCell{init, dropout, opt})
			}
		}
	}
	tcells := make([]tunedCell[PathSGDCell], len(cells))
	for i, cell := range cells {
		lr, fixed := cfg.FixedLR[cell.Opt]
		su := setup{
			NewNet: func() (*layers.Network, error) { return cfg.newNetwork(cell, sp.Train.Dim(), sp.classes()) },
			NewOpt: func(lr float64) layers.Optimizer { return newPathSGDOptimizer(cell.Opt, lr) },
		}
		tcells[i] = tunedCell[PathSGDCell]{Cell: cell, Setup: su, Fixed: lr, Tuned: !fixed}
	}
	p := protocol{Grid: cfg.Grid,
		GridCfg:   layers.TrainConfig{Epochs: cfg.GridEpochs, BatchSize: cfg.Batch, Seed: cfg.Seed},
		TrainCfg:  layers.TrainConfig{Epochs: cfg.Epochs, BatchSize: cfg.Batch, Seed: cfg.Seed},
		GridTrain: gridTrain, Val: sp.Val, Train: sp.Train, TrainEval: trainEval, Test: sp.Test, Width: 32}
	res.Grid, res.Curves, err = tuneAndTrain(ctx, r, log, p, tcells,
		func(i int, lr float64, sc gridScore) GridRow {
			return GridRow{PathSGDCell: cells[i], LR: lr, ValErr: sc.ValErr, ValLoss: sc.ValLoss, Diverged: sc.Diverged, Seconds: sc.Seconds}
		},
		func(i int, lr float64, pt curvePoint) CurveRow {
			return CurveRow{PathSGDCell: cells[i], LR: lr, Epoch: pt.Epoch, TrainLoss: pt.TrainLoss, RunLoss: pt.RunLoss,
				TestErr: pt.TestErr, Seconds: pt.Seconds, TrainSeconds: pt.TrainSeconds, Steps: pt.Steps, Diverged: pt.Diverged}
		})
	if err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

func divergedNote(d bool) string {
	if d {
		return " (diverged)"
	}
	return ""
}

// WriteFiles writes grid.csv, curves.csv and results.md to dir.
func (res *CompareResult) WriteFiles(dir string) error {
	grid := [][]string{{"init", "dropout", "optimizer", "lr", "val_error", "val_loss", "diverged", "seconds"}}
	for _, g := range res.Grid {
		grid = append(grid, []string{g.Init, Ftoa(g.Dropout), g.Opt, Ftoa(g.LR), Ftoa(g.ValErr), Ftoa(g.ValLoss), fmt.Sprint(g.Diverged), Ftoa(g.Seconds)})
	}
	curves := [][]string{{"init", "dropout", "optimizer", "lr", "epoch", "train_loss", "train_loss_running", "test_error", "seconds", "diverged"}}
	for _, r := range res.Curves {
		curves = append(curves, []string{r.Init, Ftoa(r.Dropout), r.Opt, Ftoa(r.LR), fmt.Sprint(r.Epoch), Ftoa(r.TrainLoss), Ftoa(r.RunLoss), Ftoa(r.TestErr), Ftoa(r.Seconds), fmt.Sprint(r.Diverged)})
	}
	if err := WriteCSV(filepath.Join(dir, "grid.csv"), grid); err != nil {
		return err
	}
	if err := WriteCSV(filepath.Join(dir, "curves.csv"), curves); err != nil {
		return err
	}
	return WriteText(filepath.Join(dir, "results.md"), res.Markdown())
}

// Markdown summarises the study as a markdown table.
func (res *CompareResult) Markdown() string {
	c := res.Config
	var b strings.Builder
	fmt.Fprintf(&b, "## Path-SGD vs SGD vs AdaGrad, balanced and unbalanced initialisation\n\n")
	fmt.Fprintf(&b, "%s, %d hidden layers of %d ReLU units, batch %d, %s, %d training / %d validation / %d test examples, seed %d; step sizes chosen on the validation split; %s. Total %.0fs (this sitting).\n\n",
		c.Source.Name(), c.Layers, c.Hidden, c.Batch, plural(c.Epochs, "epoch"), res.TrainN, res.ValN, res.TestN, c.Seed, res.Kernels, res.Seconds)
	fmt.Fprintf(&b, "| dropout | init | optimizer | step size | train loss (epoch 1) | train loss (last) | test error (last) | best test error | time (s) |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|\n")
	byCell := map[PathSGDCell][]CurveRow{}
	var order []PathSGDCell
	for _, r := range res.Curves {
		if _, ok := byCell[r.PathSGDCell]; !ok {
			order = append(order, r.PathSGDCell)
		}
		byCell[r.PathSGDCell] = append(byCell[r.PathSGDCell], r)
	}
	for _, cell := range order {
		rs := byCell[cell]
		first, last := rs[0], rs[len(rs)-1]
		best := math.Inf(1)
		for _, r := range rs {
			if !math.IsNaN(r.TestErr) {
				best = math.Min(best, r.TestErr)
			}
		}
		note := ""
		if last.Diverged {
			note = " (diverged)"
		}
		fmt.Fprintf(&b, "| %g | %s | %s | %g | %.4f | %.4f%s | %.4f | %.4f | %.1f |\n",
			cell.Dropout, cell.Init, cell.Opt, first.LR, first.TrainLoss, last.TrainLoss, note, last.TestErr, best, last.Seconds)
	}
	return b.String()
}

// WidthResult is the outcome of the Width study.
type WidthResult struct {
	Config              PathSGDConfig
	TrainN, ValN, TestN int
	Rows                []WidthRow
	Kernels             string
	Seconds             float64
}

// PathSGDWidth runs the Width study in r's directory (one resumable cell
// per width).
func PathSGDWidth(ctx context.Context, cfg PathSGDConfig, r *Runner, log io.Writer) (*WidthResult, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.Widths) == 0 {
		return nil, fmt.Errorf("no widths")
	}
	sp, err := cfg.loadSplits(10)
	if err != nil {
		return nil, err
	}
	res := &WidthResult{Config: cfg, TrainN: sp.Train.Len(), ValN: sp.Val.Len(), TestN: sp.Test.Len(), Kernels: asm.Describe()}
	fmt.Fprintf(log, "pathsgd width: 10x10 MNIST, %d training, %d validation, %d test examples, %d epochs; %s\n",
		res.TrainN, res.ValN, res.TestN, cfg.Epochs, res.Kernels)
	for _, h := range cfg.Widths {
		var row WidthRow
		_, err := r.Run(fmt.Sprintf("width-H=%d", h), &row, func(c *Cell) error {
			var err error
			row, err = trainWidth(ctx, c, widthRun{Train: sp.Train, Val: sp.Val, Test: sp.Test, H: h, Classes: 10, Epochs: cfg.Epochs, Batch: cfg.Batch, Seed: cfg.Seed})
			if err != nil {
				return err
			}
			fmt.Fprintf(log, "  H=%-5d best epoch %3d train error %.4f val error %.4f test error %.4f; last epoch train %.4f test %.4f%s (%.1fs)\n",
				h, row.BestEpoch, row.TrainErr, row.ValErr, row.TestErr, row.FinalTrainErr, row.FinalTestErr, divergedNote(row.Diverged), row.Seconds)
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, row)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// WriteFiles writes width.csv and width.md to dir.
func (res *WidthResult) WriteFiles(dir string) error {
	rows := [][]string{{"hidden", "best_epoch", "train_error", "val_error", "test_error", "train_loss", "seconds", "diverged", "final_epoch", "final_train_error", "final_test_error"}}
	for _, r := range res.Rows {
		rows = append(rows, []string{fmt.Sprint(r.H), fmt.Sprint(r.BestEpoch), Ftoa(r.TrainErr), Ftoa(r.ValErr), Ftoa(r.TestErr), Ftoa(r.TrainLoss), Ftoa(r.Seconds), fmt.Sprint(r.Diverged),
			fmt.Sprint(r.FinalEpoch), Ftoa(r.FinalTrainErr), Ftoa(r.FinalTestErr)})
	}
	if err := WriteCSV(filepath.Join(dir, "width.csv"), rows); err != nil {
		return err
	}
	return WriteText(filepath.Join(dir, "width.md"), res.Markdown())
}

// Markdown summarises the Width study as a markdown table.
func (res *WidthResult) Markdown() string {
	c := res.Config
	var b strings.Builder
	fmt.Fprintf(&b, "## Width study: one hidden layer on 10x10 MNIST\n\n")
	fmt.Fprintf(&b, "SGD lr 0.1 x 0.99/epoch, momentum 0.5 + 0.02/epoch up to 0.9, batch %d, %s, early stopping on %d validation examples; %d training, %d test examples, seed %d; %s. Total %.0fs (this sitting).\n\n",
		c.Batch, plural(c.Epochs, "epoch"), res.ValN, res.TrainN, res.TestN, c.Seed, res.Kernels, res.Seconds)
	fmt.Fprintf(&b, "| H | early-stopping epoch | train error | validation error | test error (early stopping) | train error (last epoch) | test error (last epoch) | time (s) |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range res.Rows {
		fmt.Fprintf(&b, "| %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f |\n", r.H, r.BestEpoch, r.TrainErr, r.ValErr, r.TestErr, r.FinalTrainErr, r.FinalTestErr, r.Seconds)
	}
	return b.String()
}

// plural is "1 epoch", "2 epochs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
