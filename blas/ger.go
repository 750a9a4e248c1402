package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
	"gonum.org/v1/gonum/blas/gonum"
)

// Sger computes A += alpha * x * y^T for the m x n row-major A, as gonum's
// Sger: each row of A is one axpy with y (gathered once when strided) on
// the asm kernels, rows split across threads when A is large. Short rows
// (n below gerNative, where a call per row costs more than gonum's single
// assembly loop) and invalid arguments run on gonum's code, which checks
// and panics with its own messages.
func Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	if !fastGer(m, n, incX, incY, lda, len(x), len(y), len(a)) || alpha == 0 {
		gonum.Implementation{}.Sger(m, n, alpha, x, incX, y, incY, a, lda)
		return
	}
	ger(&sgerState, asm.Current().SAxpy, m, n, alpha, x, incX, y, incY, a, lda)
}

// Dger is Sger in double precision.
func Dger(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	if !fastGer(m, n, incX, incY, lda, len(x), len(y), len(a)) || alpha == 0 {
		gonum.Implementation{}.Dger(m, n, alpha, x, incX, y, incY, a, lda)
		return
	}
	ger(&dgerState, asm.Current().DAxpy, m, n, alpha, x, incX, y, incY, a, lda)
}

// gerNative is the row length below which GER runs on gonum's code
// (measured on Zen 5: gonum ahead or level up to 100-element rows, fastpath
// from 128). Tests set it to 0.
var gerNative = 128

// gerParallelMin is the matrix size (m*n) from which GER is split across
// threads.
var gerParallelMin = 1 << 16

func fastGer(m, n, incX, incY, lda, lenX, lenY, lenA int) bool {
	return m >= 1 && n >= max(gerNative, 1) && lda >= n && incX != 0 && incY != 0 &&
		lenX > (m-1)*abs(incX) && lenY > (n-1)*abs(incY) && lenA >= lda*(m-1)+n
}

// gerTask is a GER split by rows across the worker pool.
type gerTask[T gemvFloat] struct {
	m, n  int
	alpha T
	x     []T
	incX  int
	y     []T
	a     []T
	lda   int
	parts int
	axpy  func(alpha T, x, y []T)
}

// RunPart updates part p of the rows (pool.Task).
func (t *gerTask[T]) RunPart(p, _ int) {
	lo, hi := p*t.m/t.parts, (p+1)*t.m/t.parts
	k := lo * t.incX
	if t.incX < 0 {
		k = (t.m - 1 - lo) * -t.incX
	}
	for i := lo; i < hi; i++ {
		t.axpy(t.alpha*t.x[k], t.y, t.a[i*t.lda:i*t.lda+t.n])
		k += t.incX
	}
}

type gerState[T gemvFloat] struct {
	job     gerTask[T] // used only while the pool is held
	scratch *scratchList[T]
}

var (
	sgerState = gerState[float32]{scratch: &scratch32}
	dgerState = gerState[float64]{scratch: &scratch64}
)

func ger[T gemvFloat](st *gerState[T], axpy func(alpha T, x, y []T), m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
	ys := y[:n:n]
	var buf []T
	if incY != 1 {
		buf = st.scratch.get(n)
		ys = buf
		gather(ys, y, incY)
	}
	t := gerTask[T]{m: m, n: n, alpha: alpha, x: x, incX: incX, y: ys, a: a, lda: lda, parts: 1, axpy: axpy}
	parts := 1
	if m*n >= gerParallelMin {
		parts = min(numThreads(), m)
	}
	if parts > 1 && pool.Default.Acquire(parts) {
		t.parts = parts
		st.job = t
		pool.Default.Run(parts, &st.job)
		st.job = gerTask[T]{}
		pool.Default.Release()
	} else {
		t.RunPart(0, 1)
	}
	if buf != nil {
		st.scratch.put(buf)
	}
}
