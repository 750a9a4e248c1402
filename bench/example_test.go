package bench_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/fastpath-go/fastpath/bench"
)

// The full study with progress lines on stderr; the figures depend on the
// machine, so this example has no output to check.
func ExampleRun() {
	rep, err := bench.Run(bench.Options{Quick: true, Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	rep.WriteTable(os.Stdout)
}

func ExampleReport_WriteTable() {
	rep := bench.Report{
		Env: bench.Env{Describe: "kernels=avx2", GoVersion: "go1.26.0", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, Samples: 5},
		Peaks: []bench.PeakResult{
			{Prec: bench.Single, Threads: 1, Impl: "avx2", GFLOPS: 97},
		},
		GEMM: []bench.GEMMResult{
			{Prec: bench.Single, Shape: bench.Shape{M: 1024, K: 1024, N: 1024}, Threads: 1, Impl: bench.ImplFastpath, GFLOPS: 85},
			{Prec: bench.Single, Shape: bench.Shape{M: 1024, K: 1024, N: 1024}, Threads: 1, Impl: bench.ImplGonum, GFLOPS: 7},
		},
	}
	rep.Derive() // efficiencies and speed-ups
	rep.WriteTable(os.Stdout)
	// Output:
	// # kernels=avx2
	// # go1.26.0 linux/amd64 GOMAXPROCS=2; each figure the median of 5 samples after a warm-up
	//
	// FMA peak (independent multiply-adds in registers)
	// prec  threads  kernels  GFLOP/s
	// s     1        avx2     97.0
	//
	// GEMM C = A·B, row-major, m x k x n: GFLOP/s, eff = fraction of the FMA peak at the same threads
	// prec  shape           threads  fastpath  eff   gonum  eff   purego  eff  vs gonum  vs purego
	// s     1024x1024x1024  1        85.0      0.88  7.00   0.07  -       -    12.1x     -
}

// gonum's linear algebra on gonum's native BLAS and on fastpath; the
// seconds depend on the machine, so this example prints what was measured.
func ExampleRunLinalg() {
	rep, err := bench.RunLinalg(context.Background(), bench.LinalgOptions{
		Ops: []string{"chol", "lu"}, Sizes: []int{20}, Threads: []int{1},
		Samples: 1, SampleTime: time.Millisecond, Settle: time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Backends)
	for _, r := range rep.Results {
		fmt.Println(r.Op, r.N, r.Threads, r.Backend, r.Seconds > 0)
	}
	// Output:
	// [gonum fastpath]
	// chol 20 1 gonum true
	// chol 20 1 fastpath true
	// lu 20 1 gonum true
	// lu 20 1 fastpath true
}
