package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/experiment"
	"github.com/fastpath-go/fastpath/experiment/plots"
)

// The measures experiment is the command-line front end of
// experiment.MeasuresLabels, MeasuresWidth and MeasuresModels.

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
	fs, _ := newMeasuresFlags(new(measuresFlags), "labels")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, `
The labels and width studies checkpoint every network into -out/cells as
they go: after an interruption the same command with -resume keeps the
finished networks and continues the interrupted one exactly.

Reduced runs (a few minutes on 2 cores):
  fastpath experiment measures labels -sizes 500,1000,2000 -hidden 256 -epochs 60
  fastpath experiment measures width -hidden 8,16,32,64,128,256 -n 5000 -epochs 40
The thesis's scale:
  fastpath experiment measures labels -sizes 1000,2000,5000,10000,20000 -hidden 1024 -epochs 1000 -sharp-n 10000
  fastpath experiment measures width -hidden 4,8,16,32,64,128,256,512,1024,2048,4096 -n 50000 -epochs 1000
Models: train them with fastpath train (-out model.fpck) or with -save DIR here, then
  fastpath experiment measures models -n 1000 DIR/*.fpnn
where -n, -downsample, -labels and -seed describe the training set the models were fitted to.
`)
}

// measuresFlags holds the flags; cfg the parsed settings.
type measuresFlags struct {
	cfg        experiment.MeasuresConfig
	out        string
	resume     bool
	sizes      string
	hidden     string
	sweep      string
	downsample int
	threads    int
}

func newMeasuresFlags(f *measuresFlags, study string) (*flag.FlagSet, experiment.MeasuresConfig) {
	d := experiment.DefaultMeasuresConfig(study)
	f.cfg = d
	c := &f.cfg
	fs := flag.NewFlagSet("measures "+study, flag.ContinueOnError)
	fs.StringVar(&c.MNIST, "mnist", "", "MNIST `directory` (default: the GoMNIST module's data, or $FASTPATH_MNIST)")
	fs.StringVar(&f.out, "out", "measures-out", "output `directory`: the study's cells (checkpoints, results), the CSV, markdown and PNG files")
	fs.BoolVar(&f.resume, "resume", false, "continue the study in -out (labels and width)")
	fs.StringVar(&c.Save, "save", "", "save every trained model into `directory` (for the models study)")
	fs.StringVar(&f.sizes, "sizes", "500,1000,2000", "labels: comma-separated training-set `sizes`")
	fs.StringVar(&f.hidden, "hidden", "", "hidden layer `sizes`: labels and width take a comma-separated list (labels: one hidden layer per entry, default 256; width: one network per entry, default 8,16,32,64,128,256)")
	fs.IntVar(&c.N, "n", d.N, "width and models: training-set `size` (the first n of a seeded permutation of MNIST's 60000)")
	fs.BoolVar(&c.First, "first", false, "models: the training set is the first -n images in file order (what 'fastpath train' fits: it holds out the last 10000 of the 60000)")
	fs.IntVar(&c.TestN, "test-n", d.TestN, "test examples used for the test error (at most 10000)")
	fs.IntVar(&f.downsample, "downsample", -1, "downsample the images to `k`xk (0: keep 28x28; default 10 for width, 0 otherwise)")
	fs.StringVar(&c.Labels, "labels", d.Labels, "width and models: labels `kind`, true or random")
	fs.IntVar(&c.Epochs, "epochs", d.Epochs, "maximum training `epochs` (training stops earlier at -target training error)")
	fs.Float64Var(&c.LR, "lr", d.LR, "SGD learning `rate` (thesis schedule: x0.99 per epoch, momentum 0.5 rising by 0.02 to 0.9)")
	fs.IntVar(&c.Batch, "batch", d.Batch, "mini-batch `size`")
	fs.Float64Var(&c.Decay, "decay", 0, "step-size `factor` per epoch (0: the thesis's 0.99; 0.998 or 1 keep training networks that are still short of -target after hundreds of epochs)")
	fs.Float64Var(&c.Target, "target", 0, "stop training once the training error is at most this `fraction`")
	fs.BoolVar(&c.Bias, "bias", false, "train biases (default: biases pinned at zero, the bias-free networks of the papers' theorems)")
	fs.Uint64Var(&c.Seed, "seed", d.Seed, "`seed` of the subsets, random labels, initialisation and shuffling")
	fs.Float64Var(&c.Alpha, "alpha", d.Alpha, "worst-case sharpness box: |nu_i| <= `alpha` (|w_i| + 1)")
	fs.IntVar(&c.SharpSteps, "sharp-steps", d.SharpSteps, "worst-case sharpness: projected gradient-ascent `steps`")
	fs.Float64Var(&c.Sigma, "sigma", d.Sigma, "expected sharpness: perturbation standard `deviation`")
	fs.IntVar(&c.Samples, "samples", d.Samples, "expected sharpness: `number` of perturbations")
	fs.IntVar(&c.SharpN, "sharp-n", d.SharpN, "sharpness is measured on the first `n` training examples (0: all)")
	fs.StringVar(&f.sweep, "sweep", "", "sharpness against KL: comma-separated `alphas`; for each, expected sharpness with deviations alpha (10 |w_i| + 1) beside its KL term, and worst-case sharpness in the box alpha (|w_i| + 1) (STUDY_sweep.csv and .png)")
	fs.IntVar(&f.threads, "threads", 0, "GEMM `threads` (0: GOMAXPROCS)")
	fs.Float64Var(&c.Percentile, "percentile", d.Percentile, "margin `percentile` gamma")
	fs.Float64Var(&c.Delta, "delta", d.Delta, "PAC-Bayes confidence `delta`")
	return fs, d
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
	name := args[0]
	var f measuresFlags
	fs, def := newMeasuresFlags(&f, name)
	fs.SetOutput(io.Discard)
	bad := func(err error) int {
		fmt.Fprintf(stderr, "fastpath experiment measures %s: %v\n", name, firstLine(err.Error()))
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			measuresUsage(stdout)
			return 0
		}
		return bad(err)
	}
	if err := f.parse(name, fs.Args(), def); err != nil {
		return bad(err)
	}
	if f.threads > 0 {
		defer blas.SetThreads(blas.SetThreads(f.threads))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if err := f.run(ctx, name, fs.Args(), stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "fastpath experiment measures %s: %v\n", name, firstLine(err.Error()))
		if errors.Is(err, context.Canceled) {
			return exitInterrupted
		}
		return 1
	}
	fmt.Fprintf(stdout, "\ntotal %.1f s; files in %s\n", time.Since(start).Seconds(), f.out)
	return 0
}

// parse checks the command line and fills in the settings.
func (f *measuresFlags) parse(study string, rest []string, def experiment.MeasuresConfig) error {
	c := &f.cfg
	switch {
	case study != "models" && len(rest) > 0:
		return fmt.Errorf("unexpected argument %q", rest[0])
	case study == "models" && len(rest) == 0:
		return fmt.Errorf("no model files given")
	case c.First && study != "models":
		return fmt.Errorf("-first applies to the models study only")
	case f.resume && study == "models":
		return fmt.Errorf("-resume applies to the labels and width studies")
	}
	if err := checkThreads(f.threads); err != nil {
		return err
	}
	c.Downsample = def.Downsample
	if f.downsample >= 0 {
		c.Downsample = f.downsample
	}
	var err error
	if f.hidden != "" {
		if c.Hidden, err = experiment.ParseInts(f.hidden, "-hidden", 1, 1<<20); err != nil {
			return err
		}
	}
	if c.Sizes, err = experiment.ParseInts(f.sizes, "-sizes", 1, 1<<20); err != nil {
		return err
	}
	if f.sweep != "" {
		if c.SweepAlphas, err = experiment.ParseFloats(f.sweep, "-sweep", "positive alphas", func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }); err != nil {
			return err
		}
	}
	if len(c.Hidden) == 0 || len(c.Sizes) == 0 {
		return fmt.Errorf("-hidden and -sizes must not be empty")
	}
	return c.Validate()
}

func (f *measuresFlags) run(ctx context.Context, study string, files []string, stdout, stderr io.Writer) error {
	c := f.cfg
	var res *experiment.MeasuresResult
	var err error
	if study == "models" {
		res, err = experiment.MeasuresModels(ctx, c, files)
	} else {
		cells := len(c.Hidden)
		settings := c
		if study == "labels" {
			cells = 2 * len(c.Sizes)
		} else {
			settings.Sizes = nil
		}
		r, oerr := experiment.Open(f.out, "measures-"+study, settings, cells, f.resume)
		if oerr != nil {
			return oerr
		}
		r.Progress = stderr
		if study == "labels" {
			res, err = experiment.MeasuresLabels(ctx, c, r, stdout)
		} else {
			res, err = experiment.MeasuresWidth(ctx, c, r, stdout)
		}
	}
	if err != nil {
		return err
	}
	if err := res.WriteFiles(f.out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s", res.Markdown())
	if err := plots.Measures(f.out, res); err != nil {
		return err
	}
	return plots.MeasuresSweep(f.out, res)
}

// firstLine is the first line of s (flag errors append the usage).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
