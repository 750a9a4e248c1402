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
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/pathsgd"
)

// The ddp study compares the two uses of data-dependent path normalization
// (pathsgd.md section 5) on MNIST: DDP-SGD (an optimizer on the plain
// network) and DDP-Normalization (a reparametrisation trained with SGD),
// each for several alpha, with batch normalization, Path-SGD and SGD
// beside them. Every method's step size is chosen from a grid on the
// validation split (the gridsearch.go protocol), then trained with the
// training loss and test error after every epoch, and each method's cost
// per step measured.

// DDPConfig are the settings of the ddp study.
type DDPConfig struct {
	// Source is the data set (MNIST by default).
	Source
	// Hidden units per layer and Layers hidden layers.
	Hidden, Layers int
	// Epochs of training of each method with its chosen step size.
	Epochs int
	// Train, Val, Test: examples used (0 for Train and Test: all; Val is
	// taken from the end of the training set); TrainEval: training
	// examples on which the per-epoch training loss is evaluated (0: all).
	Train, Val, Test, TrainEval int
	Batch                       int
	// Methods are among sgd, pathsgd, ddpsgd, ddpnorm and batchnorm;
	// ddpsgd and ddpnorm run once for each of Alphas.
	Methods []string
	Alphas  []float64
	// Grid are the candidate step sizes, each trained GridEpochs epochs on
	// GridTrain examples (0: all) and scored on the validation split.
	Grid       []float64
	GridEpochs int
	GridTrain  int
	Seed       uint64
}

// DefaultDDPConfig returns the settings the command line defaults to:
// 784-1000-1000-10, every method, alpha in {0, 0.25, 0.5, 0.75, 1}, the
// grid 10^0 .. 10^-5 with 5 epochs per candidate on all 50000 training
// images, then 20 epochs.
func DefaultDDPConfig() DDPConfig {
	return DDPConfig{
		Hidden: 1000, Layers: 2, Epochs: 20, Val: 10000, TrainEval: 10000, Batch: 100,
		Methods: []string{"sgd", "pathsgd", "ddpsgd", "ddpnorm", "batchnorm"},
		Alphas:  []float64{0, 0.25, 0.5, 0.75, 1},
		Grid:    []float64{1, 0.1, 0.01, 0.001, 0.0001, 0.00001}, GridEpochs: 5, Seed: 1,
	}
}

// Validate reports settings that cannot run.
func (c DDPConfig) Validate() error {
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
	case c.Hidden > layers.MaxFeatures:
		return fmt.Errorf("hidden %d above %d", c.Hidden, layers.MaxFeatures)
	case len(c.Methods) == 0 || len(c.Grid) == 0:
		return fmt.Errorf("the methods and the grid must not be empty")
	}
	for _, m := range c.Methods {
		switch m {
		case "sgd", "pathsgd", "batchnorm":
		case "ddpsgd", "ddpnorm":
			if len(c.Alphas) == 0 {
				return fmt.Errorf("%s needs at least one alpha", m)
			}
		default:
			return fmt.Errorf("unknown method %q (want sgd, pathsgd, ddpsgd, ddpnorm, batchnorm)", m)
		}
	}
	for _, a := range c.Alphas {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("alpha %v outside [0, 1]", a)
		}
	}
	for _, lr := range c.Grid {
		if !(lr > 0) || math.IsInf(lr, 0) {
			return fmt.Errorf("grid step size %v (want > 0)", lr)
		}
	}
	return nil
}

// DDPMethod is one method of the ddp study: Name is sgd, pathsgd, ddpsgd,
// ddpnorm or batchnorm; Alpha is DDP-SGD's or DDP-Normalization's (0
// otherwise).
type DDPMethod struct {
	Name  string
	Alpha float64
}

func (m DDPMethod) String() string {
	if m.Name == "ddpsgd" || m.Name == "ddpnorm" {
		return fmt.Sprintf("%s(alpha=%g)", m.Name, m.Alpha)
	}
	return m.Name
}

func (m DDPMethod) key() string {
	if m.Name == "ddpsgd" || m.Name == "ddpnorm" {
		return fmt.Sprintf("%s-a%g", m.Name, m.Alpha)
	}
	return m.Name
}

// methods expands the configuration's methods over the alphas.
func (c DDPConfig) methods() []DDPMethod {
	var ms []DDPMethod
	for _, name := range c.Methods {
		if name == "ddpsgd" || name == "ddpnorm" {
			for _, a := range c.Alphas {
				ms = append(ms, DDPMethod{name, a})
			}
		} else {
			ms = append(ms, DDPMethod{Name: name})
		}
	}
	return ms
}

// Cells returns the number of runner cells the study has.
func (c DDPConfig) Cells() int { return len(c.methods()) * (len(c.Grid) + 1) }

// setup builds a method's network (balanced initialisation) and optimizer.
func (c DDPConfig) setup(m DDPMethod, in, classes int) setup {
	return setup{
		NewNet: func() (*layers.Network, error) {
			sizes := []int{in}
			for range c.Layers {
				sizes = append(sizes, c.Hidden)
			}
			opts := layers.MLPOptions{Seed: c.Seed, MaxBatch: c.Batch}
			switch m.Name {
			case "batchnorm":
				opts.Norm = layers.NormBatch
			case "ddpnorm":
				opts.Norm, opts.Alpha = layers.NormDDP, float32(m.Alpha)
			}
			return layers.NewMLP(append(sizes, classes), opts)
		},
		NewOpt: func(lr float64) layers.Optimizer {
			switch m.Name {
			case "pathsgd":
				return &pathsgd.PathSGD{LR: layers.Constant(float32(lr))}
			case "ddpsgd":
				return &pathsgd.DDPSGD{LR: layers.Constant(float32(lr)), Alpha: m.Alpha}
			}
			return &layers.SGD{LR: layers.Constant(float32(lr))}
		},
	}
}

// DDPGridRow is one step-size candidate of a method.
type DDPGridRow struct {
	DDPMethod
	LR              float64
	ValErr, ValLoss float64
	Diverged        bool
	Seconds         float64
}

func (g DDPGridRow) score() gridScore { return gridScore{g.ValErr, g.ValLoss, g.Diverged, g.Seconds} }

// DDPCurveRow is one epoch of a method's long run.
type DDPCurveRow struct {
	DDPMethod
	LR    float64
	Epoch int
	// TrainLoss is evaluated after the epoch on TrainEval examples;
	// RunLoss is the mean loss during the epoch.
	TrainLoss, RunLoss, TestErr float64
	// Seconds is the training and evaluation time so far, TrainSeconds the
	// training time alone, Steps the optimizer steps so far.
	Seconds, TrainSeconds float64
	Steps                 int
	Diverged              bool
}

// DDPResult is the outcome of the ddp study.
type DDPResult struct {
	Config              DDPConfig
	TrainN, ValN, TestN int
	Grid                []DDPGridRow
	Curves              []DDPCurveRow
	Kernels             string
	Seconds             float64
}

// DDPStudy runs the ddp study in r's directory (resumable: each grid
// candidate and each long run is a cell of r), logging progress to log.
func DDPStudy(ctx context.Context, cfg DDPConfig, r *Runner, log io.Writer) (*DDPResult, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp, err := PathSGDConfig{Source: cfg.Source, Train: cfg.Train, Val: cfg.Val, Test: cfg.Test, Seed: cfg.Seed}.loadSplits(0)
	if err != nil {
		return nil, err
	}
	trainEval := subset(sp.Train, cfg.TrainEval, cfg.Seed+2)
	gridTrain := subset(sp.Train, cfg.GridTrain, cfg.Seed+3)
	res := &DDPResult{Config: cfg, TrainN: sp.Train.Len(), ValN: sp.Val.Len(), TestN: sp.Test.Len(), Kernels: asm.Describe()}
	fmt.Fprintf(log, "ddp: %d hidden layers of %d, %d training, %d validation, %d test examples, %d epochs; %s\n",
		cfg.Layers, cfg.Hidden, res.TrainN, res.ValN, res.TestN, cfg.Epochs, res.Kernels)
	ms := cfg.methods()
	tcells := make([]tunedCell[DDPMethod], len(ms))
	for i, m := range ms {
		tcells[i] = tunedCell[DDPMethod]{Cell: m, Setup: cfg.setup(m, sp.Train.Dim(), sp.classes()), Tuned: true}
	}
	p := protocol{Grid: cfg.Grid,
		GridCfg:   layers.TrainConfig{Epochs: cfg.GridEpochs, BatchSize: cfg.Batch, Seed: cfg.Seed},
		TrainCfg:  layers.TrainConfig{Epochs: cfg.Epochs, BatchSize: cfg.Batch, Seed: cfg.Seed},
		GridTrain: gridTrain, Val: sp.Val, Train: sp.Train, TrainEval: trainEval, Test: sp.Test, Width: 22}
	res.Grid, res.Curves, err = tuneAndTrain(ctx, r, log, p, tcells,
		func(i int, lr float64, sc gridScore) DDPGridRow {
			return DDPGridRow{DDPMethod: ms[i], LR: lr, ValErr: sc.ValErr, ValLoss: sc.ValLoss, Diverged: sc.Diverged, Seconds: sc.Seconds}
		},
		func(i int, lr float64, pt curvePoint) DDPCurveRow {
			return DDPCurveRow{DDPMethod: ms[i], LR: lr, Epoch: pt.Epoch, TrainLoss: pt.TrainLoss, RunLoss: pt.RunLoss,
				TestErr: pt.TestErr, Seconds: pt.Seconds, TrainSeconds: pt.TrainSeconds, Steps: pt.Steps, Diverged: pt.Diverged}
		})
	if err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// WriteFiles writes ddp_grid.csv, ddp_curves.csv and ddp.md to dir.
func (res *DDPResult) WriteFiles(dir string) error {
	grid := [][]string{{"method", "alpha", "lr", "val_error", "val_loss", "diverged", "seconds"}}
	for _, g := range res.Grid {
		grid = append(grid, []string{g.Name, Ftoa(g.Alpha), Ftoa(g.LR), Ftoa(g.ValErr), Ftoa(g.ValLoss), fmt.Sprint(g.Diverged), Ftoa(g.Seconds)})
	}
	curves := [][]string{{"method", "alpha", "lr", "epoch", "train_loss", "train_loss_running", "test_error", "seconds", "train_seconds", "steps", "diverged"}}
	for _, c := range res.Curves {
		curves = append(curves, []string{c.Name, Ftoa(c.Alpha), Ftoa(c.LR), fmt.Sprint(c.Epoch), Ftoa(c.TrainLoss), Ftoa(c.RunLoss), Ftoa(c.TestErr),
			Ftoa(c.Seconds), Ftoa(c.TrainSeconds), fmt.Sprint(c.Steps), fmt.Sprint(c.Diverged)})
	}
	if err := WriteCSV(filepath.Join(dir, "ddp_grid.csv"), grid); err != nil {
		return err
	}
	if err := WriteCSV(filepath.Join(dir, "ddp_curves.csv"), curves); err != nil {
		return err
	}
	return WriteText(filepath.Join(dir, "ddp.md"), res.Markdown())
}

// ByMethod groups the curve rows by method, in the study's order.
func (res *DDPResult) ByMethod() ([]DDPMethod, map[DDPMethod][]DDPCurveRow) {
	by := map[DDPMethod][]DDPCurveRow{}
	var order []DDPMethod
	for _, r := range res.Curves {
		if _, ok := by[r.DDPMethod]; !ok {
			order = append(order, r.DDPMethod)
		}
		by[r.DDPMethod] = append(by[r.DDPMethod], r)
	}
	return order, by
}

// Markdown summarises the study: per method the chosen step size, the
// training loss and test error after the first and the last epoch, the
// best test error, and the training time per step.
func (res *DDPResult) Markdown() string {
	c := res.Config
	var b strings.Builder
	fmt.Fprintf(&b, "## Data-dependent path normalization: DDP-SGD and DDP-Normalization against batch normalization, Path-SGD and SGD\n\n")
	fmt.Fprintf(&b, "%s, %d hidden layers of %d ReLU units, balanced initialisation, batch %d, %s, %d training / %d validation / %d test examples, seed %d; "+
		"step sizes chosen from %v by validation error after %s; DDP-Normalization and batch normalization trained with plain SGD; %s. Total %.0fs (this sitting).\n\n",
		c.Source.Name(), c.Layers, c.Hidden, c.Batch, plural(c.Epochs, "epoch"), res.TrainN, res.ValN, res.TestN, c.Seed, c.Grid, plural(c.GridEpochs, "epoch"), res.Kernels, res.Seconds)
	fmt.Fprintf(&b, "| method | step size | train loss (epoch 1) | train loss (last) | test error (last) | best test error | ms/step (training) |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|\n")
	order, by := res.ByMethod()
	for _, m := range order {
		rs := by[m]
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
		ms := math.NaN()
		if last.Steps > 0 {
			ms = 1000 * last.TrainSeconds / float64(last.Steps)
		}
		fmt.Fprintf(&b, "| %s | %g | %.4f | %.4f%s | %.4f | %.4f | %.2f |\n", m, first.LR, first.TrainLoss, last.TrainLoss, note, last.TestErr, best, ms)
	}
	return b.String()
}
