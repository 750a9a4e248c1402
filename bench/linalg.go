package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// LinalgBackend is a float64 BLAS installed under gonum's linear algebra
// (blas64.Use) for the linear-algebra study.
type LinalgBackend struct {
	Name string
	BLAS gblas.Float64
	// SetThreads, if not nil, sets the backend's own thread count (a C
	// library's); GOMAXPROCS and blas.SetThreads are set in any case.
	SetThreads func(n int)
}

// NativeBackend is gonum's native BLAS; FastpathBackend is package blas.
var (
	NativeBackend   = LinalgBackend{Name: "gonum", BLAS: gonum.Implementation{}}
	FastpathBackend = LinalgBackend{Name: "fastpath", BLAS: blas.Implementation{}}
)

// LinalgOps are the operations of the linear-algebra study, in report
// order: mat.Dense.Mul, Cholesky, LU factorization, Dense.Solve with n
// right-hand sides, QR, thin SVD, EigenSym with vectors, Dense.Inverse.
var LinalgOps = []string{"mul", "chol", "lu", "solve", "qr", "svd", "eigsym", "inv"}

// LinalgOptions select what RunLinalg measures.
type LinalgOptions struct {
	// Ops are names from LinalgOps; nil means all.
	Ops []string
	// Sizes are the matrix orders n; nil means 100, 300, 1000, 2000 (svd
	// and eigsym, whose time is mostly gonum's own code, stop at 1000).
	Sizes []int
	// Threads are the thread counts; nil means 1 and GOMAXPROCS.
	Threads []int
	// Samples is the number of samples per figure; 0 means 3.
	Samples int
	// SampleTime is the least duration of one sample; 0 means 100 ms.
	SampleTime time.Duration
	// Backends are the BLAS implementations compared; nil means
	// NativeBackend and FastpathBackend. The last one is the one the
	// report's ratios are about.
	Backends []LinalgBackend
	// Settle is the pause before each sample when several backends are
	// compared; 0 means 200 ms. A C library's worker threads spin for a
	// while after each call (OpenBLAS: 2^28 cycles by default, ~70 ms)
	// and would otherwise take a core from the next backend's sample.
	Settle time.Duration
	// Progress, if not nil, receives one line per measurement.
	Progress io.Writer
}

// LinalgResult is the time of one operation with one backend.
type LinalgResult struct {
	Op      string
	N       int
	Threads int
	Backend string
	Seconds float64 // median seconds per call
}

// LinalgReport is the outcome of RunLinalg.
type LinalgReport struct {
	Env      Env
	Backends []string
	Results  []LinalgResult
}

// RunLinalg times gonum operations on random n x n matrices (a symmetric
// positive definite one for chol and eigsym) with each backend installed in
// turn by blas64.Use, in interleaved rounds: every sample of a figure is
// taken right after the same sample of the other backends, so that a slow
// minute of a shared machine affects them alike. Receivers are reused, so
// the steady state is timed, not the first touch of fresh memory. The
// backend installed before the call is restored, as are GOMAXPROCS and
// blas's thread count. It stops between samples when ctx is done and
// returns what was measured so far.
func RunLinalg(ctx context.Context, opts LinalgOptions) (rep LinalgReport, err error) {
	if opts.Ops == nil {
		opts.Ops = LinalgOps
	}
	for _, op := range opts.Ops {
		if !slices.Contains(LinalgOps, op) {
			return rep, fmt.Errorf("bench: unknown linear-algebra operation %q (have %s)", op, strings.Join(LinalgOps, ", "))
		}
	}
	defaultSizes := opts.Sizes == nil
	if defaultSizes {
		opts.Sizes = []int{100, 300, 1000, 2000}
	}
	for _, n := range opts.Sizes {
		if n < 1 {
			return rep, fmt.Errorf("bench: matrix order %d is not positive", n)
		}
	}
	if opts.Threads == nil {
		opts.Threads = []int{1}
		if p := runtime.GOMAXPROCS(0); p > 1 {
			opts.Threads = append(opts.Threads, p)
		}
	}
	if opts.Samples == 0 {
		opts.Samples = 3
	}
	if opts.SampleTime == 0 {
		opts.SampleTime = 100 * time.Millisecond
	}
	if opts.Backends == nil {
		opts.Backends = []LinalgBackend{NativeBackend, FastpathBackend}
	}
	if opts.Settle == 0 {
		opts.Settle = 200 * time.Millisecond
	}
	rep.Env = Env{Describe: asm.Describe(), GoVersion: runtime.Version(), GOOS: runtime.GOOS,
		GOARCH: runtime.GOARCH, GOMAXPROCS: runtime.GOMAXPROCS(0), Samples: opts.Samples}
	for _, b := range opts.Backends {
		rep.Backends = append(rep.Backends, b.Name)
	}
	defer blas64.Use(blas64.Implementation())
	defer blas.SetThreads(blas.SetThreads(0))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, op := range opts.Ops {
		for _, n := range opts.Sizes {
			if defaultSizes && (op == "svd" || op == "eigsym") && n > 1000 {
				continue
			}
			for _, t := range opts.Threads {
				runtime.GOMAXPROCS(t)
				blas.SetThreads(t)
				for _, b := range opts.Backends {
					if b.SetThreads != nil {
						b.SetThreads(t)
					}
				}
				secs, err := timeLinalg(ctx, op, n, opts)
				for i, b := range opts.Backends {
					if i >= len(secs) {
						break
					}
					rep.Results = append(rep.Results, LinalgResult{Op: op, N: n, Threads: t, Backend: b.Name, Seconds: secs[i]})
					if opts.Progress != nil {
						fmt.Fprintf(opts.Progress, "bench: %s n=%d t=%d %s: %.4g s\n", op, n, t, b.Name, secs[i])
					}
				}
				if err != nil {
					return rep, err
				}
			}
		}
	}
	return rep, nil
}

// timeLinalg returns the median seconds per call of op at order n for each
// backend, sampled in interleaved rounds.
func timeLinalg(ctx context.Context, op string, n int, opts LinalgOptions) ([]float64, error) {
	call := linalgOp(op, n)
	nb := len(opts.Backends)
	reps := make([]int, nb)
	for i, b := range opts.Backends {
		blas64.Use(b.BLAS)
		start := time.Now()
		call()
		first := time.Since(start)
		reps[i] = 1
		if first < opts.SampleTime {
			reps[i] = int(opts.SampleTime/max(first, time.Microsecond)) + 1
		}
	}
	per := make([][]float64, nb)
	for range opts.Samples {
		for i, b := range opts.Backends {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			blas64.Use(b.BLAS)
			if nb > 1 {
				time.Sleep(opts.Settle)
			}
			start := time.Now()
			for range reps[i] {
				call()
			}
			per[i] = append(per[i], time.Since(start).Seconds()/float64(reps[i]))
		}
	}
	out := make([]float64, nb)
	for i := range out {
		out[i] = median(per[i])
	}
	return out, nil
}

// linalgOp returns a call of op on fixed random operands of order n, with
// receivers that later calls reuse.
func linalgOp(op string, n int) func() {
	r := rand.New(rand.NewPCG(uint64(n), 11))
	a := mat.NewDense(n, n, nil)
	b := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, r.NormFloat64())
			b.Set(i, j, r.NormFloat64())
		}
	}
	spd := mat.NewSymDense(n, nil)
	if op == "chol" || op == "eigsym" {
		spd.SymOuterK(1/float64(n), a)
		for i := range n {
			spd.SetSym(i, i, spd.At(i, i)+1)
		}
	}
	var x mat.Dense
	switch op {
	case "mul":
		return func() { x.Mul(a, b) }
	case "chol":
		var c mat.Cholesky
		return func() { c.Factorize(spd) }
	case "lu":
		var lu mat.LU
		return func() { lu.Factorize(a) }
	case "solve":
		return func() { _ = x.Solve(a, b) }
	case "qr":
		var q mat.QR
		return func() { q.Factorize(a) }
	case "svd":
		var s mat.SVD
		return func() { s.Factorize(a, mat.SVDThin) }
	case "eigsym":
		var e mat.EigenSym
		return func() { e.Factorize(spd, true) }
	case "inv":
		return func() { _ = x.Inverse(a) }
	}
	panic("bench: unknown linear-algebra operation")
}

// WriteTable prints the report: one line per operation, order and thread
// count, the seconds per call of each backend, and the last backend's time
// divided by each other backend's (below 1: the last backend is faster).
func (r *LinalgReport) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "# %s, %s %s/%s, GOMAXPROCS %d, median of %d interleaved samples\n",
		r.Env.Describe, r.Env.GoVersion, r.Env.GOOS, r.Env.GOARCH, r.Env.GOMAXPROCS, r.Env.Samples)
	nb := len(r.Backends)
	if nb == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	last := r.Backends[nb-1]
	hdr := []string{"op", "n", "threads"}
	for _, b := range r.Backends {
		hdr = append(hdr, b+" s")
	}
	for _, b := range r.Backends[:nb-1] {
		hdr = append(hdr, last+"/"+b)
	}
	fmt.Fprintln(tw, strings.Join(hdr, "\t")+"\t")
	type key struct {
		op   string
		n, t int
	}
	var order []key
	secs := map[key]map[string]float64{}
	for _, res := range r.Results {
		k := key{res.Op, res.N, res.Threads}
		if secs[k] == nil {
			secs[k] = map[string]float64{}
			order = append(order, k)
		}
		secs[k][res.Backend] = res.Seconds
	}
	for _, k := range order {
		row := []string{k.op, fmt.Sprint(k.n), fmt.Sprint(k.t)}
		for _, b := range r.Backends {
			if s, ok := secs[k][b]; ok {
				row = append(row, fmt.Sprintf("%.4g", s))
			} else {
				row = append(row, "-")
			}
		}
		for _, b := range r.Backends[:nb-1] {
			s, ok1 := secs[k][b]
			l, ok2 := secs[k][last]
			if ok1 && ok2 && s > 0 {
				row = append(row, fmt.Sprintf("%.2f", l/s))
			} else {
				row = append(row, "-")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
}
