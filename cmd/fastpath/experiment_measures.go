package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/experiment/plots"
	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/measures"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// The measures study (pathsgd.md, sections 6 and 7): capacity measures,
// the PAC-Bayes bound and sharpness of trained networks, in three parts:
//
//	labels  true vs random labels on MNIST subsets of growing size
//	width   one hidden layer of growing width on 10x10 MNIST, beside the test error
//	models  the measures of saved model files (Path-SGD vs SGD networks)
//
// Each writes a CSV file, a markdown table (also printed) and, for labels
// and width, a PNG of every measure against the varied quantity.

func init() {
	registerExperiment(study{
		name:    "measures",
		summary: "capacity measures, margin bounds and sharpness: true vs random labels, width, saved models",
		run:     runMeasures,
		usage:   measuresUsage,
	})
}

var measuresStudies = []struct{ name, summary string }{
	{"labels", "train to ~zero training error on MNIST subsets of growing size, true and random labels"},
	{"width", "one hidden layer of growing width on (by default 10x10) MNIST, measures beside the test error"},
	{"models", "measures of saved model files (fastpath's model format), e.g. Path-SGD vs SGD networks"},
}

func measuresUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath experiment measures <study> [flags] [model files, for models]\n\nStudies:\n")
	for _, s := range measuresStudies {
		fmt.Fprintf(w, "  %-7s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs := newMeasuresFlags(&measuresConfig{}, "labels")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, `
Reduced runs (a few minutes on 2 cores):
  fastpath experiment measures labels -sizes 500,1000,2000 -hidden 256 -epochs 60
  fastpath experiment measures width -hidden 8,16,32,64,128,256 -n 5000 -epochs 40
The thesis's scale:
  fastpath experiment measures labels -sizes 1000,2000,5000,10000,20000 -hidden 1024 -epochs 1000 -sharp-n 10000
  fastpath experiment measures width -hidden 4,8,16,32,64,128,256,512,1024,2048,4096 -n 50000 -epochs 1000
Models: train them with fastpath train (-out model.fpnn) or with -save DIR here, then
  fastpath experiment measures models -n 1000 DIR/*.fpnn
where -n, -downsample, -labels and -seed describe the training set the models were fitted to.
`)
}

// measuresConfig holds the flags of every study.
type measuresConfig struct {
	study      string
	mnist      string
	out        string
	save       string
	sizes      string
	hidden     string
	n          int
	first      bool
	testN      int
	downsample int
	labels     string
	epochs     int
	lr         float64
	batch      int
	target     float64
	bias       bool
	seed       uint64
	alpha      float64
	sharpSteps int
	sigma      float64
	samples    int
	sharpN     int
	threads    int
	percentile float64
	delta      float64
}

func newMeasuresFlags(c *measuresConfig, study string) *flag.FlagSet {
	fs := flag.NewFlagSet("measures "+study, flag.ContinueOnError)
	fs.StringVar(&c.mnist, "mnist", "", "MNIST `directory` (default: the GoMNIST module's data, or $FASTPATH_MNIST)")
	fs.StringVar(&c.out, "out", "measures-out", "output `directory` for the CSV, markdown and PNG files")
	fs.StringVar(&c.save, "save", "", "save every trained model into `directory` (for the models study)")
	fs.StringVar(&c.sizes, "sizes", "500,1000,2000", "labels: comma-separated training-set `sizes`")
	fs.StringVar(&c.hidden, "hidden", "", "hidden layer `sizes`: labels and width take a comma-separated list (labels: one hidden layer per entry, default 256; width: one network per entry, default 8,16,32,64,128,256)")
	fs.IntVar(&c.n, "n", 5000, "width and models: training-set `size` (the first n of a seeded permutation of MNIST's 60000)")
	fs.BoolVar(&c.first, "first", false, "models: the training set is the first -n images in file order (what 'fastpath train' fits: it holds out the last 10000 of the 60000)")
	fs.IntVar(&c.testN, "test-n", 10000, "test examples used for the test error (at most 10000)")
	fs.IntVar(&c.downsample, "downsample", -1, "downsample the images to `k`xk (0: keep 28x28; default 10 for width, 0 otherwise)")
	fs.StringVar(&c.labels, "labels", "true", "width and models: labels `kind`, true or random")
	fs.IntVar(&c.epochs, "epochs", 60, "maximum training `epochs` (training stops earlier at -target training error)")
	fs.Float64Var(&c.lr, "lr", 0.05, "SGD learning `rate` (thesis schedule: x0.99 per epoch, momentum 0.5 rising by 0.02 to 0.9)")
	fs.IntVar(&c.batch, "batch", 100, "mini-batch `size`")
	fs.Float64Var(&c.target, "target", 0, "stop training once the training error is at most this `fraction`")
	fs.BoolVar(&c.bias, "bias", false, "train biases (default: biases pinned at zero, the bias-free networks of the papers' theorems)")
	fs.Uint64Var(&c.seed, "seed", 1, "`seed` of the subsets, random labels, initialisation and shuffling")
	fs.Float64Var(&c.alpha, "alpha", 5e-4, "worst-case sharpness box: |nu_i| <= `alpha` (|w_i| + 1)")
	fs.IntVar(&c.sharpSteps, "sharp-steps", 10, "worst-case sharpness: projected gradient-ascent `steps`")
	fs.Float64Var(&c.sigma, "sigma", 0.01, "expected sharpness: perturbation standard `deviation`")
	fs.IntVar(&c.samples, "samples", 5, "expected sharpness: `number` of perturbations")
	fs.IntVar(&c.sharpN, "sharp-n", 1000, "sharpness is measured on the first `n` training examples (0: all)")
	fs.IntVar(&c.threads, "threads", 0, "GEMM `threads` (0: GOMAXPROCS)")
	fs.Float64Var(&c.percentile, "percentile", 5, "margin `percentile` gamma")
	fs.Float64Var(&c.delta, "delta", 0.05, "PAC-Bayes confidence `delta`")
	return fs
}

func runMeasures(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "fastpath experiment measures: missing study (labels, width or models; -h for help)\n")
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		measuresUsage(stdout)
		return 0
	case "labels", "width", "models":
	default:
		fmt.Fprintf(stderr, "fastpath experiment measures: unknown study %q (labels, width or models)\n", args[0])
		return 2
	}
	c := &measuresConfig{study: args[0]}
	fs := newMeasuresFlags(c, c.study)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			measuresUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "fastpath experiment measures %s: %v\n", c.study, measuresFirstLine(err.Error()))
		return 2
	}
	if err := c.check(fs.Args()); err != nil {
		fmt.Fprintf(stderr, "fastpath experiment measures %s: %v\n", c.study, err)
		return 2
	}
	if c.threads > 0 {
		defer blas.SetThreads(blas.SetThreads(c.threads))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	var err error
	switch c.study {
	case "labels":
		err = c.runLabels(ctx, stdout)
	case "width":
		err = c.runWidth(ctx, stdout)
	case "models":
		err = c.runModels(ctx, fs.Args(), stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "fastpath experiment measures %s: %v\n", c.study, measuresFirstLine(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "\ntotal %.1f s; files in %s\n", time.Since(start).Seconds(), c.out)
	return 0
}

func measuresFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// check validates the flags and fills in the per-study defaults.
func (c *measuresConfig) check(rest []string) error {
	if c.study != "models" && len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	if c.study == "models" && len(rest) == 0 {
		return fmt.Errorf("no model files given")
	}
	if c.first && c.study != "models" {
		return fmt.Errorf("-first applies to the models study only")
	}
	if c.downsample < 0 {
		c.downsample = 0
		if c.study == "width" {
			c.downsample = 10
		}
	}
	if c.hidden == "" {
		c.hidden = "256"
		if c.study == "width" {
			c.hidden = "8,16,32,64,128,256"
		}
	}
	if _, err := measuresInts(c.hidden, "-hidden"); err != nil {
		return err
	}
	if _, err := measuresInts(c.sizes, "-sizes"); err != nil {
		return err
	}
	switch {
	case c.labels != "true" && c.labels != "random":
		return fmt.Errorf("-labels %q: want true or random", c.labels)
	case c.n < 2:
		return fmt.Errorf("-n %d: want at least 2", c.n)
	case c.testN < 0:
		return fmt.Errorf("-test-n %d is negative", c.testN)
	case c.downsample > 28:
		return fmt.Errorf("-downsample %d: want at most 28", c.downsample)
	case c.epochs < 1:
		return fmt.Errorf("-epochs %d: want at least 1", c.epochs)
	case !(c.lr > 0):
		return fmt.Errorf("-lr %v: want a positive rate", c.lr)
	case c.batch < 1:
		return fmt.Errorf("-batch %d: want at least 1", c.batch)
	case !(c.target >= 0 && c.target < 1):
		return fmt.Errorf("-target %v: want a fraction in [0, 1)", c.target)
	case !(c.alpha > 0):
		return fmt.Errorf("-alpha %v: want a positive box size", c.alpha)
	case c.sharpSteps < 0:
		return fmt.Errorf("-sharp-steps %d is negative", c.sharpSteps)
	case !(c.sigma > 0):
		return fmt.Errorf("-sigma %v: want a positive deviation", c.sigma)
	case c.samples < 1:
		return fmt.Errorf("-samples %d: want at least 1", c.samples)
	case c.sharpN < 0:
		return fmt.Errorf("-sharp-n %d is negative", c.sharpN)
	case checkThreads(c.threads) != nil:
		return checkThreads(c.threads)
	case !(c.percentile > 0 && c.percentile <= 100):
		return fmt.Errorf("-percentile %v: want (0, 100]", c.percentile)
	case !(c.delta > 0 && c.delta < 1):
		return fmt.Errorf("-delta %v: want (0, 1)", c.delta)
	}
	return nil
}

// measuresInts parses a comma-separated list of positive integers.
func measuresInts(s, flagName string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("%s %q: want comma-separated positive integers", flagName, s)
		}
		out = append(out, v)
	}
	return out, nil
}

// loadData returns the MNIST training and test sets, downsampled as asked,
// the training set's labels randomized (by -seed) when random is set.
func (c *measuresConfig) loadData(random bool) (train, test *data.Dataset, err error) {
	train, test, err = data.LoadMNIST(c.mnist)
	if err != nil {
		return nil, nil, err
	}
	if c.downsample > 0 {
		train, test = train.Downsample(c.downsample, c.downsample), test.Downsample(c.downsample, c.downsample)
	}
	if random {
		train = train.RandomLabels(c.seed)
	}
	if c.testN < test.Len() {
		test = test.Subset(data.Permutation(test.Len(), c.seed+1)[:c.testN])
	}
	return train, test, nil
}

// subset returns the first n examples of a seeded permutation of d: sizes
// grow by adding examples, so smaller sets are subsets of larger ones.
// With -first it returns the first n examples in file order instead.
func (c *measuresConfig) subset(d *data.Dataset, n int) (*data.Dataset, error) {
	if n > d.Len() {
		return nil, fmt.Errorf("training-set size %d exceeds the %d examples available", n, d.Len())
	}
	if c.first {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return d.Subset(idx), nil
	}
	return d.Subset(data.Permutation(d.Len(), c.seed)[:n]), nil
}

// zeroBias wraps an optimizer and sets every bias back to zero after each
// step, so that the network stays bias-free (it starts with zero biases).
type zeroBias struct{ layers.Optimizer }

func (z zeroBias) Step(net *layers.Network) {
	z.Optimizer.Step(net)
	for _, d := range net.Dense() {
		clear(d.B)
	}
}

// trainResult is one trained network.
type trainResult struct {
	net      *layers.Network
	epochs   int
	trainErr float64
	seconds  float64
}

// train fits an MLP with the given hidden sizes to d by the thesis's SGD
// until the training error is at most -target or -epochs have run.
func (c *measuresConfig) train(ctx context.Context, d *data.Dataset, hidden []int, log io.Writer, tag string) (trainResult, error) {
	sizes := append(append([]int{d.Dim()}, hidden...), d.Classes)
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Seed: c.seed, MaxBatch: c.batch})
	if err != nil {
		return trainResult{}, err
	}
	var opt layers.Optimizer = layers.ThesisSGD(float32(c.lr))
	if !c.bias {
		opt = zeroBias{opt}
	}
	res := trainResult{net: net, trainErr: math.NaN()}
	start := time.Now()
	err = layers.Train(ctx, net, opt, d, layers.TrainConfig{
		Epochs: c.epochs, BatchSize: c.batch, Seed: c.seed,
		OnEpoch: func(st layers.EpochStats) error {
			res.epochs = st.Epoch
			_, acc, err := layers.Evaluate(net, d, 500)
			if err != nil {
				return err
			}
			res.trainErr = 1 - acc
			if res.trainErr <= c.target {
				return layers.ErrStop
			}
			return nil
		},
	})
	res.seconds = time.Since(start).Seconds()
	if err != nil {
		return res, fmt.Errorf("%s: %w", tag, err)
	}
	fmt.Fprintf(log, "%-28s trained %3d epochs in %6.1f s, training error %.4f\n", tag, res.epochs, res.seconds, res.trainErr)
	if c.save != "" {
		if err := os.MkdirAll(c.save, 0o755); err != nil {
			return res, err
		}
		if err := net.SaveFile(filepath.Join(c.save, tag+".fpnn")); err != nil {
			return res, err
		}
	}
	return res, nil
}

// measuresRow is one network's line of the tables.
type measuresRow struct {
	model, labels     string
	n                 int
	hidden            string
	epochs            int
	trainErr, testErr float64
	trainSec, measSec float64
	rep               *measures.Report
	sharp             measures.Sharpness
	exp               measures.Expected
}

// measure computes every measure of net on its training set d.
func (c *measuresConfig) measure(ctx context.Context, net *layers.Network, d, test *data.Dataset) (measuresRow, error) {
	start := time.Now()
	row := measuresRow{n: d.Len(), testErr: math.NaN()}
	rep, err := measures.Compute(ctx, net, d, measures.Options{Percentile: c.percentile, Delta: c.delta, Power: measures.PowerOptions{Seed: c.seed}})
	if err != nil {
		return row, err
	}
	row.rep = rep
	if test != nil && test.Len() > 0 {
		_, acc, err := layers.Evaluate(net, test, 500)
		if err != nil {
			return row, err
		}
		row.testErr = 1 - acc
	}
	sd := d
	if c.sharpN > 0 && c.sharpN < d.Len() {
		sd = d.Subset(measuresSeq(c.sharpN))
	}
	if row.sharp, err = measures.WorstCaseSharpness(ctx, net, sd, measures.SharpnessOptions{Alpha: c.alpha, Steps: c.sharpSteps}); err != nil {
		return row, err
	}
	if row.exp, err = measures.ExpectedSharpness(ctx, net, sd, measures.ExpectedOptions{Sigma: c.sigma, Samples: c.samples, Seed: c.seed}); err != nil {
		return row, err
	}
	row.trainErr = rep.TrainError
	row.measSec = time.Since(start).Seconds()
	return row, nil
}

func measuresSeq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func hiddenName(h []int) string {
	s := make([]string, len(h))
	for i, v := range h {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "-")
}

func (c *measuresConfig) runLabels(ctx context.Context, stdout io.Writer) error {
	sizes, _ := measuresInts(c.sizes, "-sizes")
	hidden, _ := measuresInts(c.hidden, "-hidden")
	var rows []measuresRow
	for _, kind := range []string{"true", "random"} {
		full, test, err := c.loadData(kind == "random")
		if err != nil {
			return err
		}
		for _, n := range sizes {
			d, err := c.subset(full, n)
			if err != nil {
				return err
			}
			tag := fmt.Sprintf("labels-%s-n%d-h%s", kind, n, hiddenName(hidden))
			tr, err := c.train(ctx, d, hidden, stdout, tag)
			if err != nil {
				return err
			}
			row, err := c.measure(ctx, tr.net, d, test)
			if err != nil {
				return err
			}
			row.model, row.labels, row.hidden, row.epochs, row.trainSec = tag, kind, hiddenName(hidden), tr.epochs, tr.seconds
			rows = append(rows, row)
		}
	}
	return c.writeOutputs(stdout, "labels", rows, "training-set size", func(r measuresRow) (string, float64) {
		return r.labels + " labels", float64(r.n)
	})
}

func (c *measuresConfig) runWidth(ctx context.Context, stdout io.Writer) error {
	widths, _ := measuresInts(c.hidden, "-hidden")
	full, test, err := c.loadData(c.labels == "random")
	if err != nil {
		return err
	}
	d, err := c.subset(full, c.n)
	if err != nil {
		return err
	}
	var rows []measuresRow
	for _, h := range widths {
		tag := fmt.Sprintf("width-%s-n%d-h%d", c.labels, c.n, h)
		tr, err := c.train(ctx, d, []int{h}, stdout, tag)
		if err != nil {
			return err
		}
		row, err := c.measure(ctx, tr.net, d, test)
		if err != nil {
			return err
		}
		row.model, row.labels, row.hidden, row.epochs, row.trainSec = tag, c.labels, strconv.Itoa(h), tr.epochs, tr.seconds
		rows = append(rows, row)
	}
	return c.writeOutputs(stdout, "width", rows, "hidden units H", func(r measuresRow) (string, float64) {
		v, _ := strconv.Atoi(r.hidden)
		return "", float64(v)
	})
}

func (c *measuresConfig) runModels(ctx context.Context, files []string, stdout io.Writer) error {
	full, test, err := c.loadData(c.labels == "random")
	if err != nil {
		return err
	}
	d, err := c.subset(full, c.n)
	if err != nil {
		return err
	}
	var rows []measuresRow
	for _, f := range files {
		net, err := layers.LoadFile(f)
		if err != nil {
			return err
		}
		if net.InSize() != d.Dim() || net.OutSize() != d.Classes {
			return fmt.Errorf("%s: the network maps %d features to %d classes, the data has %d and %d (check -downsample)",
				f, net.InSize(), net.OutSize(), d.Dim(), d.Classes)
		}
		row, err := c.measure(ctx, net, d, test)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		h := measures.Widths(net)
		row.model, row.labels, row.hidden, row.epochs, row.trainSec = filepath.Base(f), c.labels, hiddenName(h[1:len(h)-1]), -1, math.NaN()
		rows = append(rows, row)
	}
	return c.writeOutputs(stdout, "models", rows, "", nil)
}

// columns of the CSV file and the plots: name and value.
func rowColumns(r measuresRow) ([]string, []float64) {
	names := []string{"train_err", "test_err", "gamma", "margin_loss", "phi1", "phi2"}
	vals := []float64{r.trainErr, r.testErr, r.rep.Gamma, r.rep.MarginLoss, r.rep.PathNorm1, r.rep.PathNorm2}
	for i, n := range r.rep.Normalized.Names() {
		names = append(names, strings.ReplaceAll(n, "-", "_")+"_norm")
		vals = append(vals, r.rep.Normalized.Values()[i])
	}
	for i, n := range r.rep.Raw.Names() {
		names = append(names, strings.ReplaceAll(n, "-", "_")+"_raw")
		vals = append(vals, r.rep.Raw.Values()[i])
	}
	names = append(names, "bound", "bound_kl", "bound_margin_loss", "sharpness", "loss", "expected_sharpness", "expected_stderr", "kl_sigma", "train_seconds", "measure_seconds")
	vals = append(vals, r.rep.Bound.Value, r.rep.Bound.KL, r.rep.Bound.MarginLoss, r.sharp.Value, r.sharp.Loss, r.exp.Value, r.exp.StdErr, r.exp.KL, r.trainSec, r.measSec)
	return names, vals
}

// writeOutputs writes study.csv, study.md (and prints it) and, when x is
// not nil, study.png with one panel per measure against x.
func (c *measuresConfig) writeOutputs(stdout io.Writer, study string, rows []measuresRow, xlabel string, x func(measuresRow) (string, float64)) error {
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	base := filepath.Join(c.out, study)
	// CSV.
	err := atomicfile.Write(base+".csv", func(w io.Writer) error {
		cw := csv.NewWriter(w)
		for i, r := range rows {
			names, vals := rowColumns(r)
			if i == 0 {
				if err := cw.Write(append([]string{"model", "labels", "n", "hidden", "epochs"}, names...)); err != nil {
					return err
				}
			}
			rec := []string{r.model, r.labels, strconv.Itoa(r.n), r.hidden, strconv.Itoa(r.epochs)}
			for _, v := range vals {
				rec = append(rec, strconv.FormatFloat(v, 'g', 8, 64))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	// Markdown.
	var md strings.Builder
	fmt.Fprintf(&md, "| model | labels | n | H | epochs | train err | test err | gamma | l2 | l1-path | l2-path | spectral | bartlett | pac-bayes | bound | sharpness | exp. sharpness | train s | measure s |\n")
	fmt.Fprintf(&md, "|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rows {
		m := r.rep.Normalized
		epochs, trainSec := "-", "-" // unknown for loaded models
		if r.epochs >= 0 {
			epochs, trainSec = strconv.Itoa(r.epochs), fmt.Sprintf("%.2f", r.trainSec)
		}
		fmt.Fprintf(&md, "| %s | %s | %d | %s | %s | %.4f | %.4f | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %s | %.2f |\n",
			r.model, r.labels, r.n, r.hidden, epochs, r.trainErr, r.testErr, r.rep.Gamma,
			m.L2, m.L1Path, m.L2Path, m.Spectral, m.Bartlett, m.PACBayes, r.rep.Bound.Value,
			r.sharp.Value, r.exp.Value, trainSec, r.measSec)
	}
	fmt.Fprintf(&md, "\nMeasures are divided by gamma^2 (+Inf: gamma <= 0, more than that percentile of the training set misclassified), gamma the %g-th percentile of the training margins; bound: PAC-Bayes spectral bound on the test error (delta = %g); sharpness: worst case, alpha = %g, %d steps, on %d training examples; exp. sharpness: sigma = %g, %d samples.\n",
		c.percentile, c.delta, c.alpha, c.sharpSteps, c.sharpN, c.sigma, c.samples)
	if err := atomicfile.Write(base+".md", func(w io.Writer) error { _, err := io.WriteString(w, md.String()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s", md.String())
	if x == nil || len(rows) == 0 {
		return nil
	}
	return measuresPlot(base+".png", rows, xlabel, x)
}

// measuresPlot draws one panel per quantity against x, one line per
// series (x's first result), on log axes where every value is positive.
func measuresPlot(path string, rows []measuresRow, xlabel string, x func(measuresRow) (string, float64)) error {
	panels := []struct {
		title string
		val   func(measuresRow) float64
	}{
		{"test error", func(r measuresRow) float64 { return r.testErr }},
		{"l2 / gamma^2", func(r measuresRow) float64 { return r.rep.Normalized.L2 }},
		{"l1-path / gamma^2", func(r measuresRow) float64 { return r.rep.Normalized.L1Path }},
		{"l2-path / gamma^2", func(r measuresRow) float64 { return r.rep.Normalized.L2Path }},
		{"spectral / gamma^2", func(r measuresRow) float64 { return r.rep.Normalized.Spectral }},
		{"bartlett / gamma^2", func(r measuresRow) float64 { return r.rep.Normalized.Bartlett }},
		{"pac-bayes / gamma^2", func(r measuresRow) float64 { return r.rep.Normalized.PACBayes }},
		{"PAC-Bayes bound", func(r measuresRow) float64 { return r.rep.Bound.Value }},
		{"worst-case sharpness", func(r measuresRow) float64 { return r.sharp.Value }},
	}
	const cols = 3
	nrows := (len(panels) + cols - 1) / cols
	grid := make([][]*plot.Plot, nrows)
	var series []string
	for _, r := range rows {
		s, _ := x(r)
		if !slices.Contains(series, s) {
			series = append(series, s)
		}
	}
	// The x axis is marked at the data's x values.
	var xticks plot.ConstantTicks
	for _, r := range rows {
		_, xv := x(r)
		if !slices.ContainsFunc(xticks, func(t plot.Tick) bool { return t.Value == xv }) {
			xticks = append(xticks, plot.Tick{Value: xv, Label: strconv.FormatFloat(xv, 'g', 6, 64)})
		}
	}
	for i, pn := range panels {
		p := plot.New()
		p.Title.Text = pn.title
		p.X.Label.Text = xlabel
		// Points with an infinite or undefined value (a margin gamma <= 0)
		// are left out; log axes need at least one point, all positive.
		var args []any
		count, positive := 0, true
		for _, s := range series {
			var pts plotter.XYs
			for _, r := range rows {
				if rs, xv := x(r); rs == s {
					if v := pn.val(r); !math.IsNaN(v) && !math.IsInf(v, 0) {
						pts = append(pts, plotter.XY{X: xv, Y: v})
						count++
						positive = positive && v > 0
					}
				}
			}
			args = append(args, s, pts)
		}
		if count > 0 {
			p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, xticks
			if positive {
				p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plots.LogTicks{}
			}
		}
		if err := plotutil.AddLinePoints(p, args...); err != nil {
			return err
		}
		if i > 0 {
			p.Legend = plot.NewLegend() // the first panel's legend serves all
		}
		p.Legend.Top = true
		if grid[i/cols] == nil {
			grid[i/cols] = make([]*plot.Plot, cols)
		}
		grid[i/cols][i%cols] = p
	}
	return plots.SaveGrid(path, vg.Points(360), vg.Points(270), grid)
}
