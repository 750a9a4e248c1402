package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Options select what Run measures. The zero value is the full study.
type Options struct {
	// Quick measures QuickShapes instead of DefaultShapes (ignored when
	// Shapes is set).
	Quick bool
	// Shapes are the GEMM shapes; nil means DefaultShapes or QuickShapes.
	Shapes []Shape
	// Threads are the thread counts; nil means 1 and GOMAXPROCS.
	Threads []int
	// Precs are the precisions; nil means Single and Double.
	Precs []Prec
	// Samples is the number of samples per figure; 0 means 5.
	Samples int
	// SampleTime is the least duration of one sample; 0 means 50 ms.
	SampleTime time.Duration
	// FastpathOnly leaves out gonum and the pure-Go path (for comparisons
	// with other libraries, where only fastpath's figures are needed).
	FastpathOnly bool
	// SkipKernels leaves out the path-norm, streaming and ReLU kernels.
	SkipKernels bool
	// Progress, if not nil, receives one line per measurement.
	Progress io.Writer
}

// Sizes of the memory-bound kernels' operands: the 4000 x 4000 weight
// matrix of the largest layer, and the 100 x 4000 activations of a batch.
const (
	pathRows, pathCols = 4000, 4000
	actRows, actCols   = 100, 4000
)

// Run measures what opts select and returns the report; see the package
// documentation for the method.
func Run(opts Options) (Report, error) { return RunContext(context.Background(), opts) }

// RunContext is Run, stopping between measurements when ctx is done; it
// then returns what was measured so far and ctx's error.
func RunContext(ctx context.Context, opts Options) (rep Report, err error) {
	if err := opts.fill(); err != nil {
		return Report{}, err
	}
	tm := timing{samples: opts.Samples, sampleTime: opts.SampleTime}
	rep = Report{Env: Env{
		Describe:   asm.Describe(),
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Samples:    opts.Samples,
	}}
	progress := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "bench: "+format+"\n", args...)
		}
	}
	// The efficiencies and speed-ups are derived from whatever was
	// measured, also when the run stops early.
	defer rep.Derive()

	impl := asm.Current()
	for _, prec := range opts.Precs {
		for _, t := range opts.Threads {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			p := peak(prec, t, timing{samples: max(opts.Samples, 5), sampleTime: opts.SampleTime})
			rep.Peaks = append(rep.Peaks, PeakResult{Prec: prec, Threads: t, Impl: impl.Name, GFLOPS: p})
			progress("FMA peak %s t=%d: %s GFLOP/s", prec, t, num(p))
		}
	}

	impls := []string{ImplFastpath, ImplGonum}
	if opts.FastpathOnly {
		impls = impls[:1]
	} else if impl.Name != "generic" {
		impls = append(impls, ImplPureGo)
	}
	defer blas.SetThreads(blas.SetThreads(0))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, prec := range opts.Precs {
		for _, sh := range opts.Shapes {
			var op gemmOp
			if prec == Single {
				op = newGemmOp[float32](sh, blas.Sgemm, gonum.Implementation{}.Sgemm)
			} else {
				op = newGemmOp[float64](sh, blas.Dgemm, gonum.Implementation{}.Dgemm)
			}
			for _, t := range opts.Threads {
				blas.SetThreads(t)
				runtime.GOMAXPROCS(t)
				for _, name := range impls {
					sec, err := measureGemm(ctx, tm, op, name)
					if err != nil {
						return rep, err
					}
					g := GEMMResult{Prec: prec, Shape: sh, Threads: t, Impl: name, GFLOPS: sh.Flops() / sec / 1e9}
					rep.GEMM = append(rep.GEMM, g)
					progress("%sgemm %s t=%d %s: %s GFLOP/s", prec, sh, t, name, num(g.GFLOPS))
				}
			}
		}
	}
	if opts.SkipKernels {
		return rep, nil
	}
	runtime.GOMAXPROCS(rep.Env.GOMAXPROCS)
	for _, k := range kernelOps() {
		for _, name := range kernelImpls() {
			run := k.bind(asm.Lookup(name))
			sec, err := tm.secondsPerCall(ctx, run)
			if err != nil {
				return rep, err
			}
			kr := KernelResult{Kernel: k.name, Impl: name, Size: k.size, Bytes: k.bytes, GBps: float64(k.bytes) / sec / 1e9}
			rep.Kernels = append(rep.Kernels, kr)
			progress("%s %s %s: %s GB/s", k.name, k.size, name, num(kr.GBps))
		}
	}
	return rep, nil
}

// fill validates opts and sets the defaults.
func (o *Options) fill() error {
	if o.Shapes == nil {
		o.Shapes = DefaultShapes
		if o.Quick {
			o.Shapes = QuickShapes
		}
	}
	for _, s := range o.Shapes {
		if s.M < 1 || s.K < 1 || s.N < 1 {
			return fmt.Errorf("bench: bad shape %v: every dimension must be positive", s)
		}
	}
	if o.Threads == nil {
		o.Threads = []int{1}
		if n := runtime.GOMAXPROCS(0); n > 1 {
			o.Threads = append(o.Threads, n)
		}
	}
	for _, t := range o.Threads {
		if t < 1 {
			return fmt.Errorf("bench: bad thread count %d", t)
		}
	}
	if o.Precs == nil {
		o.Precs = []Prec{Single, Double}
	}
	for _, p := range o.Precs {
		if p != Single && p != Double {
			return fmt.Errorf("bench: unknown precision %q", rune(p))
		}
	}
	switch {
	case o.Samples < 0:
		return fmt.Errorf("bench: bad sample count %d", o.Samples)
	case o.Samples == 0:
		o.Samples = 5
	}
	switch {
	case o.SampleTime < 0:
		return fmt.Errorf("bench: bad sample time %v", o.SampleTime)
	case o.SampleTime == 0:
		o.SampleTime = 50 * time.Millisecond
	}
	return nil
}

// gemmOp holds the operands of one GEMM shape and calls it with fastpath
// (gonum=false) or gonum's native implementation.
type gemmOp func(gonum bool)

type gemmFunc[T float32 | float64] func(tA, tB gblas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

func newGemmOp[T float32 | float64](sh Shape, fast, native gemmFunc[T]) gemmOp {
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := make([]T, sh.M*sh.K), make([]T, sh.K*sh.N), make([]T, sh.M*sh.N)
	tA, lda := gblas.NoTrans, sh.K
	if sh.TA {
		tA, lda = gblas.Trans, sh.M
	}
	tB, ldb := gblas.NoTrans, sh.N
	if sh.TB {
		tB, ldb = gblas.Trans, sh.K
	}
	for _, s := range [][]T{a, b} {
		for i := range s {
			s[i] = T(r.Float64()*2 - 1)
		}
	}
	return func(useGonum bool) {
		f := fast
		if useGonum {
			f = native
		}
		f(tA, tB, sh.M, sh.N, sh.K, 1, a, lda, b, ldb, 0, c, sh.N)
	}
}

// measureGemm returns the median seconds per call of op with the named
// implementation.
func measureGemm(ctx context.Context, tm timing, op gemmOp, impl string) (float64, error) {
	switch impl {
	case ImplGonum:
		return tm.secondsPerCall(ctx, func() { op(true) })
	case ImplPureGo:
		prev, err := asm.Use("generic")
		if err != nil {
			return 0, err
		}
		defer asm.Restore(prev)
	}
	return tm.secondsPerCall(ctx, func() { op(false) })
}

// kernelOp is a memory-bound kernel with its operands: bind returns the
// call of a given implementation.
type kernelOp struct {
	name, size string
	bytes      int64
	bind       func(impl *asm.Impl) func()
}

// kernelImpls returns the implementations the kernels are measured with:
// the selected one and, if different, the generic one.
func kernelImpls() []string {
	names := []string{asm.Current().Name}
	if !slices.Contains(names, "generic") {
		names = append(names, "generic")
	}
	return names
}

func kernelOps() []kernelOp {
	r := rand.New(rand.NewPCG(3, 4))
	w := make([]float32, pathRows*pathCols)
	for i := range w {
		w[i] = float32(r.NormFloat64())
	}
	xr, yr := make([]float64, pathCols), make([]float64, pathRows)
	for i := range xr {
		xr[i] = r.Float64()
	}
	xt, yt := make([]float64, pathRows), make([]float64, pathCols)
	for i := range xt {
		xt[i] = r.Float64()
	}
	n := actRows * actCols
	act, out, grad, bias := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range act {
		act[i], grad[i], bias[i] = float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())
	}
	wSize := fmt.Sprintf("%dx%d", pathRows, pathCols)
	aSize := fmt.Sprintf("%dx%d", actRows, actCols)
	var sink float32
	return []kernelOp{
		{"pathmv", wSize, int64(4 * len(w)), func(impl *asm.Impl) func() {
			return func() { impl.PathMV(yr, w, pathCols, xr) }
		}},
		{"pathmtv", wSize, int64(4 * len(w)), func(impl *asm.Impl) func() {
			return func() { impl.PathMTV(yt, w, pathCols, xt) }
		}},
		{"stream-read", wSize, int64(4 * len(w)), func(impl *asm.Impl) func() {
			// SDot of W with itself reads W once: the bandwidth the
			// path-norm passes are bounded by.
			return func() { sink += impl.SDot(w, w) }
		}},
		{"relu", aSize, int64(8 * n), func(impl *asm.Impl) func() {
			return func() { impl.Relu(out, act) }
		}},
		{"relu-backward", aSize, int64(12 * n), func(impl *asm.Impl) func() {
			return func() { impl.ReluBackward(out, grad, act) }
		}},
		{"bias-relu", aSize, int64(12 * n), func(impl *asm.Impl) func() {
			return func() { impl.BiasRelu(out, act, bias) }
		}},
	}
}
