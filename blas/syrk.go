package blas

import (
	"github.com/fastpath-go/fastpath/internal/pool"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Ssyrk computes the ul triangle of C = alpha * op(A) * op(A)^T + beta * C
// for the symmetric n x n matrix C, where op(A) is A (n x k, tA = NoTrans)
// or A^T (A k x n); the other triangle of C is not referenced. When beta is
// zero C is not read. Arguments are checked in gonum's order and panic
// with gonum's messages.
//
// C is split recursively: each off-diagonal block is one GEMM, and each
// diagonal block of at most 64 rows is computed whole by GEMM into scratch
// space and its triangle copied.
func Ssyrk(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float32, a []float32, lda int, beta float32, c []float32, ldc int) {
	if smallSyrk(n, k) {
		gonum.Implementation{}.Ssyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	if checkSyrk(ul, tA, n, k, lda, 0, ldc, len(a), 0, len(c), false) {
		return
	}
	syrk(level3s(), ul == gblas.Lower, tA != gblas.NoTrans, n, k, alpha, a, lda, nil, 0, beta, c, ldc)
}

// Dsyrk is Ssyrk in double precision.
func Dsyrk(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	if smallSyrk(n, k) {
		gonum.Implementation{}.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	if checkSyrk(ul, tA, n, k, lda, 0, ldc, len(a), 0, len(c), false) {
		return
	}
	syrk(level3d(), ul == gblas.Lower, tA != gblas.NoTrans, n, k, alpha, a, lda, nil, 0, beta, c, ldc)
}

// Ssyr2k computes the ul triangle of
// C = alpha * op(A) * op(B)^T + alpha * op(B) * op(A)^T + beta * C, with
// A and B shaped as A in Ssyrk.
func Ssyr2k(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if smallSyrk(n, k) {
		gonum.Implementation{}.Ssyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if checkSyrk(ul, tA, n, k, lda, ldb, ldc, len(a), len(b), len(c), true) {
		return
	}
	syrk(level3s(), ul == gblas.Lower, tA != gblas.NoTrans, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dsyr2k is Ssyr2k in double precision.
func Dsyr2k(ul gblas.Uplo, tA gblas.Transpose, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if smallSyrk(n, k) {
		gonum.Implementation{}.Dsyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if checkSyrk(ul, tA, n, k, lda, ldb, ldc, len(a), len(b), len(c), true) {
		return
	}
	syrk(level3d(), ul == gblas.Lower, tA != gblas.NoTrans, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// syrkNative bounds n*n*k below which Xsyrk and Xsyr2k run on gonum's
// code, whose fixed cost is lower: measured on Zen 5 (Dsyrk, n = k), gonum
// 2.8x faster at 8, 1.9x at 12, fastpath 1.1x faster at 16 (Dsyr2k: 2.8x,
// 1.6x, 0.62x). Invalid sizes go there too: gonum panics with the same
// messages. Tests set it to 0.
var syrkNative = 3000

// smallSyrk reports whether a SYRK or SYR2K is small enough for gonum's
// code.
func smallSyrk(n, k int) bool { return n < 0 || k < 0 || n*n*k < syrkNative }

// syrkBase is the order of the diagonal blocks computed whole.
var syrkBase = 64

// syrk is Xsyrk (b == nil) and Xsyr2k.
func syrk[T float32 | float64](l level3[T], lower, trans bool, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if alpha == 0 || k == 0 {
		for i := range n {
			lo, hi := i, n
			if lower {
				lo, hi = 0, i+1
			}
			scaleRows(1, hi-lo, beta, c[i*ldc+lo:], ldc)
		}
		return
	}
	// rows returns the offset of row i of op(X) for X stored with ld.
	rows := func(i, ld int) int {
		if trans {
			return i
		}
		return i * ld
	}
	var rec func(n, i0 int)
	rec = func(n, i0 int) {
		if n <= syrkBase {
			syrkDiag(l, lower, trans, n, k, alpha, a[rows(i0, lda):], lda, b, ldb, rows(i0, ldb), beta, c[i0*ldc+i0:], ldc)
			return
		}
		h := split(n)
		i1 := i0 + h
		// The off-diagonal block: C21 = alpha X2 Y1^T + beta C21 (lower) or
		// C12 = alpha X1 Y2^T + beta C12 (upper), for (X, Y) = (A, A), or
		// (A, B) and then (B, A).
		r0, r1, m0, n0, cOff := i1, i0, n-h, h, i1*ldc+i0
		if !lower {
			r0, r1, m0, n0, cOff = i0, i1, h, n-h, i0*ldc+i1
		}
		if b == nil {
			l.gemm(trans, !trans, m0, n0, k, alpha, a[rows(r0, lda):], lda, a[rows(r1, lda):], lda, beta, c[cOff:], ldc)
		} else {
			l.gemm(trans, !trans, m0, n0, k, alpha, a[rows(r0, lda):], lda, b[rows(r1, ldb):], ldb, beta, c[cOff:], ldc)
			l.gemm(trans, !trans, m0, n0, k, alpha, b[rows(r0, ldb):], ldb, a[rows(r1, lda):], lda, 1, c[cOff:], ldc)
		}
		rec(h, i0)
		rec(n-h, i1)
	}
	rec(n, 0)
}

// diagParallelMin is the flop count (2*n*n*k) from which a diagonal block
// is split across threads.
var diagParallelMin = 8 << 20

// diagTask computes columns of a diagonal block of Xsyrk or Xsyr2k whole
// into t (n x n) by GEMM: part p of parts takes a range of columns (rows of
// the second operand).
type diagTask[T float32 | float64] struct {
	l              level3[T]
	trans          bool
	n, k           int
	alpha          T
	a, b, t        []T
	lda, ldb, bOff int
	parts          int
}

// RunPart computes part p's columns (pool.Task).
func (d *diagTask[T]) RunPart(p, _ int) {
	c0, c1 := p*d.n/d.parts, (p+1)*d.n/d.parts
	if d.parts > 1 {
		c0, c1 = min((c0+7)&^7, d.n), min((c1+7)&^7, d.n)
		if p == d.parts-1 {
			c1 = d.n
		}
	}
	if c1 <= c0 {
		return
	}
	rows := func(i, ld int) int { // offset of row i of op(X)
		if d.trans {
			return i
		}
		return i * ld
	}
	w, tc := c1-c0, d.t[c0:]
	if d.b == nil {
		d.l.gemm(d.trans, !d.trans, d.n, w, d.k, d.alpha, d.a, d.lda, d.a[rows(c0, d.lda):], d.lda, 0, tc, d.n)
		return
	}
	bb := d.b[d.bOff:]
	d.l.gemm(d.trans, !d.trans, d.n, w, d.k, d.alpha, d.a, d.lda, bb[rows(c0, d.ldb):], d.ldb, 0, tc, d.n)
	d.l.gemm(d.trans, !d.trans, d.n, w, d.k, d.alpha, bb, d.ldb, d.a[rows(c0, d.lda):], d.lda, 1, tc, d.n)
}

// syrkDiag computes an n x n diagonal block of Xsyrk or Xsyr2k whole into
// scratch space by GEMM and merges its triangle into c. a (and b, at offset
// bOff, for Xsyr2k) start at the block's first row of op(A).
func syrkDiag[T float32 | float64](l level3[T], lower, trans bool, n, k int, alpha T, a []T, lda int, b []T, ldb, bOff int, beta T, c []T, ldc int) {
	t := l.scratch.get(n * n)
	job := diagTask[T]{l: l, trans: trans, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, bOff: bOff, t: t, parts: 1}
	// A block this narrow is one column group for the GEMM engine, which
	// then runs it on one thread; with a deep k its columns are split
	// across the pool instead (each part's GEMM then runs on its own
	// thread, finding the pool held).
	if parts := min(numThreads(), n/8); parts > 1 && 2*n*n*k >= diagParallelMin && pool.Default.Acquire(parts) {
		job.parts = parts
		*l.diag = job
		pool.Default.Run(parts, l.diag)
		*l.diag = diagTask[T]{} // keep no references to the caller's data
		pool.Default.Release()
	} else {
		job.RunPart(0, 1)
	}
	for i := range n {
		lo, hi := i, n
		if lower {
			lo, hi = 0, i+1
		}
		ci, ti := c[i*ldc+lo:i*ldc+hi], t[i*n+lo:i*n+hi]
		if beta == 0 {
			copy(ci, ti)
		} else {
			for j, v := range ti {
				ci[j] = beta*ci[j] + v
			}
		}
	}
	l.scratch.put(t)
}
