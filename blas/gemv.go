package blas

import (
	"sync"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Sgemv computes y = alpha * op(A) * x + beta * y, where A is an m x n
// row-major matrix with leading dimension lda, op(A) is A (tA = NoTrans) or
// A^T (Trans, ConjTrans), and x and y are strided vectors: element i of x is
// x[i*incX] for incX > 0 and x[(len-1-i)*(-incX)] for incX < 0, as in BLAS.
// When beta is zero y is written without being read.
//
// Arguments are checked in gonum's order and panic with gonum's messages.
// NoTrans computes the dot products of four rows at a time with x
// (asm.Impl.SGemvN4); Trans adds four scaled rows at a time into y
// (asm.Impl.SGemvT4). Large matrices are split across up to Threads()
// goroutines; the NoTrans result does not depend on the thread count.
// Matrices under 72 x 72 run on gonum's native code, whose fixed cost is
// lower.
func Sgemv(tA gblas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	if smallGemv(m, n, incX, incY) {
		gonum.Implementation{}.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	impl := asm.Current()
	gemv(&sgemvState, impl.SDot, impl.SAxpy, impl.SGemvN4, impl.SGemvT4, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dgemv is Sgemv in double precision.
func Dgemv(tA gblas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	if smallGemv(m, n, incX, incY) {
		gonum.Implementation{}.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	impl := asm.Current()
	gemv(&dgemvState, impl.DDot, impl.DAxpy, impl.DGemvN4, impl.DGemvT4, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// gemvNative is the matrix size (m*n) below which GEMV runs on gonum's
// native kernels, whose fixed cost is lower: measured on Zen 5 (Dgemv,
// square, unit and strided x), gonum ahead at 32 x 32 (108 ns against
// 319), level at 64 x 64, fastpath ahead from 100 x 100 (T: 0.80 us
// against 1.41; 500 x 500 N: 15.5 us against 34.3). Tests set it to 0.
var gemvNative = 72 * 72

// smallGemv reports whether a GEMV is small enough for gonum's kernels.
// Invalid sizes go there too: gonum panics with the same messages.
func smallGemv(m, n, incX, incY int) bool {
	if m < 0 || n < 0 {
		return true
	}
	return m*n < gemvNative
}

// checkGemv validates GEMV arguments in gonum's order and reports whether
// A is transposed and whether there is nothing to do (m or n is zero).
// Lengths are checked only when m and n are positive, as in gonum.
func checkGemv(tA gblas.Transpose, m, n, lda, incX, incY, lenA, lenX, lenY int) (trans, empty bool) {
	switch tA {
	case gblas.NoTrans, gblas.Trans, gblas.ConjTrans:
	default:
		panic(badTranspose)
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	trans = tA != gblas.NoTrans
	if m == 0 || n == 0 {
		return trans, true
	}
	nx, ny := n, m
	if trans {
		nx, ny = m, n
	}
	if lenX <= (nx-1)*abs(incX) {
		panic(shortX)
	}
	if lenY <= (ny-1)*abs(incY) {
		panic(shortY)
	}
	if lenA < (m-1)*lda+n {
		panic(shortA)
	}
	return trans, false
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// Parallel GEMV. A call splits A into parts of at least gemvChunkBytes once
// A has gemvParallelMin elements, and runs them on the worker pool
// (internal/pool); a call that finds the pool busy runs serially. Both
// split rows, in groups of four, so that every thread streams contiguous
// memory: NoTrans computes each y[i] as one dot product in one goroutine,
// so the result does not depend on the split; Trans accumulates each
// part's rows into its own vector (part 0 into y) and adds them up in part
// order, so the result depends on the thread count within rounding (a
// column split kept it fixed but reached only 0.62 of a streaming read on
// two threads, 4000 x 4000 float64 on Zen 5; the row split 0.80).
const (
	gemvParallelMin = 100_000
	gemvChunkBytes  = 64 << 10
)

type gemvFloat interface{ float32 | float64 }

// gemvTask is a GEMV call on unit-stride vectors, y = alpha*A*x + beta*y or
// y = alpha*A^T*x + beta*y, to be computed in parts pieces.
type gemvTask[T gemvFloat] struct {
	trans       bool
	parts       int
	m, n        int
	alpha, beta T
	a           []T
	lda         int
	x, y        []T
	dot         func(x, y []T) T
	axpy        func(alpha T, x, y []T)
	n4          func(n int, a []T, lda int, x []T, y *[4]T)
	t4          func(n int, a []T, lda int, alpha *[4]T, y []T)
	acc         []T // Trans in parts: the accumulators of parts 1, 2, ...
}

// RunPart computes part tid of the task's parts (pool.Task).
func (t *gemvTask[T]) RunPart(tid, _ int) {
	if t.trans {
		// Rows split: part 0 adds its rows into y (already scaled by
		// beta), the others into their accumulators in t.acc, which gemv
		// adds to y in part order afterwards.
		lo, hi := partBounds(t.m, t.parts, tid)
		y := t.y
		if tid > 0 {
			y = t.acc[(tid-1)*t.n : tid*t.n]
		}
		t.addRows(lo, hi, 0, t.n, y)
		return
	}
	t.span(partBounds(t.m, t.parts, tid))
}

// span computes rows [lo, hi) of y (NoTrans) or columns [lo, hi) (Trans).
func (t *gemvTask[T]) span(lo, hi int) {
	if !t.trans {
		// y[i] = beta*y[i] + alpha*(row i · x); beta = 0 does not read y.
		// Four rows at a time share the loads of x; the kernel writes the
		// four dot products into y, which are then scaled in place.
		i := lo
		for ; i+4 <= hi; i += 4 {
			y4 := (*[4]T)(t.y[i : i+4])
			old := *y4
			t.n4(t.n, t.a[i*t.lda:], t.lda, t.x, y4)
			for r := range y4 {
				if t.beta == 0 {
					y4[r] = t.alpha * y4[r]
				} else {
					y4[r] = t.beta*old[r] + t.alpha*y4[r]
				}
			}
		}
		for ; i < hi; i++ {
			d := t.dot(t.a[i*t.lda:i*t.lda+t.n], t.x)
			if t.beta == 0 {
				t.y[i] = t.alpha * d
			} else {
				t.y[i] = t.beta*t.y[i] + t.alpha*d
			}
		}
		return
	}
	// y[lo:hi] = beta*y[lo:hi] + Σ_i alpha*x[i] * A[i, lo:hi], four rows
	// of A at a time, so that y is loaded and stored once per four rows.
	y := t.y[lo:hi]
	switch t.beta {
	case 0:
		clear(y)
	case 1:
	default:
		for j := range y {
			y[j] *= t.beta
		}
	}
	t.addRows(0, t.m, lo, hi, y)
}

// addRows adds x[i] * A[i, c0:c1] for the rows i in [r0, r1) into y
// (c1-c0 elements), four rows at a time, so that y is loaded and stored
// once per four rows. t.x holds alpha*x here (gemv scaled it).
func (t *gemvTask[T]) addRows(r0, r1, c0, c1 int, y []T) {
	i := r0
	for ; i+4 <= r1; i += 4 {
		t.t4(c1-c0, t.a[i*t.lda+c0:], t.lda, (*[4]T)(t.x[i:i+4]), y)
	}
	for ; i < r1; i++ {
		t.axpy(t.x[i], t.a[i*t.lda+c0:i*t.lda+c1], y)
	}
}

// gemvState holds one precision's scratch buffers and parallel task.
type gemvState[T gemvFloat] struct {
	// scratch holds *[]T buffers for gathering strided vectors.
	scratch sync.Pool
	// job is the task handed to the worker pool; it is used only while
	// the pool is held, so one per precision suffices, and being static it
	// passes through the pool without allocating.
	job gemvTask[T]
}

var (
	sgemvState gemvState[float32]
	dgemvState gemvState[float64]
)

// getBuf returns a scratch buffer of length n.
func (st *gemvState[T]) getBuf(n int) *[]T {
	if p, ok := st.scratch.Get().(*[]T); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]T, n)
	return &s
}

func gemv[T gemvFloat](st *gemvState[T], dot func(x, y []T) T, axpy func(alpha T, x, y []T),
	n4 func(n int, a []T, lda int, x []T, y *[4]T), t4 func(n int, a []T, lda int, alpha *[4]T, y []T), tA gblas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	trans, empty := checkGemv(tA, m, n, lda, incX, incY, len(a), len(x), len(y))
	if empty || (alpha == 0 && beta == 1) {
		return
	}
	nx, ny := n, m
	if trans {
		nx, ny = m, n
	}
	if alpha == 0 {
		scaleStrided(beta, y, ny, incY)
		return
	}

	// Work on unit-stride vectors: strided ones are gathered into scratch
	// buffers (y only when beta != 0, since otherwise it is not read) and y
	// is scattered back at the end.
	var xs, ys []T
	var xbuf, ybuf *[]T
	switch {
	case trans && alpha != 1:
		// Trans adds alpha*x[i] times row i: scale x once.
		xbuf = st.getBuf(nx)
		xs = *xbuf
		gather(xs, x, incX)
		for i := range xs {
			xs[i] *= alpha
		}
	case incX == 1:
		xs = x[:nx:nx]
	default:
		xbuf = st.getBuf(nx)
		xs = *xbuf
		gather(xs, x, incX)
	}
	if incY == 1 {
		ys = y[:ny:ny]
	} else {
		ybuf = st.getBuf(ny)
		ys = *ybuf
		if beta != 0 {
			gather(ys, y, incY)
		}
	}

	task := gemvTask[T]{trans: trans, m: m, n: n, alpha: alpha, beta: beta, a: a, lda: lda, x: xs, y: ys, dot: dot, axpy: axpy, n4: n4, t4: t4}
	task.parts = gemvParts(m, n, sizeOf[T]())
	if task.parts > 1 && pool.Default.Acquire(task.parts) {
		var accBuf *[]T
		if trans {
			scaleStrided(beta, ys, n, 1)
			accBuf = st.getBuf((task.parts - 1) * n)
			task.acc = *accBuf
			clear(task.acc)
		}
		st.job = task
		pool.Default.Run(task.parts, &st.job)
		st.job = gemvTask[T]{} // keep no references to the caller's data
		pool.Default.Release()
		if trans {
			for p := 1; p < task.parts; p++ {
				acc := task.acc[(p-1)*n : p*n]
				for j, v := range acc {
					ys[j] += v
				}
			}
			st.scratch.Put(accBuf)
		}
	} else {
		task.span(0, ny)
	}

	if ybuf != nil {
		scatter(y, ys, incY)
		st.scratch.Put(ybuf)
	}
	if xbuf != nil {
		st.scratch.Put(xbuf)
	}
}

// gemvParts returns how many parts to split an m x n GEMV into: one below
// gemvParallelMin elements, otherwise at most Threads() parts of at least
// gemvChunkBytes each, and no more parts than groups of four rows.
func gemvParts(m, n, size int) int {
	threads := numThreads()
	if threads < 2 || m*n < gemvParallelMin {
		return 1
	}
	parts := min(threads, m*n*size/gemvChunkBytes, (m+3)/4)
	return max(parts, 1)
}

// partBounds returns part p of parts of the rows [0, total): a balanced
// split of groups of four rows. Rows are computed four at a time from the
// start of a part, so parts beginning at multiples of four group rows as
// one thread does (for NoTrans, the result then does not depend on the
// thread count).
func partBounds(total, parts, p int) (lo, hi int) {
	units := (total + 3) / 4
	lo = p * units / parts * 4
	hi = min((p+1)*units/parts*4, total)
	return lo, hi
}

func sizeOf[T gemvFloat]() int {
	var z T
	switch any(z).(type) {
	case float32:
		return 4
	default:
		return 8
	}
}

// gather copies the strided vector v (increment inc, either sign) into dst.
func gather[T gemvFloat](dst, v []T, inc int) {
	k := 0
	if inc < 0 {
		k = (1 - len(dst)) * inc
	}
	for i := range dst {
		dst[i] = v[k]
		k += inc
	}
}

// scatter is gather's inverse: it copies src into the strided vector v.
func scatter[T gemvFloat](v, src []T, inc int) {
	k := 0
	if inc < 0 {
		k = (1 - len(src)) * inc
	}
	for _, s := range src {
		v[k] = s
		k += inc
	}
}

// scaleStrided sets the n elements of the strided vector y to beta*y, or to
// zero without reading them when beta is zero.
func scaleStrided[T gemvFloat](beta T, y []T, n, inc int) {
	inc = abs(inc)
	for i := 0; i < n*inc; i += inc {
		if beta == 0 {
			y[i] = 0
		} else {
			y[i] *= beta
		}
	}
}
