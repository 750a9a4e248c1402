package asm

import (
	"fmt"
	"testing"
)

// Benchmarks of the non-GEMM kernels, every available implementation in one
// run, named key=value so benchstat can compare implementations
// (benchstat -col /impl). Streaming kernels report MB/s through SetBytes
// (bytes read plus bytes written); the path-norm passes report the bytes of W
// read, the same quantity as BenchmarkStreamRead over a W of the same size,
// so their ratio is the fraction of the streaming bandwidth they reach.

var (
	benchSink32 float32
	benchSink64 float64
)

// benchImpls runs f as a sub-benchmark impl=<name> for every available
// implementation.
func benchImpls(b *testing.B, f func(b *testing.B, impl *Impl)) {
	for _, impl := range AvailableImpls() {
		b.Run("impl="+impl.Name, func(b *testing.B) { f(b, impl) })
	}
}

// elementwiseSizes: one in L1 (16 KiB per operand), one beyond L2 (4 MiB per
// operand).
var elementwiseSizes = []int{4096, 1 << 20}

func randBench32(n int, seed uint64) []float32 {
	s := make([]float32, n)
	randSlice32(newRand(seed), s)
	return s
}

func randBench64(n int, seed uint64) []float64 {
	s := make([]float64, n)
	randSlice64(newRand(seed), s)
	return s
}

func BenchmarkRelu(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range elementwiseSizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, dst := randBench32(n, 1), make([]float32, n)
				b.SetBytes(int64(8 * n))
				b.ReportAllocs()
				for b.Loop() {
					impl.Relu(dst, x)
				}
			})
		}
	})
}

func BenchmarkReluBackward(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range elementwiseSizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				y, dy, dx := randBench32(n, 1), randBench32(n, 2), make([]float32, n)
				b.SetBytes(int64(12 * n))
				b.ReportAllocs()
				for b.Loop() {
					impl.ReluBackward(dx, dy, y)
				}
			})
		}
	})
}

func BenchmarkBiasRelu(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range elementwiseSizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, bias, dst := randBench32(n, 1), randBench32(n, 2), make([]float32, n)
				b.SetBytes(int64(12 * n))
				b.ReportAllocs()
				for b.Loop() {
					impl.BiasRelu(dst, x, bias)
				}
			})
		}
	})
}

// pathSizes: the recurrent weights of a 100-unit RNN (40 KB, in L1), W of
// 256 KiB (in L2) and of 64 MB (in DRAM).
var pathSizes = [][2]int{{100, 100}, {256, 256}, {4000, 4000}}

func benchPath(b *testing.B, trans bool) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, sz := range pathSizes {
			rows, cols := sz[0], sz[1]
			b.Run(fmt.Sprintf("rows=%d/cols=%d", rows, cols), func(b *testing.B) {
				w := randBench32(rows*cols, 3)
				f, x, y := impl.PathMV, randBench64(cols, 4), make([]float64, rows)
				if trans {
					f, x, y = impl.PathMTV, randBench64(rows, 4), make([]float64, cols)
				}
				b.SetBytes(int64(4 * rows * cols))
				b.ReportAllocs()
				for b.Loop() {
					f(y, w, cols, x)
				}
			})
		}
	})
}

func BenchmarkPathMV(b *testing.B)  { benchPath(b, false) }
func BenchmarkPathMTV(b *testing.B) { benchPath(b, true) }

// BenchmarkPathSums is both passes at once (asm.PathSums: y = (W∘W) x and
// z += (W∘W)^T u), the pass a fused Path-SGD step makes over its meeting
// layer; bytes are those of W, as for PathMV and PathMTV, each of which it
// replaces.
func BenchmarkPathSums(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, sz := range pathSizes {
			rows, cols := sz[0], sz[1]
			b.Run(fmt.Sprintf("rows=%d/cols=%d", rows, cols), func(b *testing.B) {
				w := randBench32(rows*cols, 3)
				x, u := randBench64(cols, 4), randBench64(rows, 5)
				y, z := make([]float64, rows), make([]float64, cols)
				b.SetBytes(int64(4 * rows * cols))
				b.ReportAllocs()
				for b.Loop() {
					impl.PathSums(y, z, w, cols, x, u)
				}
			})
		}
	})
}

// BenchmarkStreamRead is the bandwidth yardstick of the path-norm passes: a
// plain summing read of a buffer the size of W.
func BenchmarkStreamRead(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		f := streamSums[impl.Name]
		if f == nil {
			b.Skipf("no streaming-read kernel for %s", impl.Name)
		}
		for _, sz := range pathSizes {
			rows, cols := sz[0], sz[1]
			b.Run(fmt.Sprintf("rows=%d/cols=%d", rows, cols), func(b *testing.B) {
				w := randBench32(rows*cols, 3)
				b.SetBytes(int64(4 * rows * cols))
				b.ReportAllocs()
				for b.Loop() {
					benchSink32 = f(w)
				}
			})
		}
	})
}

// blas1Sizes: GEMV-like lengths in L1 and one beyond L2.
var blas1Sizes = []int{4096, 1 << 20}

func BenchmarkSDot(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range blas1Sizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := randBench32(n, 1), randBench32(n, 2)
				b.SetBytes(int64(8 * n))
				b.ReportAllocs()
				for b.Loop() {
					benchSink32 = impl.SDot(x, y)
				}
			})
		}
	})
}

func BenchmarkDDot(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range blas1Sizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := randBench64(n, 1), randBench64(n, 2)
				b.SetBytes(int64(16 * n))
				b.ReportAllocs()
				for b.Loop() {
					benchSink64 = impl.DDot(x, y)
				}
			})
		}
	})
}

func BenchmarkSAxpy(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range blas1Sizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := randBench32(n, 1), randBench32(n, 2)
				b.SetBytes(int64(12 * n))
				b.ReportAllocs()
				for b.Loop() {
					impl.SAxpy(1e-7, x, y) // small alpha: y stays O(1) over many calls
				}
			})
		}
	})
}

func BenchmarkDAxpy(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range blas1Sizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := randBench64(n, 1), randBench64(n, 2)
				b.SetBytes(int64(24 * n))
				b.ReportAllocs()
				for b.Loop() {
					impl.DAxpy(1e-7, x, y)
				}
			})
		}
	})
}

// BenchmarkPeak measures the FMA peak of one core: the yardstick of every
// compute-bound kernel, reported as GFLOP/s.
func BenchmarkPeak(b *testing.B) {
	const iters = 1 << 14 // about 30 µs per call at 2 FMAs per cycle
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, prec := range []struct {
			name string
			f    func(int) int
		}{{"f32", impl.Peak32}, {"f64", impl.Peak64}} {
			b.Run("prec="+prec.name, func(b *testing.B) {
				b.ReportAllocs()
				flops := 0
				for b.Loop() {
					flops += prec.f(iters)
				}
				b.ReportMetric(float64(flops)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	})
}

// optimSizes: one in L1, one beyond L2, and the 4000 x 4000 hidden layer of
// the thesis's MNIST network (64 MiB per operand, beyond L3).
var optimSizes = []int{4096, 1 << 20, 4000 * 4000}

// benchOptim runs one optimizer kernel over n elements; bytes is the traffic
// per element (bytes read plus bytes written), reported as MB/s and GB/s.
func benchOptim(b *testing.B, bytes int, f func(impl *Impl, w, g, s []float32)) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range optimSizes {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				w, g, s := randBench32(n, 1), randBench32(n, 2), make([]float32, n)
				b.SetBytes(int64(bytes * n))
				b.ReportAllocs()
				for b.Loop() {
					f(impl, w, g, s)
				}
				b.ReportMetric(float64(bytes)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	})
}

// Tiny steps keep w bounded over many calls.

func BenchmarkSGD(b *testing.B) {
	benchOptim(b, 12, func(impl *Impl, w, g, _ []float32) { impl.SGD(w, g, 1e-7, 1e-4) })
}

func BenchmarkSGDMomentum(b *testing.B) {
	benchOptim(b, 20, func(impl *Impl, w, g, v []float32) { impl.SGDMomentum(w, g, v, 1e-7, 0.9, 1e-4) })
}

func BenchmarkAdaGrad(b *testing.B) {
	benchOptim(b, 20, func(impl *Impl, w, g, h []float32) { impl.AdaGrad(w, g, h, 1e-7, 1e-8) })
}

// BenchmarkDGemv4 measures the four-row GEMV and symmetric kernels on four
// rows of n float64 elements (in L1 for n = 1024, beyond L2 for n = 65536),
// bytes counted for the rows and vectors read and written.
func BenchmarkDGemv4(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range []int{1024, 1 << 16} {
			a := randBench64(4*n, 1)
			x, z := randBench64(n, 2), randBench64(n, 3)
			alpha := [4]float64{1e-9, -1e-9, 2e-9, -2e-9}
			var d [4]float64
			b.Run(fmt.Sprintf("op=N/n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(8 * 5 * n))
				for b.Loop() {
					impl.DGemvN4(n, a, n, x, &d)
				}
			})
			b.Run(fmt.Sprintf("op=T/n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(8 * 6 * n))
				for b.Loop() {
					impl.DGemvT4(n, a, n, &alpha, z)
				}
			})
			b.Run(fmt.Sprintf("op=Sym/n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(8 * 7 * n))
				for b.Loop() {
					impl.DSymv4(n, a, n, x, z, &alpha, &d)
				}
			})
		}
	})
}

// BenchmarkDLevel1Inc measures the strided and unit-stride level-1 kernels
// on n = 4096 float64 elements, unit stride and down a column of a
// row-major matrix (stride 1024), bytes counted for the elements touched.
func BenchmarkDLevel1Inc(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		const n = 4096
		for _, inc := range []int{1, 1024} {
			x, y := randBench64((n-1)*inc+1, 1), randBench64((n-1)*inc+1, 2)
			b.Run(fmt.Sprintf("op=dot/inc=%d", inc), func(b *testing.B) {
				b.SetBytes(16 * n)
				for b.Loop() {
					benchSink64 = impl.DDotInc(n, x, inc, y, inc)
				}
			})
			b.Run(fmt.Sprintf("op=axpy/inc=%d", inc), func(b *testing.B) {
				b.SetBytes(24 * n)
				for b.Loop() {
					impl.DAxpyInc(n, 1e-9, x, inc, y, inc)
				}
			})
			b.Run(fmt.Sprintf("op=asum/inc=%d", inc), func(b *testing.B) {
				b.SetBytes(8 * n)
				for b.Loop() {
					benchSink64 = impl.DAsumInc(n, x, inc)
				}
			})
			b.Run(fmt.Sprintf("op=sumsq/inc=%d", inc), func(b *testing.B) {
				b.SetBytes(8 * n)
				for b.Loop() {
					benchSink64 = impl.DSumSqInc(n, x, inc)
				}
			})
			b.Run(fmt.Sprintf("op=scal/inc=%d", inc), func(b *testing.B) {
				b.SetBytes(16 * n)
				for b.Loop() {
					impl.DScalInc(n, 1, x, inc)
				}
			})
		}
		v := randBench64(n, 3)
		b.Run("op=idamax/inc=1", func(b *testing.B) {
			b.SetBytes(8 * n)
			for b.Loop() {
				benchSink64 = float64(impl.IDamax(v))
			}
		})
	})
}

// BenchmarkDColumnWalk walks the columns of an n x n row-major float64
// matrix with the strided dot product and axpy, as gonum's LAPACK does in
// its condition estimators (Dlatrs): column j against a vector, j = 1..n-1.
// Neighbouring columns share cache lines, so most accesses hit L2.
func BenchmarkDColumnWalk(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range []int{1000, 2000} {
			a := randBench64(n*n, 1)
			x := randBench64(n, 2)
			bytes := int64(8 * n * (n - 1) / 2)
			b.Run(fmt.Sprintf("op=dot/n=%d", n), func(b *testing.B) {
				b.SetBytes(bytes)
				for b.Loop() {
					for j := 1; j < n; j++ {
						benchSink64 += impl.DDotInc(j, a[j:], n, x, 1)
					}
				}
			})
			b.Run(fmt.Sprintf("op=axpy/n=%d", n), func(b *testing.B) {
				b.SetBytes(bytes)
				for b.Loop() {
					for j := 0; j < n-1; j++ {
						impl.DAxpyInc(n-j-1, 1e-12, a[(j+1)*n+j:], n, x[j+1:], 1)
					}
				}
			})
		}
	})
}

// BenchmarkSGemv4 is BenchmarkDGemv4 for the float32 kernels.
func BenchmarkSGemv4(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range []int{1024, 1 << 16} {
			a := randBench32(4*n, 1)
			x, z := randBench32(n, 2), randBench32(n, 3)
			alpha := [4]float32{1e-9, -1e-9, 2e-9, -2e-9}
			var d [4]float32
			b.Run(fmt.Sprintf("op=N/n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(4 * 5 * n))
				for b.Loop() {
					impl.SGemvN4(n, a, n, x, &d)
				}
			})
			b.Run(fmt.Sprintf("op=T/n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(4 * 6 * n))
				for b.Loop() {
					impl.SGemvT4(n, a, n, &alpha, z)
				}
			})
			b.Run(fmt.Sprintf("op=Sym/n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(4 * 7 * n))
				for b.Loop() {
					impl.SSymv4(n, a, n, x, z, &alpha, &d)
				}
			})
		}
	})
}

// BenchmarkIDamax measures the index-of-largest-|x| kernel on n float64
// elements (in L1 for n = 4096, beyond L2 for n = 1 << 18).
func BenchmarkIDamax(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, n := range []int{4096, 1 << 18} {
			x := randBench64(n, 4)
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				b.SetBytes(int64(8 * n))
				for b.Loop() {
					benchSinkInt = impl.IDamax(x)
				}
			})
		}
	})
}

var benchSinkInt int
