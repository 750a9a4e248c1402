package blas_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Benchmarks compare, in one run, fastpath with the selected kernels
// (impl=fastpath), fastpath on the pure-Go kernels (impl=purego) and gonum's
// native implementation (impl=gonum), with key=value names for
// `benchstat -col /impl`. Each sub-benchmark sets both blas.SetThreads and
// GOMAXPROCS to t, so gonum's own parallelism is limited the same way.
//
//	go test -run NONE -bench 'Sgemm/.*/m=1024' ./blas
//
// Under -short only the small shapes run.

// gemmBenchShapes are m x k x n: small products (the direct path), cubes
// and the training shapes of a 784-4000-4000-10 network with batch 100 (forward 100x784x4000 and
// 100x4000x4000, weight gradients 4000x100x4000 and 784x100x4000).
var gemmBenchShapes = []struct {
	m, k, n int
	small   bool
}{
	{16, 100, 100, true},
	{128, 100, 100, true},
	{256, 256, 256, true},
	{512, 512, 512, true},
	{1024, 1024, 1024, false},
	{100, 784, 4000, false},
	{100, 4000, 4000, false},
	{4000, 100, 4000, false},
	{784, 100, 4000, false},
}

// gemvBenchShapes are m x n.
var gemvBenchShapes = []struct {
	m, n  int
	small bool
}{
	{1000, 1000, true},
	{4000, 784, false},
	{4000, 4000, false},
}

// benchImpl is one implementation under comparison; setup selects it and
// returns the function that undoes the selection.
type benchImpl struct {
	name  string
	setup func(b *testing.B) (undo func())
}

func benchImpls() []benchImpl {
	impls := []benchImpl{
		{"fastpath", func(*testing.B) func() { return func() {} }},
		{"gonum", func(*testing.B) func() { return func() {} }},
	}
	if asm.Current().Name != "generic" {
		impls = append(impls, benchImpl{"purego", func(b *testing.B) func() {
			prev, err := asm.Use("generic")
			if err != nil {
				b.Fatal(err)
			}
			return func() { asm.Restore(prev) }
		}})
	}
	return impls
}

// withThreads runs f with blas.SetThreads(t) and GOMAXPROCS(t).
func withThreads(t int, f func()) {
	defer blas.SetThreads(blas.SetThreads(t))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(t))
	f()
}

func BenchmarkSgemm(b *testing.B) {
	benchGemm(b, blas.Sgemm, gonum.Implementation{}.Sgemm)
}

func BenchmarkDgemm(b *testing.B) {
	benchGemm(b, blas.Dgemm, gonum.Implementation{}.Dgemm)
}

func benchGemm[T float](b *testing.B, fast, native gemmFunc[T]) {
	for _, impl := range benchImpls() {
		for _, sh := range gemmBenchShapes {
			if testing.Short() && !sh.small {
				continue
			}
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("impl=%s/m=%d/k=%d/n=%d/t=%d", impl.name, sh.m, sh.k, sh.n, threads)
				b.Run(name, func(b *testing.B) {
					m, k, n := sh.m, sh.k, sh.n
					r := testRand(7)
					a, bb, c := make([]T, m*k), make([]T, k*n), make([]T, m*n)
					fill(r, a)
					fill(r, bb)
					gemm := fast
					if impl.name == "gonum" {
						gemm = native
					}
					undo := impl.setup(b)
					defer undo()
					withThreads(threads, func() {
						b.ReportAllocs()
						for b.Loop() {
							gemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, bb, n, 0, c, n)
						}
					})
					flops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N)
					b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

func BenchmarkSgemv(b *testing.B) {
	benchGemv(b, blas.Sgemv, gonum.Implementation{}.Sgemv)
}

func BenchmarkDgemv(b *testing.B) {
	benchGemv(b, blas.Dgemv, gonum.Implementation{}.Dgemv)
}

func benchGemv[T float](b *testing.B, fast, native gemvFunc[T]) {
	for _, impl := range benchImpls() {
		for _, sh := range gemvBenchShapes {
			if testing.Short() && !sh.small {
				continue
			}
			for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				for _, threads := range []int{1, 2} {
					name := fmt.Sprintf("impl=%s/tA=%c/m=%d/n=%d/t=%d", impl.name, tA, sh.m, sh.n, threads)
					b.Run(name, func(b *testing.B) {
						m, n := sh.m, sh.n
						r := testRand(8)
						a, x, y := make([]T, m*n), make([]T, max(m, n)), make([]T, max(m, n))
						fill(r, a)
						fill(r, x)
						gemv := fast
						if impl.name == "gonum" {
							gemv = native
						}
						undo := impl.setup(b)
						defer undo()
						bytes := int64(m) * int64(n) * int64(sizeOfT[T]())
						b.SetBytes(bytes)
						withThreads(threads, func() {
							b.ReportAllocs()
							for b.Loop() {
								gemv(tA, m, n, 1, a, n, x, 1, 0, y, 1)
							}
						})
						b.ReportMetric(float64(bytes)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
					})
				}
			}
		}
	}
}

func sizeOfT[T float]() int {
	if eps[T]() == 0x1p-24 {
		return 4
	}
	return 8
}

// BenchmarkLevel2Bandwidth measures the memory-bound Level 2 routines on a
// 4000 x 4000 float64 matrix (128 MB, far beyond the caches) in GB/s of
// matrix traffic, beside a streaming read of the same matrix (asm DDot of
// each thread's share of its rows with itself, one goroutine per thread),
// the bound they are held to: Dgemv and Dsymv read the matrix (Dsymv its
// stored triangle) once, Dger reads and writes it.
//
//	go test -run NONE -bench Level2Bandwidth ./blas
func BenchmarkLevel2Bandwidth(b *testing.B) {
	if testing.Short() {
		b.Skip("128 MB operands")
	}
	const n = 4000
	r := testRand(9)
	a := make([]float64, n*n)
	fill(r, a)
	x, y := make([]float64, n), make([]float64, n)
	fill(r, x)
	impl := asm.Current()
	full, half := int64(8*n*n), int64(8*n*(n+1)/2)
	for _, threads := range []int{1, 2} {
		for _, op := range []struct {
			name  string
			bytes int64
			run   func()
		}{
			{"stream-read", full, func() {
				done := make(chan float64, threads)
				for p := range threads {
					go func() { s := a[p*n*n/threads : (p+1)*n*n/threads]; done <- impl.DDot(s, s) }()
				}
				for range threads {
					<-done
				}
			}},
			{"dgemv-N", full, func() { blas.Dgemv(gblas.NoTrans, n, n, 1, a, n, x, 1, 0, y, 1) }},
			{"dgemv-T", full, func() { blas.Dgemv(gblas.Trans, n, n, 1, a, n, x, 1, 0, y, 1) }},
			{"dsymv", half, func() { blas.Dsymv(gblas.Upper, n, 1, a, n, x, 1, 0, y, 1) }},
			{"dger", 2 * full, func() { blas.Dger(n, n, 1e-300, x, 1, y, 1, a, n) }},
		} {
			b.Run(fmt.Sprintf("op=%s/t=%d", op.name, threads), func(b *testing.B) {
				b.SetBytes(op.bytes)
				withThreads(threads, func() {
					for b.Loop() {
						op.run()
					}
				})
				b.ReportMetric(float64(op.bytes)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	}
}

// BenchmarkPackedB32 compares a product with a pre-packed right operand
// (the RNN's per-step product: a small batch of states times the same
// weights) with Sgemm, which packs both operands at every call, on one
// thread: rows x k times k x n, GFLOP/s.
func BenchmarkPackedB32(b *testing.B) {
	defer blas.SetThreads(blas.SetThreads(1))
	for _, s := range [][3]int{{16, 101, 100}, {16, 1001, 1000}, {128, 1001, 1000}} {
		m, k, n := s[0], s[1], s[2]
		a, w, c := make([]float32, m*k), make([]float32, n*k), make([]float32, m*n)
		for i := range a {
			a[i] = float32(i%7) * 0.1
		}
		for i := range w {
			w[i] = float32(i%5) * 0.1
		}
		flops := 2 * float64(m*n*k)
		var p blas.PackedB32
		p.Pack(gblas.Trans, k, n, w, k, m)
		var ws blas.PackedWorkspace32
		b.Run(fmt.Sprintf("path=packed/m=%d/k=%d/n=%d", m, k, n), func(b *testing.B) {
			for b.Loop() {
				p.Mul(&ws, m, a, k, c, n, nil, true, false)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("path=sgemm/m=%d/k=%d/n=%d", m, k, n), func(b *testing.B) {
			for b.Loop() {
				blas.Sgemm(gblas.NoTrans, gblas.Trans, m, n, k, 1, a, k, w, k, 0, c, n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
