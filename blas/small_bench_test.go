package blas_test

import (
	"fmt"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkSmallCalls times the float64 routines gonum's LAPACK calls on
// small operands (n = 8, 12, 16, 32: the unblocked factorizations and the
// condition estimates of small matrices) through blas.Implementation and
// through gonum's native code, where fastpath's fixed cost per call shows:
//
//	go test -run NONE -bench SmallCalls ./blas
func BenchmarkSmallCalls(b *testing.B) {
	var sink float64
	for _, n := range []int{8, 12, 16, 32} {
		a := make([]float64, n*n)
		for i := range a {
			a[i] = float64(i%13)*0.01 + 0.001
		}
		for i := range n {
			a[i*n+i] = 2
		}
		c := make([]float64, n*n)
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = float64(i%7)-3, float64(i%5)
		}
		x0, c0 := append([]float64(nil), x...), append([]float64(nil), a...)
		ops := []struct {
			name string
			run  func(f gblas.Float64)
		}{
			{"ddot", func(f gblas.Float64) { sink += f.Ddot(n, x, 1, y, 1) }},
			{"daxpy", func(f gblas.Float64) { f.Daxpy(n, 1e-300, x, 1, y, 1) }},
			{"dscal", func(f gblas.Float64) { f.Dscal(n, 1, x, 1) }},
			{"dscal-col", func(f gblas.Float64) { f.Dscal(n, 1, a, n) }},
			{"dswap", func(f gblas.Float64) { f.Dswap(n, x, 1, y, 1) }},
			{"dswap-col", func(f gblas.Float64) { f.Dswap(n, a, n, c, n) }},
			{"dasum", func(f gblas.Float64) { sink += f.Dasum(n, x, 1) }},
			{"dnrm2", func(f gblas.Float64) { sink += f.Dnrm2(n, x, 1) }},
			{"idamax", func(f gblas.Float64) { sink += float64(f.Idamax(n, x, 1)) }},
			{"idamax-col", func(f gblas.Float64) { sink += float64(f.Idamax(n, a, n)) }},
			{"dgemv-N", func(f gblas.Float64) { f.Dgemv(gblas.NoTrans, n, n, 1, a, n, x, 1, 0, y, 1) }},
			{"dgemv-T", func(f gblas.Float64) { f.Dgemv(gblas.Trans, n, n, 1, a, n, x, 1, 0, y, 1) }},
			{"dger", func(f gblas.Float64) { f.Dger(n, n, 1e-300, x, 1, y, 1, c, n) }},
			// The solves start from the same right-hand side each time (a
			// copy, the same cost for both): repeated in place they would
			// shrink it into subnormal numbers.
			{"dtrsv", func(f gblas.Float64) {
				copy(x, x0)
				f.Dtrsv(gblas.Upper, gblas.NoTrans, gblas.NonUnit, n, a, n, x, 1)
			}},
			{"dtrsv-T", func(f gblas.Float64) {
				copy(x, x0)
				f.Dtrsv(gblas.Upper, gblas.Trans, gblas.NonUnit, n, a, n, x, 1)
			}},
			{"dsymv", func(f gblas.Float64) { f.Dsymv(gblas.Upper, n, 1, a, n, x, 1, 0, y, 1) }},
			{"dgemm", func(f gblas.Float64) {
				f.Dgemm(gblas.NoTrans, gblas.NoTrans, n, n, n, 1, a, n, a, n, 0, c, n)
			}},
			{"dtrsm", func(f gblas.Float64) {
				copy(c, c0)
				f.Dtrsm(gblas.Left, gblas.Upper, gblas.NoTrans, gblas.NonUnit, n, n, 1, a, n, c, n)
			}},
			{"dsyrk", func(f gblas.Float64) { f.Dsyrk(gblas.Upper, gblas.NoTrans, n, n, 1, a, n, 0, c, n) }},
			{"dsyrk-T", func(f gblas.Float64) { f.Dsyrk(gblas.Lower, gblas.Trans, n, n, 1, a, n, 1, c, n) }},
			{"dsyr2k", func(f gblas.Float64) { f.Dsyr2k(gblas.Upper, gblas.NoTrans, n, n, 1, a, n, a, n, 0, c, n) }},
			{"dsymm", func(f gblas.Float64) { f.Dsymm(gblas.Left, gblas.Upper, n, n, 1, a, n, a, n, 0, c, n) }},
			{"dtrmm", func(f gblas.Float64) {
				f.Dtrmm(gblas.Left, gblas.Upper, gblas.NoTrans, gblas.NonUnit, n, n, 1, a, n, c, n)
			}},
		}
		for _, o := range ops {
			for _, lib := range []string{"gonum", "fastpath", "gonum", "fastpath"} {
				b.Run(fmt.Sprintf("op=%s/n=%d/impl=%s", o.name, n, lib), func(b *testing.B) {
					var f gblas.Float64 = blas.Implementation{}
					if lib == "gonum" {
						f = gonum.Implementation{}
					}
					withThreads(1, func() {
						for b.Loop() {
							o.run(f)
						}
					})
				})
			}
		}
	}
	_ = sink
}
