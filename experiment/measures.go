package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/measures"
)

// The measures studies (pathsgd.md, sections 6 and 7): capacity measures,
// the PAC-Bayes bound and sharpness of trained networks:
//
//	labels  true vs random labels on MNIST subsets of growing size
//	width   one hidden layer of growing width on 10x10 MNIST, beside the test error
//	models  the measures of saved model files (Path-SGD vs SGD networks)

// MeasuresConfig are the settings of the measures studies.
type MeasuresConfig struct {
	// MNIST is the MNIST directory ("" for data.MNISTDir's default).
	MNIST string `json:"-"`
	// Save, if not empty, is a directory every trained model is saved to.
	Save string `json:"-"`
	// Sizes are the training-set sizes of the labels study.
	Sizes []int
	// Hidden: the labels study's hidden layers (one network shape), the
	// width study's widths (one network per entry).
	Hidden []int
	// N is the training-set size of the width and models studies: the
	// first N of a seeded permutation of the 60000 images, or (First) the
	// first N in file order.
	N     int
	First bool
	// TestN is the number of test examples used for the test error.
	TestN int
	// Downsample is the image side (0: keep 28x28).
	Downsample int
	// Labels is "true" or "random" (width and models).
	Labels string
	// Epochs (at most), LR, Batch: the thesis's SGD; training stops once
	// the training error is at most Target.
	Epochs int
	LR     float64
	Batch  int
	Target float64
	// Decay is the step size's factor per epoch (0 means the thesis's
	// 0.99, under which the step has fallen 400-fold by epoch 600 and a
	// network still short of the target stops improving; 0.998 or 1
	// trains on).
	Decay float64 `json:",omitempty"`
	// Bias trains biases (otherwise they stay zero: the bias-free networks
	// of the theorems).
	Bias bool
	Seed uint64
	// Measures: worst-case sharpness box Alpha and ascent steps, expected
	// sharpness Sigma and Samples, both on the first SharpN training
	// examples (0: all); the margin Percentile and the bound's Delta.
	Alpha      float64
	SharpSteps int
	Sigma      float64
	Samples    int
	SharpN     int
	// SweepAlphas, if not empty, adds the sharpness-against-KL sweep: for
	// each alpha, expected sharpness with every parameter's deviation
	// scaled to its magnitude, alpha (10 |w_i| + 1), beside its KL term,
	// and worst-case sharpness in the box alpha (|w_i| + 1).
	SweepAlphas []float64 `json:",omitempty"`
	Percentile  float64
	Delta       float64
}

// DefaultMeasuresConfig returns the command line's defaults for study
// ("labels", "width" or "models").
func DefaultMeasuresConfig(study string) MeasuresConfig {
	c := MeasuresConfig{Sizes: []int{500, 1000, 2000}, Hidden: []int{256}, N: 5000, TestN: 10000, Labels: "true",
		Epochs: 60, LR: 0.05, Batch: 100, Seed: 1, Alpha: 5e-4, SharpSteps: 10, Sigma: 0.01, Samples: 5, SharpN: 1000,
		Percentile: 5, Delta: 0.05}
	if study == "width" {
		c.Downsample = 10
		c.Hidden = []int{8, 16, 32, 64, 128, 256}
	}
	return c
}

// Validate reports settings that cannot run.
func (c MeasuresConfig) Validate() error {
	switch {
	case c.Labels != "true" && c.Labels != "random":
		return fmt.Errorf("labels %q: want true or random", c.Labels)
	case c.N < 2:
		return fmt.Errorf("n %d: want at least 2", c.N)
	case c.TestN < 0:
		return fmt.Errorf("test-n %d is negative", c.TestN)
	case c.Downsample < 0 || c.Downsample > 28:
		return fmt.Errorf("downsample %d: want 0 to 28", c.Downsample)
	case c.Epochs < 1:
		return fmt.Errorf("epochs %d: want at least 1", c.Epochs)
	case !(c.LR > 0):
		return fmt.Errorf("lr %v: want a positive rate", c.LR)
	case c.Batch < 1 || c.Batch > layers.MaxBatch:
		return fmt.Errorf("batch %d: want 1 to %d", c.Batch, layers.MaxBatch)
	case !(c.Decay >= 0 && c.Decay <= 1):
		return fmt.Errorf("decay %v: want a factor in (0, 1] (0: the thesis's 0.99)", c.Decay)
	case !(c.Target >= 0 && c.Target < 1):
		return fmt.Errorf("target %v: want a fraction in [0, 1)", c.Target)
	case !(c.Alpha > 0):
		return fmt.Errorf("alpha %v: want a positive box size", c.Alpha)
	case c.SharpSteps < 0:
		return fmt.Errorf("sharp-steps %d is negative", c.SharpSteps)
	case !(c.Sigma > 0):
		return fmt.Errorf("sigma %v: want a positive deviation", c.Sigma)
	case c.Samples < 1:
		return fmt.Errorf("samples %d: want at least 1", c.Samples)
	case c.SharpN < 0:
		return fmt.Errorf("sharp-n %d is negative", c.SharpN)
	case !(c.Percentile > 0 && c.Percentile <= 100):
		return fmt.Errorf("percentile %v: want (0, 100]", c.Percentile)
	case !(c.Delta > 0 && c.Delta < 1):
		return fmt.Errorf("delta %v: want (0, 1)", c.Delta)
	}
	for _, a := range c.SweepAlphas {
		if !(a > 0) || math.IsInf(a, 0) {
			return fmt.Errorf("sweep alpha %v: want positive and finite", a)
		}
	}
	for _, v := range append(append([]int{}, c.Sizes...), c.Hidden...) {
		if v < 1 {
			return fmt.Errorf("sizes and hidden widths must be positive")
		}
	}
	return nil
}

// MeasuresRow is one network's line of the tables.
type MeasuresRow struct {
	Model, Labels     string
	N                 int
	Hidden            string
	Epochs            int // -1 for a loaded model
	TrainErr, TestErr float64
	TrainSec, MeasSec float64
	Rep               *measures.Report
	Sharp             measures.Sharpness
	Exp               measures.Expected
	// Sweep is the sharpness-against-KL sweep (MeasuresConfig.SweepAlphas).
	Sweep []SharpPoint
}

// SharpPoint is one alpha of the sharpness sweep: expected sharpness with
// scaled deviations and its KL term, and worst-case sharpness.
type SharpPoint struct {
	Alpha                float64
	KL, Expected, StdErr float64
	WorstCase            float64
}

// Short reports whether a network this study trained stopped short of the
// training-error target (the measures assume a network that fits its
// training set); loaded models are never short.
func (r MeasuresRow) Short(target float64) bool { return r.Epochs >= 0 && r.TrainErr > target }

// MeasuresResult is the outcome of a measures study.
type MeasuresResult struct {
	Study  string
	Config MeasuresConfig
	Rows   []MeasuresRow
}

// loadData returns the MNIST training and test sets, downsampled as asked,
// the training set's labels randomized (by Seed) when random is set.
func (c MeasuresConfig) loadData(random bool) (train, test *data.Dataset, err error) {
	dir := c.MNIST
	if dir == "" {
		if dir, err = data.MNISTDir(); err != nil {
			return nil, nil, err
		}
	}
	train, test, err = data.LoadMNIST(dir)
	if err != nil {
		return nil, nil, err
	}
	if c.Downsample > 0 {
		train, test = train.Downsample(c.Downsample, c.Downsample), test.Downsample(c.Downsample, c.Downsample)
	}
	if random {
		train = train.RandomLabels(c.Seed)
	}
	if c.TestN < test.Len() {
		test = test.Subset(data.Permutation(test.Len(), c.Seed+1)[:c.TestN])
	}
	return train, test, nil
}

// subset returns the first n examples of a seeded permutation of d (sizes
// grow by adding examples, so smaller sets are subsets of larger ones), or
// with First the first n in file order.
func (c MeasuresConfig) subset(d *data.Dataset, n int) (*data.Dataset, error) {
	if n > d.Len() {
		return nil, fmt.Errorf("training-set size %d exceeds the %d examples available", n, d.Len())
	}
	if c.First {
		return d.Subset(seq(n)), nil
	}
	return d.Subset(data.Permutation(d.Len(), c.Seed)[:n]), nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// ZeroBias wraps an optimizer and sets every bias back to zero after each
// step, so that a network that starts with zero biases stays bias-free. It
// saves and restores the wrapped optimizer's state (layers.StateSaver), so
// checkpoints of a bias-free run resume exactly.
type ZeroBias struct{ layers.Optimizer }

// Step applies the wrapped step, then zeroes the biases.
func (z ZeroBias) Step(net *layers.Network) {
	z.Optimizer.Step(net)
	for _, d := range net.Dense() {
		clear(d.B)
	}
}

// SaveState saves the wrapped optimizer's state (none if it keeps none).
func (z ZeroBias) SaveState(w io.Writer) error {
	if s, ok := z.Optimizer.(layers.StateSaver); ok {
		return s.SaveState(w)
	}
	return layers.WriteOptimizerState(w, "zerobias", nil)
}

// LoadState restores the wrapped optimizer's state.
func (z ZeroBias) LoadState(r io.Reader, net *layers.Network) error {
	if s, ok := z.Optimizer.(layers.StateSaver); ok {
		return s.LoadState(r, net)
	}
	_, err := layers.ReadOptimizerState(r, "zerobias", net)
	return err
}

// trainEpoch is one epoch of a measures cell.
type trainEpoch struct {
	Epoch    int
	TrainErr float64
	Seconds  float64
}

// measuresCell is what the runner keeps per trained network.
type measuresCell struct{ Row MeasuresRow }

// trainAndMeasure trains an MLP with the hidden sizes on d by the thesis's
// SGD until the training error reaches Target or Epochs have run (one
// resumable cell), then computes every measure on d.
func (c MeasuresConfig) trainAndMeasure(ctx context.Context, r *Runner, tag string, d, test *data.Dataset, hidden []int, log io.Writer) (MeasuresRow, error) {
	var mc measuresCell
	_, err := r.Run(tag, &mc, func(cell *Cell) error {
		sizes := append(append([]int{d.Dim()}, hidden...), d.Classes)
		net, recs, diverged, err := TrainCell(ctx, cell, Training[trainEpoch]{
			NewNet: func() (*layers.Network, error) {
				return layers.NewMLP(sizes, layers.MLPOptions{Seed: c.Seed, MaxBatch: c.Batch})
			},
			NewOpt: func(*layers.Network) layers.Optimizer {
				sgd := layers.ThesisSGD(float32(c.LR))
				if c.Decay != 0 {
					sgd.LR = layers.Exponential(float32(c.LR), float32(c.Decay))
				}
				var opt layers.Optimizer = sgd
				if !c.Bias {
					opt = ZeroBias{opt}
				}
				return opt
			},
			Data:   d,
			Config: layers.TrainConfig{Epochs: c.Epochs, BatchSize: c.Batch, Seed: c.Seed},
			OnEpoch: func(net *layers.Network, st layers.EpochStats, prev []trainEpoch) (trainEpoch, error) {
				_, acc, err := layers.Evaluate(net, d, 500)
				rec := trainEpoch{Epoch: st.Epoch, TrainErr: 1 - acc, Seconds: st.Duration.Seconds()}
				if len(prev) > 0 {
					rec.Seconds += prev[len(prev)-1].Seconds
				}
				return rec, err
			},
			Stop: func(rec trainEpoch) bool { return rec.TrainErr <= c.Target },
		})
		if err != nil {
			return err
		}
		if diverged {
			return fmt.Errorf("training diverged after %d epochs", len(recs))
		}
		last := recs[len(recs)-1]
		fmt.Fprintf(log, "%-28s trained %3d epochs in %6.1f s, training error %.4f\n", tag, last.Epoch, last.Seconds, last.TrainErr)
		if c.Save != "" {
			if err := os.MkdirAll(c.Save, 0o755); err != nil {
				return err
			}
			if err := net.SaveFile(filepath.Join(c.Save, tag+".fpnn")); err != nil {
				return err
			}
		}
		row, err := c.measure(ctx, net, d, test)
		if err != nil {
			return err
		}
		row.Model, row.Epochs, row.TrainSec = tag, last.Epoch, last.Seconds
		mc.Row = row
		return nil
	})
	return mc.Row, err
}

// measure computes every measure of net on its training set d.
func (c MeasuresConfig) measure(ctx context.Context, net *layers.Network, d, test *data.Dataset) (MeasuresRow, error) {
	start := time.Now()
	row := MeasuresRow{N: d.Len(), TestErr: math.NaN()}
	rep, err := measures.Compute(ctx, net, d, measures.Options{Percentile: c.Percentile, Delta: c.Delta, Power: measures.PowerOptions{Seed: c.Seed}})
	if err != nil {
		return row, err
	}
	row.Rep = rep
	if test != nil && test.Len() > 0 {
		_, acc, err := layers.Evaluate(net, test, 500)
		if err != nil {
			return row, err
		}
		row.TestErr = 1 - acc
	}
	sd := d
	if c.SharpN > 0 && c.SharpN < d.Len() {
		sd = d.Subset(seq(c.SharpN))
	}
	if row.Sharp, err = measures.WorstCaseSharpness(ctx, net, sd, measures.SharpnessOptions{Alpha: c.Alpha, Steps: c.SharpSteps}); err != nil {
		return row, err
	}
	if row.Exp, err = measures.ExpectedSharpness(ctx, net, sd, measures.ExpectedOptions{Sigma: c.Sigma, Samples: c.Samples, Seed: c.Seed}); err != nil {
		return row, err
	}
	for _, a := range c.SweepAlphas {
		e, err := measures.ExpectedSharpness(ctx, net, sd, measures.ExpectedOptions{Alpha: a, Samples: c.Samples, Seed: c.Seed})
		if err != nil {
			return row, err
		}
		w, err := measures.WorstCaseSharpness(ctx, net, sd, measures.SharpnessOptions{Alpha: a, Steps: c.SharpSteps})
		if err != nil {
			return row, err
		}
		row.Sweep = append(row.Sweep, SharpPoint{Alpha: a, KL: e.KL, Expected: e.Value, StdErr: e.StdErr, WorstCase: w.Value})
	}
	row.TrainErr = rep.TrainError
	row.MeasSec = time.Since(start).Seconds()
	return row, nil
}

func hiddenName(h []int) string {
	s := make([]string, len(h))
	for i, v := range h {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "-")
}

// MeasuresLabels runs the labels study in r's directory (one resumable
// cell per network): for true and random labels and every size in Sizes,
// a network with hidden layers Hidden trained on that many examples, and
// its measures.
func MeasuresLabels(ctx context.Context, c MeasuresConfig, r *Runner, log io.Writer) (*MeasuresResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	res := &MeasuresResult{Study: "labels", Config: c}
	for _, kind := range []string{"true", "random"} {
		full, test, err := c.loadData(kind == "random")
		if err != nil {
			return nil, err
		}
		for _, n := range c.Sizes {
			d, err := c.subset(full, n)
			if err != nil {
				return nil, err
			}
			tag := fmt.Sprintf("labels-%s-n%d-h%s", kind, n, hiddenName(c.Hidden))
			row, err := c.trainAndMeasure(ctx, r, tag, d, test, c.Hidden, log)
			if err != nil {
				return nil, err
			}
			row.Labels, row.Hidden = kind, hiddenName(c.Hidden)
			res.Rows = append(res.Rows, row)
		}
	}
	return res, nil
}

// MeasuresWidth runs the width study in r's directory: one hidden layer of
// each width in Hidden, trained on N examples (one resumable cell each).
func MeasuresWidth(ctx context.Context, c MeasuresConfig, r *Runner, log io.Writer) (*MeasuresResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	full, test, err := c.loadData(c.Labels == "random")
	if err != nil {
		return nil, err
	}
	d, err := c.subset(full, c.N)
	if err != nil {
		return nil, err
	}
	res := &MeasuresResult{Study: "width", Config: c}
	for _, h := range c.Hidden {
		tag := fmt.Sprintf("width-%s-n%d-h%d", c.Labels, c.N, h)
		row, err := c.trainAndMeasure(ctx, r, tag, d, test, []int{h}, log)
		if err != nil {
			return nil, err
		}
		row.Labels, row.Hidden = c.Labels, strconv.Itoa(h)
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// MeasuresModels measures saved models (fastpath model files or
// checkpoints) on the training set they were fitted to, as N, First,
// Downsample, Labels and Seed describe it.
func MeasuresModels(ctx context.Context, c MeasuresConfig, files []string) (*MeasuresResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	full, test, err := c.loadData(c.Labels == "random")
	if err != nil {
		return nil, err
	}
	d, err := c.subset(full, c.N)
	if err != nil {
		return nil, err
	}
	res := &MeasuresResult{Study: "models", Config: c}
	for _, f := range files {
		net, err := layers.LoadFile(f)
		if err != nil {
			return nil, err
		}
		if net.InSize() != d.Dim() || net.OutSize() != d.Classes {
			return nil, fmt.Errorf("%s: the network maps %d features to %d classes, the data has %d and %d (check the downsampling)",
				f, net.InSize(), net.OutSize(), d.Dim(), d.Classes)
		}
		row, err := c.measure(ctx, net, d, test)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		h := measures.Widths(net)
		row.Model, row.Labels, row.Hidden, row.Epochs, row.TrainSec = filepath.Base(f), c.Labels, hiddenName(h[1:len(h)-1]), -1, math.NaN()
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// columns of the CSV file: names and values.
func (r MeasuresRow) columns() ([]string, []float64) {
	names := []string{"train_err", "test_err", "gamma", "margin_loss", "phi1", "phi2"}
	vals := []float64{r.TrainErr, r.TestErr, r.Rep.Gamma, r.Rep.MarginLoss, r.Rep.PathNorm1, r.Rep.PathNorm2}
	for i, n := range r.Rep.Normalized.Names() {
		names = append(names, strings.ReplaceAll(n, "-", "_")+"_norm")
		vals = append(vals, r.Rep.Normalized.Values()[i])
	}
	for i, n := range r.Rep.Raw.Names() {
		names = append(names, strings.ReplaceAll(n, "-", "_")+"_raw")
		vals = append(vals, r.Rep.Raw.Values()[i])
	}
	names = append(names, "bound", "bound_kl", "bound_margin_loss", "sharpness", "loss", "expected_sharpness", "expected_stderr", "kl_sigma", "train_seconds", "measure_seconds")
	vals = append(vals, r.Rep.Bound.Value, r.Rep.Bound.KL, r.Rep.Bound.MarginLoss, r.Sharp.Value, r.Sharp.Loss, r.Exp.Value, r.Exp.StdErr, r.Exp.KL, r.TrainSec, r.MeasSec)
	return names, vals
}

// WriteFiles writes STUDY.csv and STUDY.md to dir.
func (res *MeasuresResult) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var rows [][]string
	for i, r := range res.Rows {
		names, vals := r.columns()
		if i == 0 {
			rows = append(rows, append([]string{"model", "labels", "n", "hidden", "epochs", "reached_target"}, names...))
		}
		rec := []string{r.Model, r.Labels, strconv.Itoa(r.N), r.Hidden, strconv.Itoa(r.Epochs), strconv.FormatBool(!r.Short(res.Config.Target))}
		for _, v := range vals {
			rec = append(rec, strconv.FormatFloat(v, 'g', 8, 64))
		}
		rows = append(rows, rec)
	}
	base := filepath.Join(dir, res.Study)
	if err := WriteCSV(base+".csv", rows); err != nil {
		return err
	}
	if len(res.Config.SweepAlphas) > 0 {
		sweep := [][]string{{"model", "labels", "n", "hidden", "reached_target", "alpha", "kl", "expected_sharpness", "expected_stderr", "worst_case_sharpness"}}
		for _, r := range res.Rows {
			for _, p := range r.Sweep {
				sweep = append(sweep, []string{r.Model, r.Labels, strconv.Itoa(r.N), r.Hidden, strconv.FormatBool(!r.Short(res.Config.Target)),
					Ftoa(p.Alpha), Ftoa(p.KL), Ftoa(p.Expected), Ftoa(p.StdErr), Ftoa(p.WorstCase)})
			}
		}
		if err := WriteCSV(base+"_sweep.csv", sweep); err != nil {
			return err
		}
	}
	return WriteText(base+".md", res.Markdown())
}

// Markdown is the study's table.
func (res *MeasuresResult) Markdown() string {
	c := res.Config
	var md strings.Builder
	fmt.Fprintf(&md, "| model | labels | n | H | epochs | train err | test err | gamma | l2 | l1-path | l2-path | spectral | bartlett | pac-bayes | bound | sharpness | exp. sharpness | train s | measure s |\n")
	fmt.Fprintf(&md, "|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	anyShort := false
	for _, r := range res.Rows {
		m := r.Rep.Normalized
		epochs, trainSec := "-", "-" // unknown for loaded models
		if r.Epochs >= 0 {
			epochs, trainSec = strconv.Itoa(r.Epochs), fmt.Sprintf("%.2f", r.TrainSec)
		}
		short := ""
		if r.Short(c.Target) {
			short, anyShort = " ✗", true
		}
		fmt.Fprintf(&md, "| %s | %s | %d | %s | %s | %.4f%s | %.4f | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %s | %.2f |\n",
			r.Model, r.Labels, r.N, r.Hidden, epochs, r.TrainErr, short, r.TestErr, r.Rep.Gamma,
			m.L2, m.L1Path, m.L2Path, m.Spectral, m.Bartlett, m.PACBayes, r.Rep.Bound.Value,
			r.Sharp.Value, r.Exp.Value, trainSec, r.MeasSec)
	}
	fmt.Fprintf(&md, "\nMeasures are divided by gamma^2 (+Inf: gamma <= 0, more than that percentile of the training set misclassified), gamma the %g-th percentile of the training margins; bound: PAC-Bayes spectral bound on the test error (delta = %g); sharpness: worst case, alpha = %g, %d steps, on %d training examples; exp. sharpness: sigma = %g, %d samples.\n",
		c.Percentile, c.Delta, c.Alpha, c.SharpSteps, c.SharpN, c.Sigma, c.Samples)
	if anyShort {
		fmt.Fprintf(&md, "\n✗: training stopped at the epoch limit above the training-error target %g; the measures assume a network that fits its training set, so these rows do not measure what the study is about (they are crossed out in the plot).\n", c.Target)
	}
	return md.String()
}
