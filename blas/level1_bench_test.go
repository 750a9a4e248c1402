package blas_test

import (
	"fmt"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkLevel1 times the unit-stride Level 1 routines fastpath runs on
// its own kernels against gonum's native code and against fastpath on the
// pure-Go twins, in MB/s of vector data touched (read and written):
//
//	go test -run NONE -bench Level1 ./blas
func BenchmarkLevel1(b *testing.B) {
	type op struct {
		name  string
		bytes int // per element
		run   func(f32 gblas.Float32, f64 gblas.Float64, x, y []float32, u, v []float64)
	}
	var sink float64
	ops := []op{
		{"sscal", 8, func(f gblas.Float32, _ gblas.Float64, x, _ []float32, _, _ []float64) { f.Sscal(len(x), 1, x, 1) }},
		{"sasum", 4, func(f gblas.Float32, _ gblas.Float64, x, _ []float32, _, _ []float64) {
			sink += float64(f.Sasum(len(x), x, 1))
		}},
		{"snrm2", 4, func(f gblas.Float32, _ gblas.Float64, x, _ []float32, _, _ []float64) {
			sink += float64(f.Snrm2(len(x), x, 1))
		}},
		{"isamax", 4, func(f gblas.Float32, _ gblas.Float64, x, _ []float32, _, _ []float64) {
			sink += float64(f.Isamax(len(x), x, 1))
		}},
		{"sswap", 16, func(f gblas.Float32, _ gblas.Float64, x, y []float32, _, _ []float64) { f.Sswap(len(x), x, 1, y, 1) }},
		{"dswap", 32, func(_ gblas.Float32, f gblas.Float64, _, _ []float32, u, v []float64) { f.Dswap(len(u), u, 1, v, 1) }},
		{"srot", 16, func(f gblas.Float32, _ gblas.Float64, x, y []float32, _, _ []float64) {
			f.Srot(len(x), x, 1, y, 1, 0.6, 0.8)
		}},
		{"drot", 32, func(_ gblas.Float32, f gblas.Float64, _, _ []float32, u, v []float64) {
			f.Drot(len(u), u, 1, v, 1, 0.6, 0.8)
		}},
	}
	for _, o := range ops {
		for _, n := range []int{1000, 100000} {
			x, y := make([]float32, n), make([]float32, n)
			u, v := make([]float64, n), make([]float64, n)
			for i := range x {
				x[i], y[i], u[i], v[i] = float32(i%7)-3, float32(i%5), float64(i%7)-3, float64(i%5)
			}
			for _, impl := range benchImpls() {
				b.Run(fmt.Sprintf("op=%s/n=%d/impl=%s", o.name, n, impl.name), func(b *testing.B) {
					defer impl.setup(b)()
					var f32 gblas.Float32 = blas.Implementation{}
					var f64 gblas.Float64 = blas.Implementation{}
					if impl.name == "gonum" {
						f32, f64 = gonum.Implementation{}, gonum.Implementation{}
					}
					b.SetBytes(int64(o.bytes * n))
					for b.Loop() {
						o.run(f32, f64, x, y, u, v)
					}
				})
			}
		}
	}
	_ = sink
}

// BenchmarkLevel1Bandwidth measures the float64 Level 1 routines on vectors
// of 2^24 elements (128 MB each, far beyond the caches) in GB/s of vector
// traffic (each vector read counts once, each vector written once more),
// on one thread, beside a streaming read of one vector (DDot of x with
// itself), the bound they are held to, and gonum's native code:
//
//	go test -run NONE -bench Level1Bandwidth ./blas
func BenchmarkLevel1Bandwidth(b *testing.B) {
	if testing.Short() {
		b.Skip("128 MB operands")
	}
	const n = 1 << 24
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], y[i] = float64(i%7)-3, float64(i%5)
	}
	var sink float64
	ops := []struct {
		name  string
		bytes int // per element
		run   func(f gblas.Float64)
	}{
		{"stream-read", 8, func(f gblas.Float64) { sink += f.Ddot(n, x, 1, x, 1) }},
		{"ddot", 16, func(f gblas.Float64) { sink += f.Ddot(n, x, 1, y, 1) }},
		{"daxpy", 24, func(f gblas.Float64) { f.Daxpy(n, 1e-300, x, 1, y, 1) }},
		{"dscal", 16, func(f gblas.Float64) { f.Dscal(n, 1, x, 1) }},
		{"dasum", 8, func(f gblas.Float64) { sink += f.Dasum(n, x, 1) }},
		{"dnrm2", 8, func(f gblas.Float64) { sink += f.Dnrm2(n, x, 1) }},
		{"idamax", 8, func(f gblas.Float64) { sink += float64(f.Idamax(n, x, 1)) }},
		{"dcopy", 16, func(f gblas.Float64) { f.Dcopy(n, x, 1, y, 1) }},
		{"dswap", 32, func(f gblas.Float64) { f.Dswap(n, x, 1, y, 1) }},
		{"drot", 32, func(f gblas.Float64) { f.Drot(n, x, 1, y, 1, 1, 0) }},
	}
	for _, o := range ops {
		for _, lib := range []string{"fastpath", "gonum"} {
			b.Run(fmt.Sprintf("op=%s/impl=%s", o.name, lib), func(b *testing.B) {
				var f gblas.Float64 = blas.Implementation{}
				if lib == "gonum" {
					f = gonum.Implementation{}
				}
				b.SetBytes(int64(o.bytes * n))
				withThreads(1, func() {
					for b.Loop() {
						o.run(f)
					}
				})
				b.ReportMetric(float64(o.bytes*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	}
	_ = sink
}
