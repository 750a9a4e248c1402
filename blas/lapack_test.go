package blas_test

import (
	"testing"

	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/lapack/testlapack"
)

// TestLapackOnFastpath runs gonum's LAPACK conformance tests for the
// factorizations and solvers with fastpath installed as the BLAS under
// gonum's LAPACK (blas64.Use), as a gonum user would run them: every
// routine fastpath overrides (GEMM, TRSM, TRMM, SYRK, SYR2K, SYMM, GEMV,
// SYMV, DOT, AXPY) is exercised through real factorizations.
func TestLapackOnFastpath(t *testing.T) {
	defer useFastpath64()()
	impl := gonum.Implementation{}
	for _, tc := range []struct {
		name  string
		run   func(t *testing.T)
		short bool // also run with -short
	}{
		{"Dgetrf", func(t *testing.T) { testlapack.DgetrfTest(t, impl) }, true},
		{"Dgetrs", func(t *testing.T) { testlapack.DgetrsTest(t, impl) }, true},
		{"Dgetri", func(t *testing.T) { testlapack.DgetriTest(t, impl) }, true},
		{"Dgecon", func(t *testing.T) { testlapack.DgeconTest(t, impl) }, false},
		{"Dpotrf", func(t *testing.T) { testlapack.DpotrfTest(t, impl) }, true},
		{"Dpotrs", func(t *testing.T) { testlapack.DpotrsTest(t, impl) }, true},
		{"Dpotri", func(t *testing.T) { testlapack.DpotriTest(t, impl) }, false},
		{"Dpocon", func(t *testing.T) { testlapack.DpoconTest(t, impl) }, false},
		{"Dtrtri", func(t *testing.T) { testlapack.DtrtriTest(t, impl) }, true},
		{"Dlauum", func(t *testing.T) { testlapack.DlauumTest(t, impl) }, false},
		{"Dgeqrf", func(t *testing.T) { testlapack.DgeqrfTest(t, impl) }, true},
		{"Dorgqr", func(t *testing.T) { testlapack.DorgqrTest(t, impl) }, true},
		{"Dgels", func(t *testing.T) { testlapack.DgelsTest(t, impl) }, false},
		{"Dgebrd", func(t *testing.T) { testlapack.DgebrdTest(t, impl) }, false},
		{"Dgesvd", func(t *testing.T) { testlapack.DgesvdTest(t, impl, 1e-13) }, false},
		{"Dsytrd", func(t *testing.T) { testlapack.DsytrdTest(t, impl) }, false},
		{"Dorgtr", func(t *testing.T) { testlapack.DorgtrTest(t, impl) }, false},
		{"Dsyev", func(t *testing.T) { testlapack.DsyevTest(t, impl) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && !tc.short {
				t.Skip("-short")
			}
			tc.run(t)
		})
	}
}
