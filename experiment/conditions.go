package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/measures"
)

// The conditions study is the thesis's Figures 3-5: a deep perceptron (10
// hidden layers of 1000 units by default, 9.8 million weights) on MNIST,
// measured at its random initialisation and after training, with the
// three conditions of the perturbation bound (measures.Conditions, where
// the reading of C1-C3 implemented is documented): C1, the distribution
// of 1/mu over the examples and the layer triples a <= c <= b-1, split
// into interior (a < c < b-1) and end (c = a or c = b-1) splits; C2, the
// fraction of hidden ReLU states a relative weight perturbation of size
// sigma flips, against sigma; C3, each hidden unit's incoming-weight norm
// over its layer's RMS row norm.

// ConditionsConfig are the settings of the conditions study.
type ConditionsConfig struct {
	// MNIST is the MNIST directory ("" for the default of data.MNISTDir).
	MNIST string `json:"-"`
	// Depth hidden layers of Width ReLU units.
	Depth, Width int
	// Training: SGD with momentum, He initialisation.
	Epochs, Batch int
	LR, Momentum  float64
	// Examples is the number of training images the conditions are
	// measured on.
	Examples int
	// Sigmas are C2's perturbation sizes, Draws the perturbations per size.
	Sigmas []float64
	Draws  int
	// Tol is the power iterations' relative tolerance.
	Tol  float64
	Seed uint64
}

// DefaultConditionsConfig returns the thesis's network (10 hidden layers
// of 1000 units), 10 epochs of SGD (lr 0.01, momentum 0.9, batch 100) and
// the conditions on 64 training images.
func DefaultConditionsConfig() ConditionsConfig {
	return ConditionsConfig{Depth: 10, Width: 1000, Epochs: 10, Batch: 100, LR: 0.01, Momentum: 0.9,
		Examples: 64, Sigmas: []float64{1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3}, Draws: 3, Tol: 1e-3, Seed: 1}
}

// Validate reports settings that cannot run.
func (c ConditionsConfig) Validate() error {
	switch {
	case c.Depth < 1 || c.Width < 1:
		return fmt.Errorf("depth and width must be positive")
	case c.Epochs < 1 || c.Batch < 1 || c.Examples < 1 || c.Draws < 1:
		return fmt.Errorf("epochs, batch, examples and draws must be positive")
	case !(c.LR > 0) || !(c.Momentum >= 0 && c.Momentum < 1):
		return fmt.Errorf("lr must be positive, momentum in [0, 1)")
	case !(c.Tol > 0 && c.Tol < 1):
		return fmt.Errorf("power-iteration tolerance %v outside (0, 1)", c.Tol)
	case len(c.Sigmas) == 0:
		return fmt.Errorf("no perturbation size")
	}
	for _, s := range c.Sigmas {
		if !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("perturbation size %v is not positive and finite", s)
		}
	}
	return nil
}

// The study's two stages, its cells.
const (
	StageInit    = "init"
	StageTrained = "trained"
)

// ConditionsStage is the network at one stage and its conditions.
type ConditionsStage struct {
	Stage string
	// Epochs trained, and the errors on all training and test images.
	Epochs            int
	TrainErr, TestErr float64
	Report            *measures.ConditionReport
	// Seconds spent training and measuring.
	TrainSeconds, MeasureSeconds float64
}

// ConditionsResult is the outcome of the study.
type ConditionsResult struct {
	Config  ConditionsConfig
	Stages  []ConditionsStage
	Kernels string
	Seconds float64
}

// ConditionsStudy runs the study in r's cells (init, trained; the trained
// cell resumes its training from its checkpoint), logging to log.
func ConditionsStudy(ctx context.Context, cfg ConditionsConfig, r *Runner, log io.Writer) (*ConditionsResult, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	train, test, err := Source{MNIST: cfg.MNIST}.Load()
	if err != nil {
		return nil, err
	}
	sizes := []int{train.Dim()}
	for range cfg.Depth {
		sizes = append(sizes, cfg.Width)
	}
	sizes = append(sizes, 10)
	newNet := func() (*layers.Network, error) {
		return layers.NewMLP(sizes, layers.MLPOptions{Init: layers.InitHe, Seed: cfg.Seed, MaxBatch: max(cfg.Batch, 1000)})
	}
	probe := subset(train, cfg.Examples, cfg.Seed+7)
	res := &ConditionsResult{Config: cfg, Kernels: asm.Describe()}
	fmt.Fprintf(log, "conditions: MNIST, %d hidden layers of %d units, %d epochs, measured on %d training images; %s\n",
		cfg.Depth, cfg.Width, cfg.Epochs, probe.Len(), res.Kernels)
	measure := func(st *ConditionsStage, net *layers.Network) error {
		t0 := time.Now()
		rep, err := measures.Conditions(ctx, net, probe, measures.ConditionOptions{
			Power: measures.PowerOptions{Tol: cfg.Tol, MaxIter: 500, Seed: cfg.Seed}, Sigmas: cfg.Sigmas, Draws: cfg.Draws, Seed: cfg.Seed + 11, BatchSize: 64})
		if err != nil {
			return err
		}
		st.Report = rep
		st.MeasureSeconds = time.Since(t0).Seconds()
		_, tracc, err := layers.Evaluate(net, train, 1000)
		if err != nil {
			return err
		}
		_, teacc, err := layers.Evaluate(net, test, 1000)
		if err != nil {
			return err
		}
		st.TrainErr, st.TestErr = 1-tracc, 1-teacc
		fmt.Fprintf(log, "  %s: training error %.4f, test error %.4f; %s (%.0fs)\n", st.Stage, st.TrainErr, st.TestErr, st.summaryLine(cfg.Sigmas), st.MeasureSeconds)
		return nil
	}
	for _, stage := range []string{StageInit, StageTrained} {
		var st ConditionsStage
		_, err := r.Run(stage, &st, func(c *Cell) error {
			st = ConditionsStage{Stage: stage}
			net, err := newNet()
			if err != nil {
				return err
			}
			if stage == StageTrained {
				t0 := time.Now()
				var recs []gridEpoch
				var diverged bool
				net, recs, diverged, err = TrainCell(ctx, c, Training[gridEpoch]{
					NewNet: newNet,
					NewOpt: func(*layers.Network) layers.Optimizer {
						return &layers.SGD{LR: layers.Constant(float32(cfg.LR)), Momentum: layers.Constant(float32(cfg.Momentum))}
					},
					Data: train, Config: layers.TrainConfig{Epochs: cfg.Epochs, BatchSize: cfg.Batch, Seed: cfg.Seed},
				})
				if err != nil {
					return err
				}
				if diverged {
					return fmt.Errorf("training diverged after %d epochs (lower -lr)", len(recs))
				}
				st.Epochs = len(recs)
				st.TrainSeconds = time.Since(t0).Seconds()
			}
			return measure(&st, net)
		})
		if err != nil {
			return nil, err
		}
		res.Stages = append(res.Stages, st)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// quantiles returns the median, 90th percentile and largest of v (NaN
// dropped).
func quantiles(v []float64) (med, p90, top float64) {
	v = slices.DeleteFunc(slices.Clone(v), math.IsNaN)
	if len(v) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	slices.Sort(v)
	return measures.Percentile(v, 50), measures.Percentile(v, 90), v[len(v)-1]
}

// InvMu returns 1/mu over the stage's samples, interior splits or end
// splits.
func (st ConditionsStage) InvMu(interior bool) []float64 {
	var out []float64
	for _, s := range st.Report.Mu {
		if s.Interior() == interior {
			out = append(out, 1/s.Mu)
		}
	}
	return out
}

// RowRatios returns C3 over every hidden unit.
func (st ConditionsStage) RowRatios() []float64 {
	var out []float64
	for _, l := range st.Report.RowRatios {
		out = append(out, l...)
	}
	return out
}

func (st ConditionsStage) summaryLine(sigmas []float64) string {
	im, i9, _ := quantiles(st.InvMu(true))
	em, e9, _ := quantiles(st.InvMu(false))
	cm, _, ct := quantiles(st.RowRatios())
	var fl []string
	for i, s := range sigmas {
		fl = append(fl, fmt.Sprintf("%g:%.3f", s, st.Report.FlipTotal[i]))
	}
	return fmt.Sprintf("1/mu interior median %.3g p90 %.3g, end median %.3g p90 %.3g; flips %s; C3 median %.3f max %.3f", im, i9, em, e9, strings.Join(fl, " "), cm, ct)
}

// WriteFiles writes conditions_mu.csv, conditions_flips.csv,
// conditions_c3.csv and conditions.md to dir.
func (res *ConditionsResult) WriteFiles(dir string) error {
	mu := [][]string{{"stage", "example", "a", "c", "b", "split", "inv_mu"}}
	flips := [][]string{{"stage", "sigma", "layer", "fraction"}}
	c3 := [][]string{{"stage", "layer", "unit", "ratio"}}
	for _, st := range res.Stages {
		for _, s := range st.Report.Mu {
			split := "end"
			if s.Interior() {
				split = "interior"
			}
			mu = append(mu, []string{st.Stage, fmt.Sprint(s.Example), fmt.Sprint(s.A), fmt.Sprint(s.C), fmt.Sprint(s.B), split, Ftoa(1 / s.Mu)})
		}
		for _, f := range st.Report.Flips {
			flips = append(flips, []string{st.Stage, Ftoa(f.Sigma), fmt.Sprint(f.Layer), Ftoa(f.Fraction)})
		}
		for i, s := range st.Report.FlipTotal {
			flips = append(flips, []string{st.Stage, Ftoa(res.Config.Sigmas[i]), "all", Ftoa(s)})
		}
		for l, rs := range st.Report.RowRatios {
			for u, v := range rs {
				c3 = append(c3, []string{st.Stage, fmt.Sprint(l + 1), fmt.Sprint(u), Ftoa(v)})
			}
		}
	}
	for name, rows := range map[string][][]string{"conditions_mu.csv": mu, "conditions_flips.csv": flips, "conditions_c3.csv": c3} {
		if err := WriteCSV(filepath.Join(dir, name), rows); err != nil {
			return err
		}
	}
	return WriteText(filepath.Join(dir, "conditions.md"), res.Markdown())
}

// Markdown summarises the study: per stage the errors, the quantiles of
// 1/mu (interior and end splits), the flip fractions and C3's quantiles.
func (res *ConditionsResult) Markdown() string {
	c := res.Config
	var b strings.Builder
	fmt.Fprintf(&b, "## Conditions of the perturbation bound on a deep perceptron (the thesis's Figures 3-5)\n\n")
	fmt.Fprintf(&b, "MNIST, %d hidden layers of %d ReLU units (He initialisation, seed %d), SGD lr %g momentum %g batch %d for %s; conditions measured on %d training images "+
		"(power iterations to relative tolerance %g; C2 averaged over %d perturbations per sigma). The definitions of C1-C3 are the reconstruction documented in package measures. %s. Total %.0fs (this sitting).\n\n",
		c.Depth, c.Width, c.Seed, c.LR, c.Momentum, c.Batch, plural(c.Epochs, "epoch"), c.Examples, c.Tol, c.Draws, res.Kernels, res.Seconds)
	fmt.Fprintf(&b, "| stage | epochs | train error | test error | 1/mu interior: median / p90 / max | 1/mu end: median / p90 / max | C3: median / p90 / max | power iterations (max) | unconverged |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range res.Stages {
		im, i9, it := quantiles(st.InvMu(true))
		em, e9, et := quantiles(st.InvMu(false))
		cm, c9, ct := quantiles(st.RowRatios())
		fmt.Fprintf(&b, "| %s | %d | %.4f | %.4f | %.3g / %.3g / %.3g | %.3g / %.3g / %.3g | %.3f / %.3f / %.3f | %d | %d |\n",
			st.Stage, st.Epochs, st.TrainErr, st.TestErr, im, i9, it, em, e9, et, cm, c9, ct, st.Report.PowerIters, st.Report.Unconverged)
	}
	fmt.Fprintf(&b, "\nC2, fraction of hidden ReLU states flipped by a relative weight perturbation of size sigma:\n\n| stage |")
	for _, s := range c.Sigmas {
		fmt.Fprintf(&b, " %g |", s)
	}
	fmt.Fprintf(&b, "\n|---|%s\n", strings.Repeat("---|", len(c.Sigmas)))
	for _, st := range res.Stages {
		fmt.Fprintf(&b, "| %s |", st.Stage)
		for _, f := range st.Report.FlipTotal {
			fmt.Fprintf(&b, " %.4f |", f)
		}
		fmt.Fprintf(&b, "\n")
	}
	return b.String()
}
