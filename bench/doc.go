// Package bench is fastpath's performance study: it measures the machine's
// FMA peak, the GEMM engine, gonum's native GEMM, the pure-Go kernels and
// the memory-bound kernels, all in one run, and reports each GEMM figure as
// a fraction of the peak measured in that same run. The fastpath command's
// bench subcommand is a thin front end to Run.
//
// # What is measured
//
//   - Peak: the FMA peak, by timing the selected implementation's Peak32 or
//     Peak64 kernel (independent multiply-adds held in registers) on one
//     goroutine per thread, each locked to its OS thread.
//   - GEMM, row-major C = A·B for each shape m x k x n, precision and
//     thread count: fastpath (package blas with the selected kernels), the
//     pure-Go path (package blas with asm.Use("generic")) and gonum's native
//     implementation (gonum.org/v1/gonum/blas/gonum). GFLOP/s counts 2mnk
//     flops per call. Efficiency is GFLOP/s divided by the peak of the same
//     precision and thread count; speed-ups compare fastpath with gonum and
//     with the pure-Go path at the same shape and thread count.
//   - Kernels: the path-norm passes y = (W∘W)x and y = (W∘W)^T x on a
//     4000 x 4000 float32 W, a streaming read of the same W (asm.SDot of W
//     with itself) as their bandwidth limit, and the ReLU kernels on a
//     100 x 4000 activation matrix, in GB/s of memory read and written, for
//     the selected and the generic implementation, on one thread.
//
// # Method
//
// Every figure is the median of Options.Samples samples (default 5) taken
// after one warm-up call; a sample repeats the operation until it lasts at
// least Options.SampleTime so that small shapes are not dominated by timer
// resolution. For a thread count t, blas.SetThreads(t) and GOMAXPROCS = t
// are set for every implementation, so gonum's own parallelism is held to
// the same number of threads; both are restored afterwards, as is the asm
// selection changed for the pure-Go figures. These settings are
// process-wide: run nothing else in the process during a Run. The machine
// should be otherwise idle: on a shared machine expect ±10% between runs,
// and compare ratios measured in one run rather than absolute figures.
//
// # Output
//
// Report.WriteTable prints a text table headed by asm.Describe(), the Go
// version and GOMAXPROCS; Report.WriteCSV writes the same figures one
// measurement per line for further analysis.
package bench
