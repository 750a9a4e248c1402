package blas

import (
	"sync"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
	gblas "gonum.org/v1/gonum/blas"
)

// Level 3 routines other than GEMM (triangular solve and multiply,
// symmetric rank-k updates, symmetric multiply) are blocked recursively so
// that almost all of their flops run in the GEMM engine: each level of the
// recursion halves the triangle and hands the off-diagonal block to GEMM,
// and only blocks of at most l3Base rows or columns are done by vector
// loops (asm axpy). The recursion's GEMM calls are parallel; the small
// diagonal blocks are serial.

// l3Base is the order of the diagonal blocks the recursion stops at.
var l3Base = 32

// Panic messages of the Level 3 routines, identical to gonum's.
const (
	badSide = "blas: illegal side"
	badUplo = "blas: illegal triangle"
	badDiag = "blas: illegal diagonal"
)

// level3 is what the generic Level 3 code needs of one precision: the GEMM
// engine (no bias, no ReLU) and the vector kernels of the selected asm
// implementation.
type level3[T float32 | float64] struct {
	gemm    func(aT, bT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	axpy    func(alpha T, x, y []T)
	dot     func(x, y []T) T
	scratch *scratchList[T]
	job     *baseTask[T] // used only while the worker pool is held
	diag    *diagTask[T] // used only while the worker pool is held
}

func gemm32(aT, bT bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

func gemm64(aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	dgemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, false)
}

var (
	scratch32 scratchList[float32]
	scratch64 scratchList[float64]
	baseJob32 baseTask[float32]
	baseJob64 baseTask[float64]
	diagJob32 diagTask[float32]
	diagJob64 diagTask[float64]
)

func level3s() level3[float32] {
	impl := asm.Current()
	return level3[float32]{gemm: gemm32, axpy: impl.SAxpy, dot: impl.SDot, scratch: &scratch32, job: &baseJob32, diag: &diagJob32}
}

func level3d() level3[float64] {
	impl := asm.Current()
	return level3[float64]{gemm: gemm64, axpy: impl.DAxpy, dot: impl.DDot, scratch: &scratch64, job: &baseJob64, diag: &diagJob64}
}

// scratchList is a free list of scratch buffers for the Level 3 routines'
// diagonal blocks, so that steady-state calls do not allocate.
type scratchList[T float32 | float64] struct {
	mu   sync.Mutex
	free [][]T
}

func (l *scratchList[T]) get(n int) []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.free) - 1; i >= 0; i-- {
		if cap(l.free[i]) >= n {
			s := l.free[i]
			l.free = append(l.free[:i], l.free[i+1:]...)
			return s[:n]
		}
	}
	return make([]T, n)
}

func (l *scratchList[T]) put(s []T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.free) < maxFreeWorkspaces {
		l.free = append(l.free, s)
		return
	}
	// Full: keep the larger buffers, so that a caller alternating small and
	// large problems does not allocate its large scratch on every call.
	small := 0
	for i, f := range l.free {
		if cap(f) < cap(l.free[small]) {
			small = i
		}
	}
	if cap(s) > cap(l.free[small]) {
		l.free[small] = s
	}
}

// baseTask runs the diagonal-block loops of the left-side TRSM or TRMM
// (independent for each column of B) on column chunks across the worker
// pool: the recursion's GEMM updates are parallel, and without this the
// diagonal blocks would be a serial share of every call (the blocked LU
// and Cholesky factorizations call TRSM with 64 rows and a wide B).
type baseTask[T float32 | float64] struct {
	l        level3[T]
	solve    bool
	tr       triangle
	m, n     int
	alpha    T
	a, b     []T
	lda, ldb int
	parts    int
}

// RunPart solves or multiplies part p of the column chunks (pool.Task).
func (t *baseTask[T]) RunPart(p, _ int) {
	cw := baseChunk / sizeOf[T]()
	chunks := (t.n + cw - 1) / cw
	lo, hi := p*chunks/t.parts*cw, min((p+1)*chunks/t.parts*cw, t.n)
	if hi <= lo {
		return
	}
	if t.solve {
		trsmLeftChunks(t.l, t.tr, t.m, hi-lo, t.alpha, t.a, t.lda, t.b[lo:], t.ldb)
	} else {
		trmmLeftChunks(t.l, t.tr, t.m, hi-lo, t.alpha, t.a, t.lda, t.b[lo:], t.ldb)
	}
}

// baseParallelMin is the work (m*m*n, about the flops) from which the
// diagonal-block loops run in parallel.
var baseParallelMin = 1 << 18

// baseParallel runs a left-side diagonal block on the worker pool and
// reports whether it did; it does not when the block is small, one thread
// is configured, or the pool is busy.
func baseParallel[T float32 | float64](l level3[T], solve bool, tr triangle, m, n int, alpha T, a []T, lda int, b []T, ldb int) bool {
	cw := baseChunk / sizeOf[T]()
	parts := min(numThreads(), (n+cw-1)/cw)
	if parts < 2 || m*m*n < baseParallelMin || !pool.Default.Acquire(parts) {
		return false
	}
	*l.job = baseTask[T]{l: l, solve: solve, tr: tr, m: m, n: n, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, parts: parts}
	pool.Default.Run(parts, l.job)
	*l.job = baseTask[T]{} // keep no references to the caller's data
	pool.Default.Release()
	return true
}

// split returns where a recursion on n > l3Base rows or columns divides
// them: about half, rounded to a multiple of 8 so that the GEMM operands
// fill whole micro-tiles.
func split(n int) int {
	h := (n/2 + 7) &^ 7
	if h >= n {
		h = n / 2
	}
	return h
}

// checkTri validates the arguments of Xtrsm and Xtrmm in gonum's order and
// reports whether there is nothing to do (m or n zero).
func checkTri(s gblas.Side, ul gblas.Uplo, tA gblas.Transpose, d gblas.Diag, m, n, lda, ldb, lenA, lenB int) (empty bool) {
	if s != gblas.Left && s != gblas.Right {
		panic(badSide)
	}
	if ul != gblas.Lower && ul != gblas.Upper {
		panic(badUplo)
	}
	if tA != gblas.NoTrans && tA != gblas.Trans && tA != gblas.ConjTrans {
		panic(badTranspose)
	}
	if d != gblas.NonUnit && d != gblas.Unit {
		panic(badDiag)
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	k := n
	if s == gblas.Left {
		k = m
	}
	if lda < max(1, k) {
		panic(badLdA)
	}
	if ldb < max(1, n) {
		panic(badLdB)
	}
	if m == 0 || n == 0 {
		return true
	}
	if lenA < lda*(k-1)+k {
		panic(shortA)
	}
	if lenB < ldb*(m-1)+n {
		panic(shortB)
	}
	return false
}

// checkSyrk validates the arguments of Xsyrk (b == nil) and Xsyr2k in
// gonum's order and reports whether there is nothing to do (n zero).
func checkSyrk(ul gblas.Uplo, tA gblas.Transpose, n, k, lda, ldb, ldc, lenA, lenB, lenC int, two bool) (empty bool) {
	if ul != gblas.Lower && ul != gblas.Upper {
		panic(badUplo)
	}
	if tA != gblas.Trans && tA != gblas.NoTrans && tA != gblas.ConjTrans {
		panic(badTranspose)
	}
	if n < 0 {
		panic(nLT0)
	}
	if k < 0 {
		panic(kLT0)
	}
	row, col := k, n
	if tA == gblas.NoTrans {
		row, col = n, k
	}
	if lda < max(1, col) {
		panic(badLdA)
	}
	if two && ldb < max(1, col) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if n == 0 {
		return true
	}
	if lenA < lda*(row-1)+col {
		panic(shortA)
	}
	if two && lenB < ldb*(row-1)+col {
		panic(shortB)
	}
	if lenC < ldc*(n-1)+n {
		panic(shortC)
	}
	return false
}

// checkSymm validates the arguments of Xsymm in gonum's order and reports
// whether there is nothing to do.
func checkSymm(s gblas.Side, ul gblas.Uplo, m, n, lda, ldb, ldc, lenA, lenB, lenC int) (empty bool) {
	if s != gblas.Right && s != gblas.Left {
		panic(badSide)
	}
	if ul != gblas.Lower && ul != gblas.Upper {
		panic(badUplo)
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	k := n
	if s == gblas.Left {
		k = m
	}
	if lda < max(1, k) {
		panic(badLdA)
	}
	if ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return true
	}
	if lenA < lda*(k-1)+k {
		panic(shortA)
	}
	if lenB < ldb*(m-1)+n {
		panic(shortB)
	}
	if lenC < ldc*(m-1)+n {
		panic(shortC)
	}
	return false
}

// scaleRows sets the m x n block at x (rows ldx apart) to beta times
// itself, or to zero without reading it when beta is zero.
func scaleRows[T float32 | float64](m, n int, beta T, x []T, ldx int) {
	for i := range m {
		row := x[i*ldx : i*ldx+n]
		if beta == 0 {
			clear(row)
		} else if beta != 1 {
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// transposeInto writes the transpose of the r x c block at src (rows lds
// apart) into dst (c x r, rows ldd apart).
func transposeInto[T float32 | float64](dst []T, ldd int, src []T, lds, r, c int) {
	for i := range r {
		row := src[i*lds : i*lds+c]
		for j, v := range row {
			dst[j*ldd+i] = v
		}
	}
}
