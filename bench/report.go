package bench

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"
)

// Implementation names used in GEMM results.
const (
	ImplFastpath = "fastpath" // package blas with the selected kernels
	ImplGonum    = "gonum"    // gonum's native implementation
	ImplPureGo   = "purego"   // package blas with the generic kernels
)

// Report holds the results of one Run.
type Report struct {
	Env     Env
	Peaks   []PeakResult
	GEMM    []GEMMResult
	Kernels []KernelResult
}

// Env describes the machine and the build the figures come from.
type Env struct {
	// Describe is asm.Describe(): the CPU, its caches and the selected
	// kernels.
	Describe   string
	GoVersion  string // runtime.Version()
	GOOS       string
	GOARCH     string
	GOMAXPROCS int // at the start of the run
	Samples    int // samples per figure
}

// PeakResult is the measured FMA peak for one precision and thread count.
type PeakResult struct {
	Prec    Prec
	Threads int
	// Impl is the asm implementation whose peak kernel was timed.
	Impl   string
	GFLOPS float64
}

// GEMMResult is one GEMM measurement. Derived fields are NaN when what
// they compare against was not measured.
type GEMMResult struct {
	Prec    Prec
	Shape   Shape
	Threads int
	Impl    string // ImplFastpath, ImplGonum or ImplPureGo
	GFLOPS  float64

	// Efficiency is GFLOPS over the peak of the same precision and
	// thread count.
	Efficiency float64
	// VsGonum and VsPureGo are GFLOPS over gonum's and the pure-Go
	// path's GFLOPS for the same precision, shape and thread count.
	VsGonum, VsPureGo float64
}

// KernelResult is one memory-bound kernel measurement, on one thread.
type KernelResult struct {
	Kernel string // "pathmv", "pathmtv", "stream-read", "relu", ...
	Impl   string // asm implementation name
	Size   string // operand shape, rows x columns
	Bytes  int64  // bytes read and written per call
	GBps   float64
}

// Derive sets every GEMM result's Efficiency, VsGonum and VsPureGo from
// the measured GFLOPS and peaks (NaN where the comparison was not
// measured). Run calls it; call it after building or editing a Report by
// hand.
func (r *Report) Derive() {
	peaks := map[[2]int]float64{}
	for _, p := range r.Peaks {
		peaks[[2]int{int(p.Prec), p.Threads}] = p.GFLOPS
	}
	type key struct {
		prec    Prec
		shape   Shape
		threads int
		impl    string
	}
	rates := map[key]float64{}
	for _, g := range r.GEMM {
		rates[key{g.Prec, g.Shape, g.Threads, g.Impl}] = g.GFLOPS
	}
	ratio := func(num float64, k key) float64 {
		if den, ok := rates[k]; ok && den > 0 {
			return num / den
		}
		return math.NaN()
	}
	for i := range r.GEMM {
		g := &r.GEMM[i]
		g.Efficiency = math.NaN()
		if p, ok := peaks[[2]int{int(g.Prec), g.Threads}]; ok && p > 0 {
			g.Efficiency = g.GFLOPS / p
		}
		g.VsGonum = ratio(g.GFLOPS, key{g.Prec, g.Shape, g.Threads, ImplGonum})
		g.VsPureGo = ratio(g.GFLOPS, key{g.Prec, g.Shape, g.Threads, ImplPureGo})
	}
}

// header returns the report's comment lines: the kernels and the build.
func (r *Report) header() []string {
	return []string{
		r.Env.Describe,
		fmt.Sprintf("%s %s/%s GOMAXPROCS=%d; each figure the median of %d sample%s after a warm-up",
			r.Env.GoVersion, r.Env.GOOS, r.Env.GOARCH, r.Env.GOMAXPROCS, r.Env.Samples, map[bool]string{true: "s"}[r.Env.Samples != 1]),
	}
}

// num formats a rate with three significant figures at most and "-" for
// a missing value.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// times formats a speed-up.
func times(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return num(v) + "x"
}

// WriteTable writes the report as aligned text tables: the FMA peak, GEMM
// with one row per precision, shape and thread count, and the memory-bound
// kernels.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, h := range r.header() {
		fmt.Fprintf(tw, "# %s\n", h)
	}
	if len(r.Peaks) > 0 {
		fmt.Fprintf(tw, "\nFMA peak (independent multiply-adds in registers)\n")
		fmt.Fprintf(tw, "prec\tthreads\tkernels\tGFLOP/s\n")
		for _, p := range r.Peaks {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", p.Prec, p.Threads, p.Impl, num(p.GFLOPS))
		}
	}
	if len(r.GEMM) > 0 {
		fmt.Fprintf(tw, "\nGEMM C = A·B, row-major, m x k x n: GFLOP/s, eff = fraction of the FMA peak at the same threads\n")
		fmt.Fprintf(tw, "prec\tshape\tthreads\tfastpath\teff\tgonum\teff\tpurego\teff\tvs gonum\tvs purego\n")
		type row struct {
			prec    Prec
			shape   Shape
			threads int
		}
		var rows []row
		byImpl := map[row]map[string]GEMMResult{}
		for _, g := range r.GEMM {
			k := row{g.Prec, g.Shape, g.Threads}
			if byImpl[k] == nil {
				byImpl[k] = map[string]GEMMResult{}
				rows = append(rows, k)
			}
			byImpl[k][g.Impl] = g
		}
		missing := GEMMResult{GFLOPS: math.NaN(), Efficiency: math.NaN(), VsGonum: math.NaN(), VsPureGo: math.NaN()}
		overPeak := false
		for _, g := range r.GEMM {
			overPeak = overPeak || g.Efficiency > 1.05
		}
		for _, k := range rows {
			get := func(impl string) GEMMResult {
				if g, ok := byImpl[k][impl]; ok {
					return g
				}
				return missing
			}
			f, g, p := get(ImplFastpath), get(ImplGonum), get(ImplPureGo)
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				k.prec, k.shape, k.threads,
				num(f.GFLOPS), num(f.Efficiency), num(g.GFLOPS), num(g.Efficiency), num(p.GFLOPS), num(p.Efficiency),
				times(f.VsGonum), times(f.VsPureGo))
		}
		if overPeak {
			fmt.Fprintf(tw, "note: an efficiency above 1 means the selected kernels' peak kernel does not reach the machine's FMA peak\n")
		}
	}
	if len(r.Kernels) > 0 {
		var impls, names []string
		sizes := map[string]string{}
		rates := map[[2]string]float64{}
		for _, k := range r.Kernels {
			if !slices.Contains(impls, k.Impl) {
				impls = append(impls, k.Impl)
			}
			if !slices.Contains(names, k.Kernel) {
				names = append(names, k.Kernel)
				sizes[k.Kernel] = k.Size
			}
			rates[[2]string{k.Kernel, k.Impl}] = k.GBps
		}
		fmt.Fprintf(tw, "\nMemory-bound kernels, 1 thread: GB/s read and written\n")
		fmt.Fprintf(tw, "kernel\tsize")
		for _, impl := range impls {
			fmt.Fprintf(tw, "\t%s", impl)
		}
		fmt.Fprintf(tw, "\n")
		for _, name := range names {
			fmt.Fprintf(tw, "%s\t%s", name, sizes[name])
			for _, impl := range impls {
				v, ok := rates[[2]string{name, impl}]
				if !ok {
					v = math.NaN()
				}
				fmt.Fprintf(tw, "\t%s", num(v))
			}
			fmt.Fprintf(tw, "\n")
		}
	}
	return tw.Flush()
}

// csvColumns are the columns of WriteCSV.
var csvColumns = []string{"section", "op", "impl", "shape", "threads", "value", "unit", "efficiency", "vs_gonum", "vs_purego"}

// WriteCSV writes the report with one measurement per line under a header
// row, after the report's header as '#' comment lines (read them with
// csv.Reader.Comment = '#'). Missing values are empty cells.
func (r *Report) WriteCSV(w io.Writer) error {
	for _, h := range r.header() {
		if _, err := fmt.Fprintf(w, "# %s\n", h); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cell := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	cw.Write(csvColumns)
	for _, p := range r.Peaks {
		cw.Write([]string{"peak", "fma-" + p.Prec.String(), p.Impl, "", strconv.Itoa(p.Threads), cell(p.GFLOPS), "GFLOP/s", "", "", ""})
	}
	for _, g := range r.GEMM {
		cw.Write([]string{"gemm", g.Prec.String() + "gemm", g.Impl, g.Shape.String(), strconv.Itoa(g.Threads),
			cell(g.GFLOPS), "GFLOP/s", cell(g.Efficiency), cell(g.VsGonum), cell(g.VsPureGo)})
	}
	for _, k := range r.Kernels {
		cw.Write([]string{"kernel", k.Kernel, k.Impl, k.Size, "1", cell(k.GBps), "GB/s", "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}
