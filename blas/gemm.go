package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// Sgemm computes C = alpha * op(A) * op(B) + beta * C, where op(X) is X or
// X^T as tA and tB say, op(A) is m x k, op(B) is k x n and C is m x n, all
// row-major with leading dimensions lda, ldb, ldc. When beta is zero, C is
// not read. Arguments are checked as gonum checks them, with gonum's panic
// messages.
func Sgemm(tA, tB gblas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
	sgemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

// Dgemm is Sgemm in double precision.
func Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
	dgemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

func sgemm(aT, bT bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bias []float32, relu bool) {
	impl := asm.Current()
	mr, kern, kernS := impl.SgemmFor(m)
	ws := workspaces32.get()
	ws.call = gemmCall[float32]{aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, bias: bias, relu: relu, ws: ws, kernS: kernS}
	gemm(&ws.call, kern, mr, impl.SNR, 4)
	workspaces32.put(ws)
}

func dgemm(aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, bias []float64, relu bool) {
	impl := asm.Current()
	ws := workspaces64.get()
	ws.call = gemmCall[float64]{aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, bias: bias, relu: relu, ws: ws, kernS: impl.DgemmStrided}
	gemm(&ws.call, impl.Dgemm, impl.DMR, impl.DNR, 8)
	workspaces64.put(ws)
}
