package bench

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
	"time"
)

// sampleReport is a report with made-up figures, derived.
func sampleReport() Report {
	sq := Shape{M: 1024, K: 1024, N: 1024}
	tr := Shape{M: 100, K: 784, N: 4000}
	r := Report{
		Env: Env{
			Describe:  "kernels=avx2 (sgemm 6x16, dgemm 6x8) available=generic,avx2",
			GoVersion: "go1.26.0", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, Samples: 5,
		},
		Peaks: []PeakResult{
			{Single, 1, "avx2", 97},
			{Single, 2, "avx2", 194},
		},
		GEMM: []GEMMResult{
			{Prec: Single, Shape: sq, Threads: 1, Impl: ImplFastpath, GFLOPS: 84.39},
			{Prec: Single, Shape: sq, Threads: 1, Impl: ImplGonum, GFLOPS: 7.2},
			{Prec: Single, Shape: sq, Threads: 1, Impl: ImplPureGo, GFLOPS: 3.6},
			{Prec: Single, Shape: tr, Threads: 2, Impl: ImplFastpath, GFLOPS: 150},
			{Prec: Single, Shape: tr, Threads: 2, Impl: ImplGonum, GFLOPS: 12},
			// Double precision has no measured peak and no pure-Go figure.
			{Prec: Double, Shape: sq, Threads: 1, Impl: ImplFastpath, GFLOPS: 40},
			{Prec: Double, Shape: sq, Threads: 1, Impl: ImplGonum, GFLOPS: 4},
		},
		Kernels: []KernelResult{
			{"pathmv", "avx2", "4000x4000", 64e6, 14.25},
			{"pathmv", "generic", "4000x4000", 64e6, 3.5},
			{"relu", "avx2", "100x4000", 3.2e6, 25},
		},
	}
	r.Derive()
	return r
}

func TestDerive(t *testing.T) {
	r := sampleReport()
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) }
	g := r.GEMM[0]
	if !near(g.Efficiency, 84.39/97) || !near(g.VsGonum, 84.39/7.2) || !near(g.VsPureGo, 84.39/3.6) {
		t.Errorf("fastpath 1024 t=1: %+v", g)
	}
	if g := r.GEMM[1]; !near(g.VsGonum, 1) || !near(g.Efficiency, 7.2/97) {
		t.Errorf("gonum row: %+v", g)
	}
	if g := r.GEMM[3]; !near(g.Efficiency, 150.0/194) || !math.IsNaN(g.VsPureGo) {
		t.Errorf("two-thread row uses the two-thread peak and has no pure-Go figure: %+v", g)
	}
	if g := r.GEMM[5]; !math.IsNaN(g.Efficiency) || !near(g.VsGonum, 10) {
		t.Errorf("double row without a peak: %+v", g)
	}
}

func TestWriteTable(t *testing.T) {
	r := sampleReport()
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	want := `# kernels=avx2 (sgemm 6x16, dgemm 6x8) available=generic,avx2
# go1.26.0 linux/amd64 GOMAXPROCS=2; each figure the median of 5 samples after a warm-up

FMA peak (independent multiply-adds in registers)
prec  threads  kernels  GFLOP/s
s     1        avx2     97.0
s     2        avx2     194

GEMM C = A·B, row-major, m x k x n: GFLOP/s, eff = fraction of the FMA peak at the same threads
prec  shape           threads  fastpath  eff   gonum  eff   purego  eff   vs gonum  vs purego
s     1024x1024x1024  1        84.4      0.87  7.20   0.07  3.60    0.04  11.7x     23.4x
s     100x784x4000    2        150       0.77  12.0   0.06  -       -     12.5x     -
d     1024x1024x1024  1        40.0      -     4.00   -     -       -     10.0x     -

Memory-bound kernels, 1 thread: GB/s read and written
kernel  size       avx2  generic
pathmv  4000x4000  14.2  3.50
relu    100x4000   25.0  -
`
	if got := buf.String(); got != want {
		t.Errorf("WriteTable:\n%s\nwant:\n%s", got, want)
	}
}

// TestWriteTableOverPeak checks that an efficiency above 1 (a peak kernel
// slower than the GEMM) is pointed out.
func TestWriteTableOverPeak(t *testing.T) {
	r := sampleReport()
	r.Peaks[0].GFLOPS = 10
	r.Derive()
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "note: an efficiency above 1") {
		t.Errorf("no note for efficiency %v:\n%s", r.GEMM[0].Efficiency, buf.String())
	}
}

func TestWriteCSV(t *testing.T) {
	r := sampleReport()
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "# kernels=avx2") {
		t.Errorf("CSV does not start with the description:\n%s", buf.String())
	}
	cr := csv.NewReader(&buf)
	cr.Comment = '#'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(r.Peaks)+len(r.GEMM)+len(r.Kernels) {
		t.Fatalf("%d records, want a header and one per measurement", len(recs))
	}
	if strings.Join(recs[0], ",") != "section,op,impl,shape,threads,value,unit,efficiency,vs_gonum,vs_purego" {
		t.Errorf("header %v", recs[0])
	}
	for _, want := range [][]string{
		{"peak", "fma-s", "avx2", "", "2", "194", "GFLOP/s", "", "", ""},
		{"gemm", "sgemm", "fastpath", "100x784x4000", "2", "150", "GFLOP/s", "0.773196", "12.5", ""},
		{"gemm", "dgemm", "gonum", "1024x1024x1024", "1", "4", "GFLOP/s", "", "1", ""},
		{"kernel", "pathmv", "generic", "4000x4000", "1", "3.5", "GB/s", "", "", ""},
	} {
		found := false
		for _, rec := range recs {
			found = found || strings.Join(rec, ",") == strings.Join(want, ",")
		}
		if !found {
			t.Errorf("no record %v in\n%v", want, recs)
		}
	}
}

func TestOptionsFill(t *testing.T) {
	var o Options
	if err := o.fill(); err != nil {
		t.Fatal(err)
	}
	if len(o.Shapes) != len(DefaultShapes) || o.Samples != 5 || o.SampleTime != 50*time.Millisecond || len(o.Precs) != 2 || o.Threads[0] != 1 {
		t.Errorf("defaults: %+v", o)
	}
	q := Options{Quick: true}
	if err := q.fill(); err != nil || len(q.Shapes) != len(QuickShapes) {
		t.Errorf("quick: %+v, %v", q, err)
	}
	for _, bad := range []Options{
		{Shapes: []Shape{{M: 1, K: 0, N: 1}}},
		{Threads: []int{1, 0}},
		{Precs: []Prec{'h'}},
		{Samples: -1},
		{SampleTime: -time.Second},
	} {
		if err := bad.fill(); err == nil {
			t.Errorf("fill accepted %+v", bad)
		}
	}
}

// TestRunSmall runs the whole pipeline on a tiny shape with short samples.
// It checks what is reported, never how fast anything was.
func TestRunSmall(t *testing.T) {
	threads := []int{1, 2}
	if raceEnabled {
		threads = []int{1} // see race_test.go
	}
	rep, err := Run(Options{
		Shapes:      []Shape{{M: 5, K: 6, N: 7, TA: true}}, // lda = m: a wrong leading dimension panics in the GEMM
		Threads:     threads,
		Samples:     1,
		SampleTime:  time.Millisecond,
		SkipKernels: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Peaks) != 2*len(threads) {
		t.Errorf("%d peaks, want 2 precisions x %d thread counts", len(rep.Peaks), len(threads))
	}
	impls := 3
	if !strings.Contains(rep.Env.Describe, "kernels=") {
		t.Errorf("Env.Describe = %q", rep.Env.Describe)
	}
	if strings.HasPrefix(rep.Env.Describe, "kernels=generic") {
		impls = 2 // the pure-Go path is the selected one
	}
	if want := 2 * len(threads) * impls; len(rep.GEMM) != want {
		t.Errorf("%d GEMM results, want %d", len(rep.GEMM), want)
	}
	for _, g := range rep.GEMM {
		if !(g.GFLOPS > 0) || math.IsNaN(g.Efficiency) || math.IsNaN(g.VsGonum) {
			t.Errorf("result %+v", g)
		}
	}
	if len(rep.Kernels) != 0 {
		t.Errorf("kernels measured despite SkipKernels")
	}
	var buf bytes.Buffer
	if err := rep.WriteTable(&buf); err != nil || !strings.Contains(buf.String(), "5x6x7:TN") {
		t.Errorf("table: %v\n%s", err, buf.String())
	}
}
