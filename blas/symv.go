package blas

import (
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/pool"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Ssymv computes y = alpha * A * x + beta * y for a symmetric n x n A of
// which the ul triangle is read, as gonum's Ssymv. Each stored row gives a
// dot product (its own element of y) and an axpy (the elements of y its
// transpose contributes to), four rows at a time in one pass of an asm
// kernel over the columns they share (asm.Impl.SSymv4);
// large matrices are split across threads by rows of equal area, each
// thread accumulating into a private vector. Small matrices and invalid
// arguments run on gonum's code, which checks and panics with its own
// messages.
func Ssymv(ul gblas.Uplo, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	if !fastSymv(ul, n, lda, incX, incY, len(a), len(x), len(y)) {
		gonum.Implementation{}.Ssymv(ul, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	impl := asm.Current()
	symv(&ssymvState, impl.SDot, impl.SAxpy, impl.SSymv4, ul == gblas.Upper, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dsymv is Ssymv in double precision.
func Dsymv(ul gblas.Uplo, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	if !fastSymv(ul, n, lda, incX, incY, len(a), len(x), len(y)) {
		gonum.Implementation{}.Dsymv(ul, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	impl := asm.Current()
	symv(&dsymvState, impl.DDot, impl.DAxpy, impl.DSymv4, ul == gblas.Upper, n, alpha, a, lda, x, incX, beta, y, incY)
}

// symvNative is the order below which SYMV runs on gonum's code. Tests set
// it to 0.
var symvNative = 64

// symvParallelMin is the order from which SYMV is split across threads.
var symvParallelMin = 384

// fastSymv reports whether a SYMV takes fastpath's code: valid arguments
// and n at least symvNative.
func fastSymv(ul gblas.Uplo, n, lda, incX, incY, lenA, lenX, lenY int) bool {
	return (ul == gblas.Upper || ul == gblas.Lower) && n >= max(symvNative, 1) && lda >= n &&
		incX != 0 && incY != 0 && lenA >= lda*(n-1)+n && lenX > (n-1)*abs(incX) && lenY > (n-1)*abs(incY)
}

// symvState is one precision's parallel task, used only while the
// worker pool is held (so one per precision suffices, and being static it
// passes through the pool without allocating), and its scratch vectors.
type symvState[T gemvFloat] struct {
	job     symvTask[T]
	zs      [][]T
	rows    []int
	scratch *scratchList[T]
}

var (
	ssymvState = symvState[float32]{scratch: &scratch32}
	dsymvState = symvState[float64]{scratch: &scratch64}
)

// symvTask accumulates z_p = A[rows of part p] * x (each stored row's
// contribution to every element of z) for each part p.
type symvTask[T gemvFloat] struct {
	upper bool
	n     int
	a     []T
	lda   int
	x     []T
	z     [][]T // per-part accumulators, zeroed
	rows  []int // part p covers stored rows rows[p]..rows[p+1]
	dot   func(x, y []T) T
	axpy  func(alpha T, x, y []T)
	sym4  func(n int, a []T, lda int, x, z []T, alpha, dot *[4]T)
}

// RunPart computes part p's accumulator (pool.Task): four stored rows at a
// time in one pass of the asm kernel over the columns they share (each
// row's dot product with x, and its axpy into z), their 4 x 4 corner of
// the triangle by scalar code, and the rows left over one at a time.
func (t *symvTask[T]) RunPart(p, _ int) {
	symvPart(t.upper, t.n, t.a, t.lda, t.x, t.z[p], t.rows[p], t.rows[p+1], t.dot, t.axpy, t.sym4)
}

// symvPart accumulates the stored rows r0..r1 of the triangle into z.
func symvPart[T gemvFloat](upper bool, n int, a []T, lda int, x, z []T, r0, r1 int,
	dot func(x, y []T) T, axpy func(alpha T, x, y []T), sym4 func(n int, a []T, lda int, x, z []T, alpha, dot *[4]T)) {
	i := r0
	for ; i+4 <= r1; i += 4 {
		lo, hi := i+4, n // columns shared by the four rows
		if !upper {
			lo, hi = 0, i
		}
		// The kernel writes the four dot products over z[i:i+4] (outside
		// the shared columns); add back what was there.
		z4 := (*[4]T)(z[i : i+4])
		old := *z4
		sym4(hi-lo, a[i*lda+lo:], lda, x[lo:hi], z[lo:hi], (*[4]T)(x[i:i+4]), z4)
		for r := range z4 {
			z4[r] += old[r]
		}
		for r := range 4 {
			c0, c1 := r, 4 // the corner's stored part of row i+r
			if !upper {
				c0, c1 = 0, r+1
			}
			for c := c0; c < c1; c++ {
				v := a[(i+r)*lda+i+c]
				if c == r {
					z[i+r] += v * x[i+r]
					continue
				}
				z[i+r] += v * x[i+c]
				z[i+c] += v * x[i+r]
			}
		}
	}
	for ; i < r1; i++ {
		xi := x[i]
		row := a[i*lda : i*lda+n]
		lo, hi := i+1, n // off-diagonal part of stored row i
		if !upper {
			lo, hi = 0, i
		}
		if hi > lo {
			seg := row[lo:hi]
			axpy(xi, seg, z[lo:hi])
			z[i] += dot(seg, x[lo:hi])
		}
		z[i] += row[i] * xi
	}
}

func symv[T gemvFloat](st *symvState[T], dot func(x, y []T) T, axpy func(alpha T, x, y []T),
	sym4 func(n int, a []T, lda int, x, z []T, alpha, dot *[4]T),
	upper bool, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	if alpha == 0 && beta == 1 {
		return
	}
	if alpha == 0 {
		scaleStrided(beta, y, n, incY)
		return
	}
	parts := 1
	if n >= symvParallelMin {
		parts = max(numThreads(), 1)
	}
	if parts > 1 && !pool.Default.Acquire(parts) {
		parts = 1
	}
	buf := st.scratch.get((2 + parts) * n)
	xs := x[:n:n]
	if incX != 1 {
		xs = buf[:n]
		gather(xs, x, incX)
	}
	z := buf[2*n:]
	clear(z)
	if parts > 1 {
		st.zs = st.zs[:0]
		for p := range parts {
			st.zs = append(st.zs, z[p*n:(p+1)*n])
		}
		st.rows = symvRows(st.rows, upper, n, parts)
		st.job = symvTask[T]{upper: upper, n: n, a: a, lda: lda, x: xs, z: st.zs, rows: st.rows, dot: dot, axpy: axpy, sym4: sym4}
		pool.Default.Run(parts, &st.job)
		st.job = symvTask[T]{} // keep no references to the caller's data
		clear(st.zs)
		pool.Default.Release()
	} else {
		symvPart(upper, n, a, lda, xs, z, 0, n, dot, axpy, sym4)
	}
	// y = beta*y + alpha*(z_0 + z_1 + ...).
	ys := y[:n:n]
	if incY != 1 {
		ys = buf[n : 2*n]
		if beta != 0 {
			gather(ys, y, incY)
		}
	}
	for i := range ys {
		s := z[i]
		for p := 1; p < parts; p++ {
			s += z[p*n+i]
		}
		if beta == 0 {
			ys[i] = alpha * s
		} else {
			ys[i] = beta*ys[i] + alpha*s
		}
	}
	if incY != 1 {
		scatter(y, ys, incY)
	}
	st.scratch.put(buf)
}

// symvRows splits the n stored rows of a triangle into parts of about
// equal area: the upper triangle's rows shrink (n-i elements), the
// lower's grow (i+1).
func symvRows(rows []int, upper bool, n, parts int) []int {
	if cap(rows) < parts+1 {
		rows = make([]int, parts+1)
	}
	rows = rows[:parts+1]
	rows[0] = 0
	for p := 1; p < parts; p++ {
		// Rows 0..r of the lower triangle hold about r^2/2 elements.
		f := float64(p) / float64(parts)
		r := int(math.Round(float64(n) * math.Sqrt(f)))
		if upper {
			r = n - int(math.Round(float64(n)*math.Sqrt(1-f)))
		}
		rows[p] = min(max(r, rows[p-1]), n)
	}
	rows[parts] = n
	return rows
}
