package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/fastpath-go/fastpath/experiment"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/bench"
	"github.com/fastpath-go/fastpath/layers"
)

// benchFlags are the bench command's flags.
type benchFlags struct {
	quick   bool
	threads string
	shapes  string
	csv     string
	prec    string
	samples int
	kernels bool
	compare bool
	train   bool
	nets    string
	impl    string
	linalg  bool
	fuse    bool
	vel     bool
	ops     string
	sizes   string
}

func newBenchFlagSet(f *benchFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by runBench
	fs.BoolVar(&f.quick, "quick", false, "measure only the small GEMM shapes")
	fs.StringVar(&f.threads, "threads", "", "comma-separated thread `counts` (default 1 and GOMAXPROCS)")
	fs.StringVar(&f.shapes, "shapes", "", "comma-separated GEMM `shapes`, N for N x N x N or MxKxN, either with :NT, :TN or :TT for transposed A or B (default: 256,512,1024 and the training shapes)")
	fs.StringVar(&f.csv, "csv", "", "also write the results as CSV to `file`")
	fs.StringVar(&f.prec, "prec", "s,d", "comma-separated `precisions`: s (float32) and d (float64)")
	fs.IntVar(&f.samples, "samples", 5, "samples per figure (the median is reported)")
	fs.BoolVar(&f.compare, "compare", true, "also measure gonum's native GEMM and the pure-Go path")
	fs.BoolVar(&f.kernels, "kernels", true, "also measure the path-norm, streaming-read and ReLU kernels")
	fs.BoolVar(&f.train, "train", false, "measure training-step throughput (examples/s, batch 100) against the GEMM-bound limit instead of GEMM")
	fs.BoolVar(&f.fuse, "fuse", false, "with -train: fuse the weight updates into the backward pass (layers.FuseUpdates; same parameters, not faster on Zen 5)")
	fs.BoolVar(&f.vel, "velocity", true, "with -train: compute the weight gradients of large layers (512 Ki weights or more with the AVX2 and AVX-512 kernels) into the momentum velocity and step the weights in the same product (layers.FuseVelocity; false times Gradient and Step)")
	fs.StringVar(&f.impl, "impl", "", "pin the kernel `implementation` (generic, avx2, avx512, neon; default: the best this CPU runs)")
	fs.BoolVar(&f.linalg, "linalg", false, "time gonum's linear algebra (Mul, Cholesky, LU, Solve, QR, SVD, EigenSym, Inverse) on gonum's native BLAS and on fastpath instead of GEMM (bench/compare_linalg.sh adds OpenBLAS)")
	fs.StringVar(&f.ops, "ops", "", "with -linalg: comma-separated `operations` (default all: "+strings.Join(bench.LinalgOps, ",")+")")
	fs.StringVar(&f.sizes, "sizes", "", "with -linalg: comma-separated matrix `orders` (default 100,300,1000,2000)")
	fs.StringVar(&f.nets, "nets", defaultTrainNets, "with -train: comma-separated `networks`, layer sizes joined by dashes")
	return fs
}

func benchUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath bench [flags]\n\n")
	fmt.Fprintf(w, "Measures the FMA peak, fastpath's SGEMM/DGEMM, gonum's native GEMM and the\n")
	fmt.Fprintf(w, "pure-Go path in one run, and the memory-bound kernels; prints a table headed\n")
	fmt.Fprintf(w, "by the selected kernels. Progress goes to stderr. With -train, measures\n")
	fmt.Fprintf(w, "training steps of the -nets networks instead (-threads, -samples and -csv\n")
	fmt.Fprintf(w, "apply). Flags:\n\n")
	fs := newBenchFlagSet(new(benchFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runBench(args []string, stdout, stderr io.Writer) int {
	var f benchFlags
	fs := newBenchFlagSet(&f)
	bad := func(format string, a ...any) int {
		// The bench package's errors start "bench:", as this line does.
		msg := strings.TrimPrefix(fmt.Sprintf(format, a...), "bench: ")
		fmt.Fprintf(stderr, "fastpath bench: %s (run 'fastpath help bench')\n", msg)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			benchUsage(stdout)
			return 0
		}
		return bad("%v", err)
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if !f.linalg {
		for _, name := range []string{"ops", "sizes"} {
			if set[name] {
				return bad("-%s needs -linalg", name)
			}
		}
	} else {
		for _, name := range []string{"quick", "shapes", "prec", "compare", "kernels", "train", "nets", "csv", "fuse", "velocity"} {
			if set[name] {
				return bad("-%s does not apply to -linalg", name)
			}
		}
	}
	var nets [][]int
	if f.train {
		for _, name := range []string{"quick", "shapes", "prec", "compare", "kernels"} {
			if set[name] {
				return bad("-%s does not apply to -train", name)
			}
		}
		var err error
		if nets, err = parseNets(f.nets); err != nil {
			return bad("%v", err)
		}
	} else if set["nets"] || set["fuse"] || set["velocity"] {
		return bad("-nets, -fuse and -velocity need -train")
	}
	if f.fuse {
		defer func(old bool) { layers.FuseUpdates = old }(layers.FuseUpdates)
		layers.FuseUpdates = true
	}
	if set["velocity"] {
		defer func(old bool) { layers.FuseVelocity = old }(layers.FuseVelocity)
		layers.FuseVelocity = f.vel
	}
	if f.impl != "" {
		prev, err := asm.Use(f.impl)
		if err != nil {
			var names []string
			for _, impl := range asm.AvailableImpls() {
				names = append(names, impl.Name)
			}
			return bad("-impl: %v (available: %s)", err, strings.Join(names, ", "))
		}
		defer asm.Restore(prev)
	}
	opts := bench.Options{Quick: f.quick, Samples: f.samples, SkipKernels: !f.kernels, FastpathOnly: !f.compare, Progress: stderr}
	if f.samples < 1 {
		return bad("-samples must be at least 1, not %d", f.samples)
	}
	for _, s := range experiment.ParseList(f.threads) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxThreads() {
			return bad("bad thread count %q in -threads (want 1 to %d)", s, maxThreads())
		}
		opts.Threads = append(opts.Threads, n)
	}
	for _, s := range experiment.ParseList(f.shapes) {
		sh, err := bench.ParseShape(s)
		if err != nil {
			return bad("%v", err)
		}
		opts.Shapes = append(opts.Shapes, sh)
	}
	for _, s := range experiment.ParseList(f.prec) {
		p, err := bench.ParsePrec(s)
		if err != nil {
			return bad("%v", err)
		}
		opts.Precs = append(opts.Precs, p)
	}
	if f.prec != "" && len(opts.Precs) == 0 {
		return bad("no precision in -prec %q", f.prec)
	}

	// Create the CSV file first, so that a bad path fails before the
	// measurements rather than after them.
	var csvFile *os.File
	if f.csv != "" {
		fh, err := os.Create(f.csv)
		if err != nil {
			fmt.Fprintf(stderr, "fastpath bench: %s\n", strings.TrimPrefix(err.Error(), "bench: "))
			return 1
		}
		defer fh.Close()
		csvFile = fh
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if f.linalg {
		lo := bench.LinalgOptions{Threads: opts.Threads, Samples: f.samples, Progress: stderr}
		if f.ops != "" {
			lo.Ops = experiment.ParseList(f.ops)
			for _, op := range lo.Ops {
				if !slices.Contains(bench.LinalgOps, op) {
					return bad("unknown operation %q in -ops (have %s)", op, strings.Join(bench.LinalgOps, ", "))
				}
			}
		}
		for _, s := range experiment.ParseList(f.sizes) {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return bad("bad matrix order %q in -sizes", s)
			}
			lo.Sizes = append(lo.Sizes, n)
		}
		rep, err := bench.RunLinalg(ctx, lo)
		if werr := rep.WriteTable(stdout); werr != nil && err == nil {
			err = werr
		}
		if err != nil {
			fmt.Fprintf(stderr, "fastpath bench: %s\n", strings.TrimPrefix(err.Error(), "bench: "))
			return 1
		}
		return 0
	}
	if f.train {
		var w io.Writer
		if csvFile != nil {
			w = csvFile
		}
		err := runTrainBench(ctx, nets, opts.Threads, f.samples, w, stdout, stderr)
		if csvFile != nil {
			if cerr := csvFile.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "fastpath bench: %s\n", strings.TrimPrefix(err.Error(), "bench: "))
			return 1
		}
		return 0
	}
	rep, err := bench.RunContext(ctx, opts)
	// What was measured is written even when the run was interrupted.
	if werr := rep.WriteTable(stdout); werr != nil && err == nil {
		err = werr
	}
	if csvFile != nil {
		if werr := rep.WriteCSV(csvFile); werr != nil && err == nil {
			err = fmt.Errorf("writing %s: %w", f.csv, werr)
		}
		if werr := csvFile.Close(); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "fastpath bench: %s\n", strings.TrimPrefix(err.Error(), "bench: "))
		return 1
	}
	return 0
}
