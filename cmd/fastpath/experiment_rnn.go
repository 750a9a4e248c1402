package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"github.com/fastpath-go/fastpath/rnn/tasks"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/rnn"
)

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
	methods   string
	hidden    int
	batch     int
	iters     int
	epochs    float64
	budget    time.Duration
	evalEvery int
	lrPath    float64
	lrIRNN    float64
	lrSGD     float64
	momentum  float64
	clip      float64
	clipPath  float64
	pathInit  string
	irnnStd   float64
	seed      uint64
	out       string

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
	fs.StringVar(&f.methods, "methods", f.methods, "comma-separated `methods`: rnn-path, irnn (IRNN init + SGD), sgd (N(0,1/fan_in) init + SGD)")
	fs.IntVar(&f.hidden, "hidden", f.hidden, "hidden units")
	fs.IntVar(&f.batch, "batch", f.batch, "sequences per mini-batch")
	fs.IntVar(&f.evalEvery, "eval-every", f.evalEvery, "evaluate every `n` iterations")
	fs.DurationVar(&f.budget, "budget", 0, "stop each run after this much training time (0: no limit)")
	fs.Float64Var(&f.lrPath, "lr-path", f.lrPath, "RNN-Path step size")
	fs.Float64Var(&f.lrIRNN, "lr-irnn", f.lrIRNN, "IRNN (SGD) learning rate")
	fs.Float64Var(&f.lrSGD, "lr-sgd", f.lrSGD, "plain SGD learning rate")
	fs.Float64Var(&f.momentum, "momentum", 0.9, "momentum of every method")
	fs.Float64Var(&f.clip, "clip", 1, "gradient-norm clipping of the SGD methods (0: none)")
	fs.Float64Var(&f.clipPath, "clip-path", 0, "gradient-norm clipping before RNN-Path's scaling (0: none; clipping breaks the rescaling invariance)")
	fs.StringVar(&f.pathInit, "path-init", "normal", "RNN-Path's initialisation: normal (N(0, 1/fan_in)), identity (W_rec = I, N(0, 1/fan_in) W_in, W_out) or irnn (unstable: IRNN's tiny W_in, W_out give W_rec huge steps)")
	fs.Float64Var(&f.irnnStd, "irnn-std", 0.001, "standard deviation of IRNN's input and output weights")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed (initialisation and data)")
	fs.StringVar(&f.out, "out", "rnn-out", "output `directory` for the CSV, markdown and PNG files (rnn_<task>.*)")
	switch task {
	case "addition":
		fs.IntVar(&f.iters, "iters", f.iters, "training iterations per run")
		fs.StringVar(&f.steps, "T", f.steps, "comma-separated sequence `lengths`")
		fs.IntVar(&f.testN, "test", f.testN, "test sequences")
	case "mnist":
		fs.IntVar(&f.iters, "iters", 0, "training iterations per run (0: -epochs)")
		fs.Float64Var(&f.epochs, "epochs", f.epochs, "passes over the training set (when -iters is 0)")
		fs.StringVar(&f.variants, "variants", f.variants, "comma-separated `variants`: plain (pixels in row order), permuted (a fixed random pixel order)")
		fs.IntVar(&f.side, "side", f.side, "downsample the images to side x side pixels first (28: the full 784-step task)")
		fs.IntVar(&f.trainN, "train", f.trainN, "training images used (0: all 60000)")
		fs.IntVar(&f.testN, "test", f.testN, "test images used")
		fs.StringVar(&f.mnistDir, "mnist", "", "directory of the MNIST files (default: the GoMNIST module or $FASTPATH_MNIST)")
	case "text":
		fs.IntVar(&f.iters, "iters", f.iters, "training iterations per run")
		fs.StringVar(&f.corpus, "corpus", "", "text `file` (default: the Go sources under $(go env GOROOT)/src)")
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
	fmt.Fprintf(w, "tables and PNG curves to -out. Tasks:\n\n")
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

// rnnPoint is one evaluation during a run.
type rnnPoint struct {
	iter      int
	examples  int
	seconds   float64 // training time so far (evaluations excluded)
	trainLoss float64 // mean training loss since the previous point
	metric    float64
}

// rnnResult is one training run: a method on a task variant.
type rnnResult struct {
	task, variant, method string
	lr                    float64
	points                []rnnPoint
	iters                 int
	seconds               float64
	final                 float64 // last metric
	best                  float64
	solvedAt              int // addition: first evaluated iteration with MSE < 0.01, or -1
	diverged              bool
	extra                 float64 // text: test bits per character
}

// rnnExp is one "fastpath experiment rnn" invocation.
type rnnExp struct {
	task    string
	f       rnnFlags
	methods []string
	stderr  io.Writer
	ctx     context.Context
	results []*rnnResult

	trainImages, testImages int // mnist: the sizes used
}

func runRNNExperiment(args []string, stdout, stderr io.Writer) int {
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "fastpath experiment rnn: "+format+" (run 'fastpath experiment rnn -h')\n", a...)
		return 2
	}
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
	e := &rnnExp{task: task, f: f, stderr: stderr}
	for _, m := range splitList(f.methods) {
		switch m {
		case "rnn-path", "irnn", "sgd":
			e.methods = append(e.methods, m)
		default:
			return bad("unknown method %q in -methods (want rnn-path, irnn, sgd)", m)
		}
	}
	switch {
	case len(e.methods) == 0:
		return bad("no method in -methods")
	case f.hidden < 1 || f.batch < 1 || f.evalEvery < 1:
		return bad("-hidden, -batch and -eval-every must be positive")
	case f.iters < 0 || f.epochs < 0 || f.budget < 0:
		return bad("-iters, -epochs and -budget must not be negative")
	case f.pathInit != "identity" && f.pathInit != "irnn" && f.pathInit != "normal":
		return bad("unknown -path-init %q (want identity, irnn or normal)", f.pathInit)
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		fmt.Fprintf(stderr, "fastpath experiment rnn: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e.ctx = ctx
	fmt.Fprintf(stderr, "%s\n", asm.Describe())
	var err error
	switch task {
	case "addition":
		err = e.addition()
	case "mnist":
		err = e.mnist()
	case "text":
		err = e.text()
	}
	if werr := e.write(stdout); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		fmt.Fprintf(stderr, "fastpath experiment rnn: %v\n", err)
		return 1
	}
	return 0
}

func (e *rnnExp) addition() error {
	steps, err := rnnParseInts(e.f.steps, "T")
	if err != nil {
		return err
	}
	for _, T := range steps {
		if T < 2 {
			return fmt.Errorf("-T %d: the addition problem needs at least 2 steps", T)
		}
		for _, m := range e.methods {
			task := tasks.NewAddition(T, e.f.batch, e.f.testN, e.f.seed)
			if err := e.run(task, fmt.Sprintf("T=%d", T), m, e.f.iters); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *rnnExp) mnist() error {
	for _, v := range splitList(e.f.variants) {
		if v != "plain" && v != "permuted" {
			return fmt.Errorf("unknown variant %q in -variants (want plain, permuted)", v)
		}
		for _, m := range e.methods {
			if e.f.side < 2 || e.f.side > 28 {
				return fmt.Errorf("-side %d outside [2, 28]", e.f.side)
			}
			task, err := tasks.NewSeqMNIST(e.f.mnistDir, e.f.trainN, e.f.testN, e.f.batch, e.f.side, v == "permuted", e.f.seed)
			if err != nil {
				return err
			}
			e.trainImages, e.testImages = task.Sizes()
			if task.EpochSteps() == 0 {
				return fmt.Errorf("%d training images are fewer than one batch of %d", e.trainImages, e.f.batch)
			}
			iters := e.f.iters
			if iters == 0 {
				iters = max(1, int(math.Round(e.f.epochs*float64(task.EpochSteps()))))
			}
			if err := e.run(task, v, m, iters); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *rnnExp) text() error {
	steps, err := strconv.Atoi(e.f.steps)
	if err != nil || steps < 1 {
		return fmt.Errorf("bad -T %q (want a positive integer)", e.f.steps)
	}
	name, text, err := loadCorpus(e.f.corpus, e.f.maxBytes)
	if err != nil {
		return err
	}
	for _, m := range e.methods {
		task, err := tasks.NewText(name, text, steps, e.f.batch, e.f.evalChars)
		if err != nil {
			return err
		}
		if m == e.methods[0] {
			vocab, tr, va, te := task.Sizes()
			fmt.Fprintf(e.stderr, "corpus %s: %d bytes, %d symbols; train %d, validation %d, test %d\n",
				name, len(text), vocab, tr, va, te)
		}
		if err := e.run(task, name, m, e.f.iters); err != nil {
			return err
		}
	}
	return nil
}

// newMethod returns a model initialised and an optimizer configured for
// method, and the clipping norm.
func (e *rnnExp) newMethod(cfg rnn.Config, method string) (*rnn.Model, rnn.Optimizer, float64, float64, error) {
	m, err := rnn.New(cfg)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	mu := float32(e.f.momentum)
	switch method {
	case "rnn-path":
		switch e.f.pathInit {
		case "identity":
			m.InitIdentity(e.f.seed)
		case "irnn":
			m.InitIRNN(e.f.irnnStd, e.f.seed)
		default:
			m.InitNormal(e.f.seed)
		}
		return m, &rnn.PathSGD{LR: float32(e.f.lrPath), Momentum: mu}, e.f.clipPath, e.f.lrPath, nil
	case "irnn":
		m.InitIRNN(e.f.irnnStd, e.f.seed)
		return m, &rnn.SGD{LR: float32(e.f.lrIRNN), Momentum: mu}, e.f.clip, e.f.lrIRNN, nil
	default:
		m.InitNormal(e.f.seed)
		return m, &rnn.SGD{LR: float32(e.f.lrSGD), Momentum: mu}, e.f.clip, e.f.lrSGD, nil
	}
}

// run trains one method on one task for iters iterations (or until the
// budget is spent, the loss diverges or the run is interrupted),
// evaluating every -eval-every iterations.
func (e *rnnExp) run(task tasks.Task, variant, method string, iters int) error {
	m, opt, clip, lr, err := e.newMethod(task.Config(e.f.hidden), method)
	if err != nil {
		return err
	}
	r := &rnnResult{task: e.task, variant: variant, method: method, lr: lr, solvedAt: -1, best: math.NaN(), extra: math.NaN()}
	e.results = append(e.results, r)
	fmt.Fprintf(e.stderr, "%s %s %s: %v, lr %g, momentum %g, clip %g, %d iterations of batch %d\n",
		e.task, variant, method, m, lr, e.f.momentum, clip, iters, e.f.batch)
	var train time.Duration
	var lossSum float64
	lossN := 0
	examples := 0
	evaluate := func(it int) {
		metric := task.Evaluate(m)
		p := rnnPoint{iter: it, examples: examples, seconds: train.Seconds(), trainLoss: lossSum / float64(max(lossN, 1)), metric: metric}
		lossSum, lossN = 0, 0
		r.points = append(r.points, p)
		r.final = metric
		if e.task == "mnist" {
			if !(metric <= r.best) {
				r.best = metric
			}
		} else if !(metric >= r.best) {
			r.best = metric
		}
		if e.task == "addition" && r.solvedAt < 0 && metric < 0.01 {
			r.solvedAt = it
		}
		fmt.Fprintf(e.stderr, "  iter %6d  %7.1fs  train loss %.4g  %s %.4g\n", it, p.seconds, p.trainLoss, e.metricName(), metric)
	}
	r.points = append(r.points, rnnPoint{metric: task.Evaluate(m)})
	for it := 0; it < iters; it++ {
		if e.ctx.Err() != nil {
			break
		}
		t0 := time.Now()
		b := task.Next(it, m)
		loss := m.Gradient(b)
		if clip > 0 {
			m.ClipGradNorm(clip)
		}
		opt.Step(m)
		train += time.Since(t0)
		examples += b.Rows
		r.iters = it + 1
		lossSum += loss
		lossN++
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			r.diverged, r.final = true, math.NaN()
			fmt.Fprintf(e.stderr, "  iter %6d: training loss %v, stopping this run\n", it+1, loss)
			break
		}
		over := e.f.budget > 0 && train >= e.f.budget
		if (it+1)%e.f.evalEvery == 0 || it+1 == iters || over {
			evaluate(it + 1)
		}
		if over {
			break
		}
	}
	r.seconds = train.Seconds()
	if r.iters > 0 && r.points[len(r.points)-1].iter != r.iters && !r.diverged {
		evaluate(r.iters)
	}
	if v, ok := task.Final(m); ok && !r.diverged {
		r.extra = v
		fmt.Fprintf(e.stderr, "  test bits per character %.4f\n", v)
	}
	if e.ctx.Err() != nil {
		return fmt.Errorf("interrupted: %w", e.ctx.Err())
	}
	return nil
}

func (e *rnnExp) metricName() string {
	switch e.task {
	case "addition":
		return "test MSE"
	case "mnist":
		return "test accuracy"
	}
	return "validation bits/char"
}

// write writes the CSV, the markdown table (also to stdout) and the plots.
func (e *rnnExp) write(stdout io.Writer) error {
	base := filepath.Join(e.f.out, "rnn_"+e.task)
	if err := e.writeCSV(base + ".csv"); err != nil {
		return err
	}
	var md strings.Builder
	e.markdown(&md)
	if err := os.WriteFile(base+".md", []byte(md.String()), 0o644); err != nil {
		return err
	}
	io.WriteString(stdout, md.String())
	return e.plot(base)
}

func (e *rnnExp) writeCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"task", "variant", "method", "lr", "iter", "examples", "train_seconds", "train_loss", "metric", "value"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, r := range e.results {
		for _, p := range r.points {
			w.Write([]string{r.task, r.variant, r.method, g(r.lr), strconv.Itoa(p.iter), strconv.Itoa(p.examples),
				g(p.seconds), g(p.trainLoss), e.metricName(), g(p.metric)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (e *rnnExp) markdown(w io.Writer) {
	f := e.f
	budget := fmt.Sprintf("at most %d iterations of batch %d per run", f.iters, f.batch)
	if e.task == "mnist" && f.iters == 0 {
		budget = fmt.Sprintf("%g epoch(s) of batch %d per run", f.epochs, f.batch)
	}
	if f.budget > 0 {
		budget += fmt.Sprintf(", at most %v of training time", f.budget)
	}
	fmt.Fprintf(w, "## fastpath experiment rnn %s\n\n", e.task)
	if e.task == "mnist" {
		fmt.Fprintf(w, "Images %dx%d (%d steps), %d training and %d test images. ", f.side, f.side, f.side*f.side, e.trainImages, e.testImages)
	}
	fmt.Fprintf(w, "%d hidden units, momentum %g, SGD clipping %g, RNN-Path clipping %g, RNN-Path init %s, seed %d; budget: %s. Kernels: %s.\n\n",
		f.hidden, f.momentum, f.clip, f.clipPath, f.pathInit, f.seed, budget, asm.Current().Name)
	ms := func(r *rnnResult) float64 { return 1000 * r.seconds / float64(max(r.iters, 1)) }
	div := func(r *rnnResult) string {
		if r.diverged {
			return fmt.Sprintf(" (diverged at iteration %d)", r.iters)
		}
		return ""
	}
	switch e.task {
	case "addition":
		fmt.Fprintf(w, "| T | method | lr | iterations | train time (s) | ms/iter | final test MSE | best test MSE | solved (MSE < 0.01) at |\n")
		fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range e.results {
			solved := "not solved"
			if r.solvedAt >= 0 {
				solved = fmt.Sprintf("iteration %d", r.solvedAt)
			}
			fmt.Fprintf(w, "| %s | %s | %g | %d | %.1f | %.2f | %.4g%s | %.4g | %s |\n",
				strings.TrimPrefix(r.variant, "T="), r.method, r.lr, r.iters, r.seconds, ms(r), r.final, div(r), r.best, solved)
		}
		fmt.Fprintf(w, "\nPredicting 1 always gives test MSE 1/6 = 0.167.\n")
	case "mnist":
		fmt.Fprintf(w, "| variant | method | lr | iterations | epochs | train time (s) | ms/iter | time per epoch (s) | test accuracy | best |\n")
		fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range e.results {
			n := float64(r.iters * f.batch)
			epoch := float64(e.trainImages) / float64(f.batch) * ms(r) / 1000
			fmt.Fprintf(w, "| %s | %s | %g | %d | %.3g | %.1f | %.2f | %.0f | %.2f%%%s | %.2f%% |\n",
				r.variant, r.method, r.lr, r.iters, n/float64(max(e.trainImages, 1)), r.seconds, ms(r), epoch, 100*r.final, div(r), 100*r.best)
		}
		fmt.Fprintf(w, "\nTime per epoch: measured ms/iter x training images / batch. The thesis reports 96.9%% test accuracy for RNN-Path on sequential MNIST.\n")
	case "text":
		fmt.Fprintf(w, "| corpus | method | lr | iterations | characters | train time (s) | ms/iter | validation bits/char | best | test bits/char |\n")
		fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range e.results {
			fmt.Fprintf(w, "| %s | %s | %g | %d | %d | %.1f | %.2f | %.4f%s | %.4f | %.4f |\n",
				r.variant, r.method, r.lr, r.iters, r.iters*f.batch*rnnAtoiOr(f.steps, 0), r.seconds, ms(r), r.final, div(r), r.best, r.extra)
		}
		fmt.Fprintf(w, "\nThe thesis reports 1.47 bits/char for RNN-Path on Penn Treebank characters.\n")
	}
}

func rnnAtoiOr(s string, def int) int {
	v, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return v
}
